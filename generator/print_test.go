package generator_test

import (
	"html"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"govpack/generator"
	"govpack/generator/synth"
	"govpack/themes"
)

// skeletonPack has document pages of every shape a document's layout is
// made once for (see documentSkeleton): at two depths, with and without
// a description, a table of contents and a title heading, and titles and
// descriptions that need escaping or hold the skeleton's marks.
const skeletonPack = `
-- govpack.toml --
title = "Shapes & <Marks>"
profile = "profile.toml"
consortium = "Shape 'Alliance'"
-- profile.toml --
id = "shapes"
title = "Shapes"

[[pillar]]
id = "basics"
title = "Basics"

[[item]]
id = "pages"
pillar = "basics"
title = "Pages"
explain = "the pages"
-- data/members.toml --
[[member]]
id = "one"
name = "One"
kind = "founding"

[[responsibility]]
id = "keep-pages"
title = "Keep the pages"
holders = ["member:one"]
item = "pages"
-- index.md --
# Welcome

Pages of every shape.
-- a/plain.md --
+++
title = "Plain + \"quoted\" & <odd>"
covers = ["pages"]
+++
No headings: only this text, which is long enough to cover the one item of the
profile, so that the pack checks clean and builds.
-- a/described.md --
+++
title = "Described"
description = "Fees & <dues>, 'quoted' + more"
+++
## One

## Two
-- a/headed.md --
# Headed & titled

## Part

Text.
-- a/deep/marked.md --
+++
title = "Marked \uE000title\uE000 title"
description = "Marked \uE000description\uE000 too"
+++
## Inside
-- a/deep/other.md --
+++
title = "Deep"
description = "Deep down"
+++
Text.
-- b/empty.md --
+++
title = "Empty"
+++
`

// printPack has what makes anchors collide when pages are put together:
// the same heading ids and footnotes in two documents, and a document
// whose path and a heading id spell the anchor of another's heading.
const printPack = `
-- govpack.toml --
title = "Port Alliance Governance"
profile = "profile.toml"
consortium = "Port Alliance"
version = "1.0.0"
effective = 2026-01-15
-- profile.toml --
id = "port"
title = "Port profile"

[[pillar]]
id = "basics"
title = "Basics"

[[item]]
id = "articles-of-association"
pillar = "basics"
title = "Articles"
explain = "the articles"
-- data/members.toml --
[[member]]
id = "north-bank"
name = "North Bank"
kind = "founding"

[[member]]
id = "south-bank"
name = "South Bank"
kind = "ordinary"

[[body]]
id = "assembly"
name = "General Assembly"
members = "all"
established_by = "charter/articles.md#article-2"

[[responsibility]]
id = "keep-articles"
title = "Keep the articles"
holders = ["member:north-bank", "member:south-bank"]
item = "articles-of-association"
-- index.md --
# Welcome

Start with [the articles](charter/articles.md).
-- charter/index.md --
# The charter

What the members agreed.
-- charter/articles.md --
+++
title = "Articles"
weight = 1
covers = ["articles-of-association"]
+++
## Article 2 — The Assembly

The [](body:assembly) meets yearly; [North Bank](member:north-bank) keeps the
minutes, and the [duties](../operations/running.md#duties) say who runs what.
Every member signs the articles when it joins and keeps a copy at its seat.[^1]

### 2.1 Voting

See [Article 2](#article-2), the [form](form.txt), the [map](../static/map.svg)
and [the regulator](https://regulator.example/rules).

[^1]: Kept for ten years.
-- charter/form.txt --
Admission form.
-- charter/articles--notes.md --
+++
title = "Notes"
weight = 2
+++
## Notes {#x}

Same footnote number as the articles.[^1]

[^1]: Another note.
-- charter/articles.md.notes --
not a document
-- operations/running.md --
# Running the network

## Duties

Each member runs a node, as [2.1](../charter/articles.md#2.1) says.

## Notes--x {#notes--x}

An id that, after the document's path, could spell another's anchor.
-- static/map.svg --
<svg xmlns="http://www.w3.org/2000/svg"/>
`

var (
	hrefFragment = regexp.MustCompile(`\shref="#([^"]*)"`)
	anyID        = regexp.MustCompile(`\sid="([^"]*)"`)
)

func buildPrintPack(t *testing.T, opts generator.Options) *generator.Result {
	t.Helper()
	res := generator.Build(parseArchive([]byte(printPack)).pack(), opts)
	if res.Diagnostics.HasErrors() || res.Output == nil {
		t.Fatalf("the pack does not build:\n%s", res.Diagnostics)
	}
	return res
}

