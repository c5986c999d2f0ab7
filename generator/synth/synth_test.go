package synth

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"govpack/generator"
)

// Packs check clean at any size.
func TestPackChecksClean(t *testing.T) {
	for _, c := range []struct {
		name string
		fsys fstest.MapFS
		docs int
	}{{"Pack(60)", Pack(60), 60}, {"Small(250)", Small(250), 250}} {
		res := generator.Build(c.fsys, generator.Options{})
		if len(res.Diagnostics) > 0 || res.Output == nil {
			t.Fatalf("%s:\n%s", c.name, res.Diagnostics)
		}
		if got := len(res.Pack.Docs); got != c.docs {
			t.Errorf("%s has %d documents", c.name, got)
		}
	}
}

// The documents match the reference corpus the benchmarks are compared
// with: about 7.5 KB of Markdown each, code blocks on a third of them, and
// about five references each, which the built site resolves.
func TestPackShape(t *testing.T) {
	const n = 150
	fsys := Pack(n)
	var size, withCode, refs int
	langs := map[string]int{}
	for name, f := range fsys {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		src := string(f.Data)
		size += len(src)
		refs += strings.Count(src, "](")
		if strings.Contains(src, "```") {
			withCode++
		}
		for _, lang := range []string{"toml", "go", "yaml", "json"} {
			langs[lang] += strings.Count(src, "```"+lang+"\n")
		}
	}
	if perDoc := size / n; perDoc < 7000 || perDoc > 8000 {
		t.Errorf("%d bytes of Markdown per document, want about 7,500", perDoc)
	}
	if withCode != n/3 {
		t.Errorf("%d documents with code blocks, want a third: %d", withCode, n/3)
	}
	for lang, k := range langs {
		if k < n/3/4 {
			t.Errorf("%d %s code blocks, want at least %d", k, lang, n/3/4)
		}
	}
	if perDoc := float64(refs) / n; perDoc < 4.5 || perDoc > 5.5 {
		t.Errorf("%.1f references per document, want about 5", perDoc)
	}
	res := generator.Build(Pack(20), generator.Options{})
	if len(res.Diagnostics) > 0 || res.Output == nil {
		t.Fatalf("Pack(20):\n%s", res.Diagnostics)
	}
	page := string(res.Output["charter/doc-00000.html"])
	for _, want := range []string{`<pre class="chroma">`, `<span class="nt">`, `<table>`, `<ol>`, `<h3 id="1.8">`, `href="../governance/`} {
		if !strings.Contains(page, want) {
			t.Errorf("charter/doc-00000.html lacks %s", want)
		}
	}
	if !regexp.MustCompile(`href="\.\./\w+/doc-\d{5}\.html#\d\.\d"`).MatchString(page) {
		t.Errorf("charter/doc-00000.html has no resolved reference to another document's clause")
	}
}

// The Hugo site holds the same Markdown, with highlighting by CSS classes
// and taxonomies, RSS and the sitemap off.
func TestHugoSiteHasTheSameDocuments(t *testing.T) {
	pack, site := Pack(40), Hugo(40)
	docs := 0
	for name, f := range pack {
		if strings.HasSuffix(name, ".md") {
			docs++
			if !bytes.Equal(site["content/"+name].Data, f.Data) {
				t.Errorf("content/%s differs from the pack's document", name)
			}
		}
	}
	if got := len(site) - 3; got != docs {
		t.Errorf("the Hugo site has %d documents, want %d", got, docs)
	}
	config := string(site["hugo.toml"].Data)
	for _, want := range []string{"noClasses = false", `disableKinds = ["taxonomy", "term", "RSS", "sitemap"]`} {
		if !strings.Contains(config, want) {
			t.Errorf("hugo.toml lacks %s", want)
		}
	}
}

// The full Hugo site has the same documents and settings, and layouts for
// the print page, the search index and each page's table of contents.
func TestHugoFullSite(t *testing.T) {
	site, full := Hugo(40), HugoFull(40)
	for name, f := range site {
		if strings.HasPrefix(name, "content/") && !bytes.Equal(full[name].Data, f.Data) {
			t.Errorf("%s differs from the plain Hugo site's", name)
		}
	}
	config := string(full["hugo.toml"].Data)
	for _, want := range []string{"noClasses = false", `disableKinds = ["taxonomy", "term", "RSS", "sitemap"]`, `home = ["HTML", "print", "searchindex"]`} {
		if !strings.Contains(config, want) {
			t.Errorf("hugo.toml lacks %s", want)
		}
	}
	for name, want := range map[string]string{
		"layouts/_default/single.html":   ".TableOfContents",
		"layouts/index.print.html":       "{{ .Content }}",
		"layouts/index.searchindex.json": ".Plain",
	} {
		if f := full[name]; f == nil || !strings.Contains(string(f.Data), want) {
			t.Errorf("%s is missing or lacks %s", name, want)
		}
	}
}

func TestPackIsDeterministic(t *testing.T) {
	a, b := Pack(100), Pack(100)
	for name, f := range a {
		if !bytes.Equal(f.Data, b[name].Data) {
			t.Fatalf("%s differs between two calls", name)
		}
	}
}

// On a large site a page's navigation shows its own section only, and a
// window of it, so page size does not grow with the site.
func TestLargeSiteNavigationIsBounded(t *testing.T) {
	res := generator.Build(Small(1200), generator.Options{})
	if res.Output == nil {
		t.Fatal(res.Diagnostics)
	}
	page := string(res.Output["specs/doc-00604.html"])
	if got := strings.Count(page, `<li><a href="doc-`); got != 60 {
		t.Errorf("the page lists %d documents of its section in the navigation, want the 60-document window", got)
	}
	if !strings.Contains(page, `aria-current="page">Document 604</a>`) || !strings.Contains(page, `<li class="nav-more"><a href="index.html">90 more</a></li>`) {
		t.Errorf("navigation lacks the current page or the link to the rest of the section")
	}
	if !strings.Contains(page, `<a href="../charter/index.html">Charter</a>`) || strings.Contains(page, `href="../charter/doc-00000.html"`) {
		t.Errorf("other sections should show as links to their index, without their documents")
	}
}
