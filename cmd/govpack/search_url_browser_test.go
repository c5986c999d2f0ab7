package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// At the site's root the search box's data-root is empty; a result's link
// is still built relative to the page ("./"), so that a site path such as
// "javascript:…" is a file, never a script run on Enter. The path is put
// into the built index by hand: a pack cannot hold such a name.
func TestSearchURLsRelativeAtRoot(t *testing.T) {
	site := t.TempDir()
	pack := writePack(t, map[string]string{
		"govpack.toml": "title = \"T\"\nprofile = \"p.toml\"\n",
		"p.toml":       "id = \"p\"\ntitle = \"P\"\n",
		"charter/a.md": "# A\n\nZebra words here.\n",
	})
	if status, _, stderr := runCmd("build", pack, "-o", site); status != 0 {
		t.Fatalf("build failed (%d):\n%s", status, stderr)
	}
	index := filepath.Join(site, "search", "index.js")
	b, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	forged := bytes.Replace(b, []byte(`"charter/a.html"`), []byte(`"javascript:window.ran=1//.html"`), 1)
	if bytes.Equal(forged, b) {
		t.Fatal("the index does not list charter/a.html")
	}
	if err := os.WriteFile(index, forged, 0o644); err != nil {
		t.Fatal(err)
	}
	br, cancel := context.WithTimeout(browser(t), 60*time.Second)
	defer cancel()
	if err := chromedp.Do(br, chromedp.Navigate("file://"+filepath.ToSlash(filepath.Join(site, "index.html")))); err != nil {
		t.Fatal(err)
	}
	poll := func(what, predicate string) {
		t.Helper()
		if _, err := chromedp.Run(br, chromedp.Poll[bool](predicate, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	poll("the search box shows", `document.readyState === "complete" && !document.querySelector("form.site-search").hidden`)
	if err := chromedp.Do(br, chromedp.Click(chromedp.CSS("#search-input")), chromedp.KeyEvent("zebra")); err != nil {
		t.Fatal(err)
	}
	poll("one result", `document.querySelectorAll("#search-results a").length === 1`)
	if href := evaluate[string](t, br, `document.querySelector("#search-results a").getAttribute("href")`); href != "./javascript:window.ran=1//.html" {
		t.Errorf("the result links to %q", href)
	}
}
