package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// A branded pack, built and opened from the file system in chromium: the
// logo loads, links take the accent colour in light mode and the dark
// accent in dark mode, and the client's name is in the header.
func TestBrandedPackInBrowser(t *testing.T) {
	pack := writePack(t, map[string]string{
		"govpack.toml":    "title = \"T\"\nprofile = \"p.toml\"\n[theme]\nclient = \"Harbour Bank\"\nlogo = \"static/logo.svg\"\naccent = \"#8b1f3d\"\naccent_dark = \"#f0a3b8\"\n",
		"p.toml":          "id = \"p\"\ntitle = \"P\"\n",
		"charter/a.md":    "# A\n\nSee [b](b.md).\n",
		"charter/b.md":    "# B\n",
		"static/logo.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#8b1f3d"/></svg>`,
	})
	if status, _, stderr := runCmd("build", pack); status != 0 {
		t.Fatalf("build: status %d\n%s", status, stderr)
	}
	page := "file://" + filepath.ToSlash(filepath.Join(pack, "public", "charter", "a.html"))
	if _, err := os.Stat(filepath.Join(pack, "public", "logo.svg")); err != nil {
		t.Fatal(err)
	}
	b := browser(t)
	linkColour := `getComputedStyle(document.querySelector("main a")).color`
	if err := chromedp.Do(b, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(b, chromedp.Poll[bool](`document.readyState === "complete" && document.querySelector("img.logo").complete`)); err != nil {
		t.Fatal(err)
	}
	logoWidth, err1 := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelector("img.logo").naturalWidth`))
	light, err2 := chromedp.Run(b, chromedp.Evaluate[string](linkColour))
	client, err3 := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelector(".site-meta .client").textContent`))
	_, err4 := chromedp.Call(b, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
	dark, err5 := chromedp.Run(b, chromedp.Evaluate[string](linkColour))
	for _, err := range []error{err1, err2, err3, err4, err5} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if logoWidth != 40 {
		t.Errorf("the logo did not load: natural width %d", logoWidth)
	}
	if light != "rgb(139, 31, 61)" || dark != "rgb(240, 163, 184)" {
		t.Errorf("link colour: light %q, dark %q; want the accent and the dark accent", light, dark)
	}
	if client != "Harbour Bank" {
		t.Errorf("client in the header: %q", client)
	}
}
