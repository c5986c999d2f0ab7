package generator_test

import (
	"bytes"
	"fmt"
	"html"
	"io/fs"
	"net/url"
	"os"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"govpack/generator"
	"govpack/generator/diag"
)

// buildSample builds the sample pack in content/, which must build clean.
func buildSample(t testing.TB) *generator.Result {
	t.Helper()
	res := generator.Build(os.DirFS("../content"), generator.Options{})
	if len(res.Diagnostics) > 0 {
		t.Fatalf("the sample pack does not build clean:\n%s", res.Diagnostics)
	}
	return res
}

var (
	linkAttr = regexp.MustCompile(`\s(?:href|src)="([^"]*)"`)
	idAttr   = regexp.MustCompile(`\sid="([^"]*)"`)
)

// brokenLinks crawls every page of a built site and lists each internal
// link or anchor that leads nowhere.
func brokenLinks(out generator.Output) []string {
	ids := map[string]map[string]bool{}
	for name, b := range out {
		if strings.HasSuffix(name, ".html") {
			set := map[string]bool{}
			for _, m := range idAttr.FindAllSubmatch(b, -1) {
				set[html.UnescapeString(string(m[1]))] = true
			}
			ids[name] = set
		}
	}
	var broken []string
	for name, b := range out {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range linkAttr.FindAllSubmatch(b, -1) {
			ref := html.UnescapeString(string(m[1]))
			u, err := url.Parse(ref)
			if err != nil {
				broken = append(broken, fmt.Sprintf("%s: unparsable link %q", name, ref))
				continue
			}
			if u.Scheme != "" || u.Host != "" {
				continue // external
			}
			target := name
			if u.Path != "" {
				if strings.HasPrefix(u.Path, "/") {
					broken = append(broken, fmt.Sprintf("%s: absolute link %q breaks under a sub-path", name, ref))
					continue
				}
				target = path.Join(path.Dir(name), u.Path)
			}
			if _, ok := out[target]; !ok {
				broken = append(broken, fmt.Sprintf("%s: link %q: no file %s", name, ref, target))
				continue
			}
			if u.Fragment != "" && ids[target] != nil && !ids[target][u.Fragment] {
				broken = append(broken, fmt.Sprintf("%s: link %q: %s has no id %q", name, ref, target, u.Fragment))
			}
		}
	}
	sort.Strings(broken)
	return broken
}

func TestSampleHasNoBrokenLinks(t *testing.T) {
	res := buildSample(t)
	pages := 0
	for name := range res.Output {
		if strings.HasSuffix(name, ".html") {
			pages++
		}
	}
	if pages < 40 {
		t.Errorf("the sample site has %d pages; expected the documents and the generated pages", pages)
	}
	for _, b := range brokenLinks(res.Output) {
		t.Error(b)
	}
}

// The crawler must itself catch broken links, or the test above proves nothing.
func TestBrokenLinksFindsBreakage(t *testing.T) {
	out := generator.Output{
		"index.html":   []byte(`<a href="a/b.html#x">ok</a><a href="missing.html">bad</a><a href="a/b.html#nope">bad</a><a href="/abs.html">bad</a><a href="https://example.org/">ext</a>`),
		"a/b.html":     []byte(`<h2 id="x">x</h2><a href="../index.html">up</a><img src="../img.png">`),
		"img.png":      []byte("png"),
		"a/style.html": []byte(`<a href="#x">bad</a>`),
	}
	got := strings.Join(brokenLinks(out), "\n")
	for _, want := range []string{`index.html: link "missing.html"`, `index.html: link "a/b.html#nope"`, `index.html: absolute link "/abs.html"`, `a/style.html: link "#x"`} {
		if !strings.Contains(got, want) {
			t.Errorf("brokenLinks missed %s; got:\n%s", want, got)
		}
	}
	if n := len(brokenLinks(out)); n != 4 {
		t.Errorf("brokenLinks found %d problems, want 4:\n%s", n, got)
	}
}

func TestBuildIsReproducible(t *testing.T) {
	first := buildSample(t).Output
	prev := runtime.GOMAXPROCS(1)
	second := buildSample(t).Output
	runtime.GOMAXPROCS(prev)
	if len(first) != len(second) {
		t.Fatalf("builds differ in file count: %d and %d", len(first), len(second))
	}
	for name, b := range first {
		if !bytes.Equal(b, second[name]) {
			t.Errorf("%s differs between two builds of the same sources", name)
		}
	}
}

// BenchmarkBuildSample builds the sample pack in memory: load, check,
// link and render, no disk writes.
func BenchmarkBuildSample(b *testing.B) {
	fsys := os.DirFS("../content")
	// Read the pack into memory once so the figure excludes disk reads.
	mem := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		mem[name] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if res := generator.Build(mem, generator.Options{}); res.Output == nil {
			b.Fatalf("sample does not build:\n%s", res.Diagnostics)
		}
	}
}

