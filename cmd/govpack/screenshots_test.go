package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

var screenshots = flag.String("screenshots", "", "write screenshots of the sample site into this directory (make screenshots)")

// TestScreenshots is not a check but the tool behind `make screenshots`:
// it builds the sample pack and saves the pictures the README shows.
func TestScreenshots(t *testing.T) {
	if *screenshots == "" {
		t.Skip("writes screenshots only when asked: go test -run TestScreenshots -screenshots=DIR (make screenshots)")
	}
	site := sampleSite(t)
	dir := strings.TrimPrefix(site, "file://")
	ctx := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := os.MkdirAll(*screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	shoot := func(name string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		time.Sleep(150 * time.Millisecond) // let the deferred script settle
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(*screenshots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	desktop := chromedp.EmulateViewport(1280, 800)
	shoot("screenshot-overview", desktop, colorScheme("light"), loaded(site+"index.html"))
	shoot("screenshot-member", loaded(site+"governance/members/harbour-bank.html"))
	shoot("screenshot-matrix", loaded(site+"governance/rights.html"))
	shoot("screenshot-document-dark", colorScheme("dark"), loaded(site+"specs/network-environment.html"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(".term-link").focus()`))
	shoot("screenshot-phone", colorScheme("light"), chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		loaded(site+"charter/05-decision-making.html"))
	if _, err := os.Stat(filepath.Join(dir, "print.html")); err == nil {
		shoot("screenshot-print", desktop, command(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}), loaded(site+"print.html"))
		if err := chromedp.Do(ctx, colorScheme("light")); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, desktop, colorScheme("light"), loaded(site+"index.html")); err != nil {
		t.Fatal(err)
	}
	if evalJS[bool](t, ctx, `document.querySelector(".site-header input[type=search]") !== null`) {
		shoot("screenshot-search", desktop, colorScheme("light"), loaded(site+"governance/nodes.html"),
			chromedp.SendKeys(chromedp.CSS(".site-header input[type=search]"), "veto"),
			waitFor(`document.querySelectorAll(".site-header [role=listbox] li").length > 0`))
	}
}