// print.html holds a title page, a table of contents in reading order and
// every page as a part; its ids are unique and every in-page link lands.
func TestPrintPage(t *testing.T) {
	res := buildPrintPack(t, generator.Options{})
	page := string(res.Output[generator.PrintURL])
	if page == "" {
		t.Fatal("the site has no print.html")
	}

	title, _, _ := strings.Cut(page, `<nav class="print-toc"`)
	for _, want := range []string{
		`<h1 id="print-title">Port Alliance Governance</h1>`,
		`<dt>Consortium</dt><dd>Port Alliance</dd>`,
		`<dt>Governance version</dt><dd>1.0.0</dd>`,
		`<dt>Effective</dt><dd>2026-01-15</dd>`,
		`<dt>Pack digest</dt><dd><code class="digest-full">` + res.Pack.Digest + `</code></dd>`,
	} {
		if !strings.Contains(title, want) {
			t.Errorf("the title page lacks %s", want)
		}
	}
	if strings.Contains(page, `class="site-nav"`) {
		t.Error("the print page carries the site navigation")
	}

	// The table of contents: overview, sections with their documents in
	// navigation order, then the governance annexes; redlines stay out.
	toc := regexp.MustCompile(`<li class="print-toc-(\d)"><a href="#([^"]*)"><span class="print-toc-title">([^<]*)</span>`).FindAllStringSubmatch(page, -1)
	var got []string
	for _, m := range toc {
		got = append(got, m[1]+" "+m[2]+" "+html.UnescapeString(m[3]))
	}
	want := []string{
		"1 index Overview",
		"1 charter.index The charter",
		"2 charter.articles Articles",
		"2 charter.articles--notes Notes",
		"1 operations.index Operations",
		"2 operations.running Running the network",
		"1 governance.index Governance",
		"2 governance.rights Rights and responsibilities",
		"2 governance.decisions Decision rules",
		"2 governance.roles Roles",
		"2 governance.nodes Node plan",
		"2 governance.data Data classes",
		"2 governance.glossary Glossary",
		"2 governance.amendments Amendment history",
		"2 governance.coverage Profile coverage",
		"2 governance.members.north-bank North Bank",
		"2 governance.members.south-bank South Bank",
		"2 governance.bodies.assembly General Assembly",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("table of contents:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	ids := map[string]int{}
	for _, m := range anyID.FindAllStringSubmatch(page, -1) {
		ids[html.UnescapeString(m[1])]++
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q appears %d times", id, n)
		}
	}
	links := hrefFragment.FindAllStringSubmatch(page, -1)
	for _, m := range links {
		if ids[html.UnescapeString(m[1])] == 0 {
			t.Errorf("link to #%s has no target", m[1])
		}
	}
	if len(links) < 40 {
		t.Errorf("only %d in-page links; the table of contents alone has %d", len(links), len(toc))
	}

	// Links between pages become in-page links; links to files and to the
	// web keep working from the site root.
	for _, want := range []string{
		`<section class="print-part print-part-2" id="charter.articles" data-url="charter/articles.html">`,
		`<h2 id="charter.articles--article-2">Article 2 — The Assembly <a class="anchor" href="#charter.articles--article-2" aria-label="Link to this section">#</a></h2>`,
		`<a href="#governance.bodies.assembly" class="ref ref-body">General Assembly</a>`,
		`<a href="#governance.members.north-bank" class="ref ref-member">North Bank</a>`,
		`<a href="#operations.running--duties">duties</a>`,
		`<a href="#charter.articles--article-2">Article 2</a>`,
		`<a href="#charter.articles--2.1">2.1</a>`,
		`<a href="charter/form.txt">form</a>`,
		`<a href="map.svg">map</a>`,
		`<a href="https://regulator.example/rules">the regulator</a>`,
		`<a href="#charter.articles">the articles</a>`,
		`<dd><a href="#charter.articles--article-2">Article 2 — The Assembly</a></dd>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("print.html lacks %s", want)
		}
	}
	// The two documents' footnotes and the look-alike ids stay apart.
	for _, id := range []string{"charter.articles--fn_1", "charter.articles--notes--fn_1", "charter.articles--notes--x", "operations.running--notes--x"} {
		if ids[id] != 1 {
			t.Errorf("id %q appears %d times, want once", id, ids[id])
		}
	}
	for _, l := range brokenLinks(res.Output) {
		t.Error(l)
	}
}

// Anchors that would spell the same text get a numbered suffix, and links
// still go to the right one.
func TestPrintAnchorsNeverCollide(t *testing.T) {
	pack := parseArchive([]byte(printPack)).pack()
	// "a--b" + "c" and "a" + "b--c" spell the same anchor.
	pack["charter/articles--notes.md"].Data = []byte("# Notes\n\n## C {#c}\n\nSee [the other](articles.md#notes--c).\n")
	pack["charter/articles.md"].Data = append(pack["charter/articles.md"].Data, "\n## Notes C {#notes--c}\n\nSee [that](articles--notes.md#c).\n"...)
	res := generator.Build(pack, generator.Options{})
	if res.Output == nil {
		t.Fatalf("the pack does not build:\n%s", res.Diagnostics)
	}
	page := string(res.Output[generator.PrintURL])
	for _, want := range []string{
		// The notes come first (no weight), so their heading keeps the anchor.
		`<h2 id="charter.articles--notes--c">C <a class="anchor" href="#charter.articles--notes--c" aria-label="Link to this section">#</a></h2>`,
		`<h2 id="charter.articles--notes--c-2">Notes C <a class="anchor" href="#charter.articles--notes--c-2" aria-label="Link to this section">#</a></h2>`,
		`<a href="#charter.articles--notes--c">that</a>`,
		`<a href="#charter.articles--notes--c-2">the other</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("print.html lacks %s", want)
		}
	}
}

// The preview serves a print page too, without a digest it does not have.
func TestPrintPagePreview(t *testing.T) {
	res := buildPrintPack(t, generator.Options{Preview: true})
	page := string(res.Output[generator.PrintURL])
	if !strings.Contains(page, "<dt>Pack digest</dt><dd>none: a preview is not a published version</dd>") {
		t.Error("the preview's print page does not say it has no digest")
	}
}

// The print page gathers a document's ids without making its part, from
// the template run without the body and the ids found when the body was
// rendered. A pack with a template of its own has every part made: with
// the default theme's document template copied into the pack, every part
// is made and the print page must come out the same, byte for byte.
func TestPrintPageIDsWithoutParts(t *testing.T) {
	document, err := fs.ReadFile(themes.Default, "default/templates/document.html")
	if err != nil {
		t.Fatal(err)
	}
	marked := parseArchive([]byte(skeletonPack)).pack()
	siteMarked := parseArchive([]byte(skeletonPack)).pack()
	siteMarked["govpack.toml"] = &fstest.MapFile{Data: []byte(strings.Replace(string(siteMarked["govpack.toml"].Data), "Shapes", "Shapes \uE000title\uE000", 1))}
	for name, fsys := range map[string]fs.FS{
		"collisions":      parseArchive([]byte(printPack)).pack(),
		"sample":          os.DirFS("../content"),
		"generated":       synth.Pack(200),
		"page shapes":     marked,
		"marked settings": siteMarked,
	} {
		t.Run(name, func(t *testing.T) {
			own := fstest.MapFS{"theme/templates/document.html": {Data: document}}
			fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					b, err := fs.ReadFile(fsys, p)
					if err != nil {
						t.Fatal(err)
					}
					own[p] = &fstest.MapFile{Data: b}
				}
				return nil
			})
			// Previews leave out the digest, which the copy changes.
			want := generator.Build(own, generator.Options{Preview: true})
			got := generator.Build(fsys, generator.Options{Preview: true})
			if want.Output == nil || got.Output == nil {
				t.Fatalf("the pack does not build:\n%s\n%s", want.Diagnostics, got.Diagnostics)
			}
			if len(want.Output[generator.PrintURL]) == 0 || string(got.Output[generator.PrintURL]) != string(want.Output[generator.PrintURL]) {
				t.Errorf("print.html: %d bytes with the ids gathered from the bodies, %d with every part made", len(got.Output[generator.PrintURL]), len(want.Output[generator.PrintURL]))
			}
			// The default theme's pages have their bodies and navigation
			// put in after the template ran; a pack's own templates get
			// them as values. Every page must be the same either way.
			if len(got.Output) != len(want.Output) {
				t.Errorf("%d files with the default templates, %d with a copy", len(got.Output), len(want.Output))
			}
			for name, w := range want.Output {
				if g := got.Output[name]; string(g) != string(w) {
					t.Errorf("%s: %d bytes with the default templates, %d with a copy", name, len(g), len(w))
				}
			}
		})
	}
}
