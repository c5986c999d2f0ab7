package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds Debian's chromium; .ci/run installs it. A browser test
// that cannot find it fails rather than skipping: the behaviour under test
// lives in the browser.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no chromium on PATH: install Debian's chromium package (.ci/run does)")
	return ""
}

// browser starts a headless chromium for the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx
}

// In a real browser: a saved edit appears without a manual reload, a broken
// TOML file shows the overlay with its file and line, and fixing it removes
// the overlay.
func TestServeInBrowser(t *testing.T) {
	pack := writePack(t, goodPack)
	url := startServe(t, pack)

	b := browser(t)
	b, cancelB := context.WithTimeout(b, 60*time.Second)
	defer cancelB()
	// until polls a JavaScript predicate; a live reload navigates the page
	// under the poll, which ends it, so it polls again until the deadline.
	until := func(what, predicate string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			// A page still loading may lack the overlay it is about to show.
			_, err := chromedp.Run(b, chromedp.Poll[bool](`document.readyState === "complete" && (`+predicate+`)`, chromedp.WithPollingTimeout(2*time.Second)))
			if err == nil {
				return
			}
			if time.Now().After(deadline) {
				body, _ := chromedp.Run(b, chromedp.OuterHTML("body"))
				t.Fatalf("the page never showed %s: %v\n%s", what, err, body)
			}
		}
	}
	waitText := func(sel, text string) {
		t.Helper()
		until(text, `document.querySelector(`+jsString(sel)+`) !== null && document.querySelector(`+jsString(sel)+`).textContent.includes(`+jsString(text)+`)`)
	}
	if _, err := chromedp.Run(b, chromedp.Navigate("http://"+url+"charter/a.html")); err != nil {
		t.Fatal(err)
	}
	waitText("main", "See b")

	os.WriteFile(filepath.Join(pack, "charter", "a.md"), []byte("# A\n\nSaved while the browser watched.\n"), 0o644)
	waitText("main", "Saved while the browser watched.")

	os.WriteFile(filepath.Join(pack, "data.toml"), []byte("[[member]\n"), 0o644)
	waitText("#govpack-overlay", "data.toml:1:9: error:")

	os.Remove(filepath.Join(pack, "data.toml"))
	until("no overlay after the fix", `document.querySelector("main") !== null && document.querySelector("#govpack-overlay") === null`)
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
