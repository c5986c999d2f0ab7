package synth

import (
	"bytes"
	"strings"
	"testing"

	"govpack/generator"
)

func TestPackChecksClean(t *testing.T) {
	for _, n := range []int{20, 250} {
		res := generator.Build(Pack(n), generator.Options{})
		if len(res.Diagnostics) > 0 || res.Output == nil {
			t.Fatalf("Pack(%d):\n%s", n, res.Diagnostics)
		}
		if got := len(res.Pack.Docs); got != n {
			t.Errorf("Pack(%d) has %d documents", n, got)
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
	res := generator.Build(Pack(1200), generator.Options{})
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