// loadSample reads the sample pack into memory, so tests can change it.
func loadSample(t testing.TB) fstest.MapFS {
	t.Helper()
	fsys := os.DirFS("../content")
	mem := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(name, "public/") {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		mem[name] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return mem
}

var coversLine = regexp.MustCompile(`(?m)^covers = \["([a-z-]+)"\]\n`)

// Removing any one covering section of the sample makes check name
// exactly that item, and nothing else.
func TestSampleCoverageIsTight(t *testing.T) {
	mem := loadSample(t)
	items := 0
	for name, f := range mem {
		if strings.HasPrefix(name, "history/") {
			continue // archived versions cover nothing of the current one
		}
		m := coversLine.FindSubmatch(f.Data)
		if m == nil {
			continue
		}
		items++
		item := string(m[1])
		changed := fstest.MapFS{}
		for k, v := range mem {
			changed[k] = v
		}
		changed[name] = &fstest.MapFile{Data: coversLine.ReplaceAll(f.Data, nil)}
		res := generator.Check(changed, generator.Options{})
		// Any edit makes the ratifications stale; that is not the point here.
		var got diag.List
		for _, d := range res.Diagnostics {
			if !strings.HasPrefix(d.Rule, "ratify/") {
				got = append(got, d)
			}
		}
		want := fmt.Sprintf("govpack.toml:6:1: error: profile item %q", item)
		if len(got) != 1 || !strings.HasPrefix(got[0].String(), want) || got[0].Rule != "coverage/missing" {
			t.Errorf("without the covers of %s, check says:\n%s\nwant one diagnostic starting %s", name, got, want)
		}
	}
	if items != 20 {
		t.Errorf("found %d covering documents in the sample, want 20", items)
	}
}

// Every member of the sample ratified the current version with its test
// key, and the site says so.
func TestSampleIsRatified(t *testing.T) {
	res := buildSample(t)
	page := string(res.Output["governance/amendments.html"])
	if got := strings.Count(page, "<td>ratified this version</td>"); got != len(res.Pack.Data.Members) {
		t.Errorf("%d of %d members shown as ratified", got, len(res.Pack.Data.Members))
	}
	if !strings.Contains(page, res.Pack.Digest) || !strings.Contains(string(res.Output["index.html"]), res.Pack.Digest) {
		t.Error("the pack digest is not shown on the amendments page and the overview")
	}
	for _, r := range res.Pack.Data.Ratifications {
		if r.Digest != res.Pack.Digest {
			t.Errorf("%s ratified %s, not the current digest %s", r.Member, r.Digest, res.Pack.Digest)
		}
	}
	if want := `<dt>This version</dt><dd class="ratification">ratified this version on ` + res.Pack.Settings.Effective.String() + `</dd>`; !strings.Contains(string(res.Output["governance/members/fmoo.html"]), want) {
		t.Errorf("a member page does not say %q", want)
	}
}

// Every version the sample archives under history/ leads to a redline of
// the next version: the amendment history links it, and the page marks real
// words removed and added, not just "changed".
func TestSampleRedlines(t *testing.T) {
	res := buildSample(t)
	archived, err := os.ReadDir("../content/history")
	if err != nil {
		t.Fatal(err)
	}
	if len(archived) < 2 {
		t.Fatalf("the sample archives %d versions; it should show at least two redlines", len(archived))
	}
	amendments := string(res.Output["governance/amendments.html"])
	ins, del := regexp.MustCompile(`<ins>[^<]*\w[^<]*</ins>`), regexp.MustCompile(`<del>[^<]*\w[^<]*</del>`)
	redlines := 0
	for _, a := range res.Pack.Data.Amendments {
		page, ok := res.Output["governance/redlines/"+a.Version+".html"]
		if !ok {
			continue
		}
		redlines++
		if n, m := len(ins.FindAll(page, -1)), len(del.FindAll(page, -1)); n == 0 || m == 0 {
			t.Errorf("the redline of %s has %d insertions and %d deletions; want real ones of both", a.Version, n, m)
		}
		if !regexp.MustCompile(`<a href="redlines/` + regexp.QuoteMeta(a.Version) + `\.html">Redline from \d+\.\d+\.\d+</a>`).MatchString(amendments) {
			t.Errorf("amendment %s does not link to its redline", a.Version)
		}
	}
	if redlines != len(archived) {
		t.Errorf("%d amendments have a redline page; the sample archives %d versions, each the base of one", redlines, len(archived))
	}
	for page, wants := range map[string][]string{
		"governance/redlines/2.1.0.html": {
			"Changes from version 2.0.0 to 2.1.0",
			"at most <del>30</del> <ins>14</ins> days",
			`<span class="badge">added</span> <a href="../../charter/05-decision-making.html#5.4">5.4 Written procedure</a>`,
		},
		"governance/redlines/2.2.0.html": {
			"Changes from version 2.1.0 to 2.2.0",
			"critical within <del>72</del> <ins>48</ins> h",
			"valid for <del>12 months,</del> <ins>6 months",
			`<span class="badge">added</span> <a href="../../operations/incident-response.html#supplier-incidents">Supplier incidents</a>`,
			"<td>retention</td><td><del>7 years after delivery of the goods</del></td><td><ins>10 years after delivery of the goods</ins></td>",
		},
	} {
		for _, want := range wants {
			if !strings.Contains(string(res.Output[page]), want) {
				t.Errorf("%s lacks %q", page, want)
			}
		}
	}
}
