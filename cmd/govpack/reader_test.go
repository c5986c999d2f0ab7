package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axeScript reads axe-core, which `make deps` installs from npm. A missing
// axe fails the test: the accessibility checks are part of the contract.
func axeScript(t *testing.T) string {
	t.Helper()
	file := os.Getenv("GOVPACK_AXE")
	if file == "" {
		file = filepath.Join("..", "..", ".cache", "npm", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("axe-core is missing (%v): run `make deps`, which installs it with npm into .cache/npm, or set GOVPACK_AXE to axe.min.js", err)
	}
	return string(b)
}

// sampleSite builds the sample pack into a temporary directory and
// returns its file:// URL, ending in a slash.
func sampleSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if status, stdout, stderr := runCmd("build", filepath.Join("..", "..", "content"), "-o", dir); status != 0 {
		t.Fatalf("build failed (%d):\n%s%s", status, stdout, stderr)
	}
	return "file://" + filepath.ToSlash(dir) + "/"
}

// pageErrors collects what a page reports as broken: uncaught exceptions,
// console errors and failed loads.
type pageErrors struct {
	mu   sync.Mutex
	list []string
}

func (e *pageErrors) listen(t *testing.T, ctx context.Context) {
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value))
				}
				msg = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				msg = "log: " + ev.Entry.Text + " " + ev.Entry.URL
			}
		}
		if msg != "" {
			e.mu.Lock()
			e.list = append(e.list, msg)
			e.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (e *pageErrors) take() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	l := e.list
	e.list = nil
	return l
}

// axeViolation is what the test reports of one axe-core violation.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// runAxe injects axe-core into the current page and returns the WCAG 2.1
// A and AA violations it finds.
func runAxe(ctx context.Context, axe string) ([]axeViolation, error) {
	const script = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"], preload: false})
  .then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))))`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		return nil, err
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	var v []axeViolation
	err = json.Unmarshal([]byte(out), &v)
	return v, err
}

// loaded navigates to url and waits for the deferred script to have run.
func loaded(url string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(url),
		waitFor(`document.readyState === "complete"`),
	)
}

// waitFor polls a JavaScript predicate for up to ten seconds. A
// navigation ends a poll under way, so it polls again until the deadline.
func waitFor(predicate string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, err := chromedp.Poll[bool](predicate, chromedp.WithPollingTimeout(time.Until(deadline)))(ctx, t)
			if err == nil || time.Now().After(deadline) {
				return err
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// command runs a DevTools protocol command of the page as an action.
func command[P, R any](c cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, c, params)
		return err
	})
}

// colorScheme emulates the system's light or dark setting.
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return command(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
}

// evalJS evaluates a JavaScript expression in the page; a promise is
// awaited.
func evalJS[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// The reader's site in a real browser: axe-core finds no WCAG 2.1 AA
// violation on the main kinds of page, in light and dark; no page logs an
// error; navigation, heading links, glossary tooltips, the theme toggle and
// the matrix filters work; phones get one column and no sideways scroll;
// and nothing shifts once the page is painted.
func TestReaderSite(t *testing.T) {
	axe := axeScript(t)
	site := sampleSite(t)
	ctx := browser(t)
	do := func(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	do(t, "open", chromedp.EmulateViewport(1280, 900))
	// The browser runs now: a deadline on later steps no longer stops it.
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	var errs pageErrors
	errs.listen(t, ctx)

	pages := []string{"index.html", "charter/05-decision-making.html", "governance/members/harbour-bank.html", "governance/rights.html"}
	if _, err := os.Stat(strings.TrimPrefix(site, "file://") + "print.html"); err == nil {
		pages = append(pages, "print.html")
	}
	t.Run("axe", func(t *testing.T) {
		for _, scheme := range []string{"light", "dark"} {
			do(t, "color scheme", colorScheme(scheme))
			for _, p := range pages {
				do(t, p, loaded(site+p))
				v, err := runAxe(ctx, axe)
				if err != nil {
					t.Fatalf("axe on %s: %v", p, err)
				}
				for _, x := range v {
					t.Errorf("%s (%s): %s [%s, %s] at %s", p, scheme, x.Help, x.ID, x.Impact, strings.Join(x.Targets, ", "))
				}
				if e := errs.take(); len(e) > 0 {
					t.Errorf("%s (%s) reported errors:\n%s", p, scheme, strings.Join(e, "\n"))
				}
			}
		}
		do(t, "color scheme", colorScheme("light"))
	})

	t.Run("navigation", func(t *testing.T) {
		do(t, "document", loaded(site+"charter/05-decision-making.html"))
		current := evalJS[string](t, ctx, `document.querySelector(".site-nav [aria-current=page]").getAttribute("href")`)
		crumbs := evalJS[string](t, ctx, `[...document.querySelectorAll(".breadcrumbs li")].map(l => l.textContent.trim()).join(" / ")`)
		next := evalJS[string](t, ctx, `document.querySelector("a[rel=next]").href`)
		if current != "05-decision-making.html" {
			t.Errorf("the navigation marks %q as the current page", current)
		}
		if crumbs != "Overview / Charter / Article 5 — Decision-making" {
			t.Errorf("breadcrumbs read %q", crumbs)
		}
		if n := evalJS[int](t, ctx, `document.querySelectorAll("aside.toc a[href='#5.2']").length`); n != 1 {
			t.Errorf("the table of contents has %d links to 5.2", n)
		}
		do(t, "follow next", chromedp.Click(chromedp.CSS("a[rel=next]")), waitFor(`location.href === `+jsString(next)+` && document.readyState === "complete"`))

		// A heading link is a plain link to its section, and copies the URL.
		for _, perm := range []string{"clipboard-read", "clipboard-write"} {
			if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{Permission: &cdpbrowser.PermissionDescriptor{Name: perm}, Setting: cdpbrowser.PermissionSettingGranted}); err != nil {
				t.Fatalf("grant %s: %v", perm, err)
			}
		}
		do(t, "document", loaded(site+"charter/05-decision-making.html"))
		const anchor = `document.querySelector("h3[id='5.2'] a.anchor")`
		if o := evalJS[string](t, ctx, `getComputedStyle(`+anchor+`).opacity`); o != "0" {
			t.Errorf("the heading link shows (opacity %s) before hover or focus", o)
		}
		do(t, "focus anchor", chromedp.Focus(chromedp.CSS(`h3[id='5.2'] a.anchor`)))
		if o, label := evalJS[string](t, ctx, `getComputedStyle(`+anchor+`).opacity`), evalJS[string](t, ctx, anchor+`.getAttribute("aria-label")`); o != "1" || label != "Link to this section" {
			t.Errorf("a focused heading link has opacity %s and label %q", o, label)
		}
		do(t, "click anchor", chromedp.Click(chromedp.CSS(`h3[id='5.2'] a.anchor`)),
			waitFor(`location.hash === "#5.2"`),
			waitFor(`document.querySelector(".copy-status").textContent !== ""`))
		status := evalJS[string](t, ctx, `document.querySelector(".copy-status").textContent`)
		copied := evalJS[string](t, ctx, `navigator.clipboard.readText()`)
		if status != "Link copied" || !strings.HasSuffix(copied, "/charter/05-decision-making.html#5.2") {
			t.Errorf("clicking the heading link said %q and copied %q", status, copied)
		}
	})

	t.Run("glossary", func(t *testing.T) {
		do(t, "document", loaded(site+"charter/02-association.html"))
		const tip = `document.getElementById(document.querySelector(".term-link").getAttribute("aria-describedby"))`
		before := evalJS[string](t, ctx, `getComputedStyle(`+tip+`).display`)
		do(t, "focus term", chromedp.Focus(chromedp.CSS(".term-link")))
		focused := evalJS[string](t, ctx, `getComputedStyle(`+tip+`).display`)
		desc := evalJS[string](t, ctx, tip+`.textContent`)
		do(t, "escape", chromedp.KeyEvent("\u001b"))
		escaped := evalJS[string](t, ctx, `getComputedStyle(`+tip+`).display`)
		if before != "none" || focused != "block" || escaped != "none" || desc == "" {
			t.Errorf("tooltip display: %s before focus, %s on focus, %s after Escape; description %q", before, focused, escaped, desc)
		}
		if href := evalJS[string](t, ctx, `document.querySelector(".term-link").getAttribute("href")`); !strings.HasPrefix(href, "../governance/glossary.html#") {
			t.Errorf("a term links to %q", href)
		}
		// No definition runs past the window, wherever its term sits.
		do(t, "narrow window", chromedp.EmulateViewport(900, 900))
		defer do(t, "wide window", chromedp.EmulateViewport(1280, 900))
		for _, p := range []string{"index.html", "specs/network-environment.html", "operations/business-continuity.html"} {
			do(t, p, loaded(site+p))
			if out := evalJS[[]string](t, ctx, `[...document.querySelectorAll(".term-link")].map(a => { a.focus(); const r = document.getElementById(a.getAttribute("aria-describedby")).getBoundingClientRect(); return r.right > document.documentElement.clientWidth || r.left < 0 ? a.textContent + " " + Math.round(r.left) + ".." + Math.round(r.right) : ""; }).filter(Boolean)`); len(out) > 0 {
				t.Errorf("%s: definitions past the window's edge: %q", p, out)
			}
		}
	})

	t.Run("theme", func(t *testing.T) {
		const bg = `getComputedStyle(document.body).backgroundColor`
		do(t, "document", loaded(site+"governance/nodes.html"))
		bg1 := evalJS[string](t, ctx, bg)
		do(t, "toggle", chromedp.Click(chromedp.CSS(".theme-toggle")))
		bg2 := evalJS[string](t, ctx, bg)
		stored := evalJS[string](t, ctx, `localStorage.getItem("govpack-theme")`)
		pressed := evalJS[string](t, ctx, `document.querySelector(".theme-toggle").getAttribute("aria-pressed")`)
		do(t, "next page", loaded(site+"governance/decisions.html"))
		after := evalJS[string](t, ctx, `document.documentElement.getAttribute("data-theme") + " " + `+bg)
		if bg1 == bg2 || stored != "dark" || pressed != "true" || after != "dark "+bg2 {
			t.Errorf("toggle: background %s → %s, stored %q, pressed %s, next page %q", bg1, bg2, stored, pressed, after)
		}
		do(t, "toggle back", chromedp.Click(chromedp.CSS(".theme-toggle")))
		if stored := evalJS[string](t, ctx, `localStorage.getItem("govpack-theme")`); stored != "light" {
			t.Errorf("toggling back stored %q", stored)
		}
	})

	t.Run("matrix", func(t *testing.T) {
		do(t, "matrix", loaded(site+"governance/rights.html"))
		count := func() (rows, cols int) {
			n := evalJS[[]int](t, ctx, `[[...document.querySelectorAll("table.matrix tbody tr")].filter(r => r.offsetParent !== null).length,
			  [...document.querySelectorAll("table.matrix thead th[data-member]")].filter(c => c.offsetParent !== null).length]`)
			return n[0], n[1]
		}
		choose := func(sel, value string) {
			do(t, "choose "+value, chromedp.SetValue(chromedp.CSS(sel), value), chromedp.Evaluate[chromedp.Void](`document.querySelector("`+sel+`").dispatchEvent(new Event("change"))`))
		}
		allRows, allCols := count()
		choose("#filter-member", "fmoo")
		rows, cols := count()
		unheld := evalJS[int](t, ctx, `[...document.querySelectorAll("table.matrix tbody tr")].filter(r => r.offsetParent !== null && !r.querySelector("td[data-member=fmoo][data-held]")).length`)
		if cols != 1 || rows == 0 || rows >= allRows || unheld != 0 {
			t.Errorf("filtered by member: %d of %d rows, %d of %d columns, %d rows it does not hold", rows, allRows, cols, allCols, unheld)
		}
		choose("#filter-member", "")
		choose("#filter-pillar", "technical-specifications")
		rows, cols = count()
		other := evalJS[int](t, ctx, `[...document.querySelectorAll("table.matrix tbody tr")].filter(r => r.offsetParent !== null && r.dataset.pillar !== "technical-specifications").length`)
		if rows == 0 || rows >= allRows || cols != allCols || other != 0 {
			t.Errorf("filtered by pillar: %d of %d rows, %d of %d columns, %d rows of another pillar", rows, allRows, cols, allCols, other)
		}
	})

	t.Run("phone", func(t *testing.T) {
		do(t, "phone", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
		defer do(t, "desktop", chromedp.EmulateViewport(1280, 900))
		for _, p := range append(pages, "governance/coverage.html", "governance/nodes.html", "governance/decisions.html", "governance/amendments.html", "specs/network-environment.html") {
			do(t, p, loaded(site+p))
			width := evalJS[int](t, ctx, `document.documentElement.scrollWidth`)
			open := evalJS[bool](t, ctx, `document.querySelector(".nav-details")?.open === true`) // the print page has no navigation
			if width > 360 || open {
				t.Errorf("%s on a 360-pixel phone: %d pixels wide, navigation open %v", p, width, open)
			}
		}
		// A definition stays on the screen, wherever its term is.
		do(t, "term", loaded(site+"specs/network-environment.html"), chromedp.Focus(chromedp.CSS(".term-link")))
		if box := evalJS[[]float64](t, ctx, `(r => [r.left, r.right, r.width])(document.getElementById(document.querySelector(".term-link").getAttribute("aria-describedby")).getBoundingClientRect())`); box[0] < 0 || box[1] > 360 || box[2] == 0 {
			t.Errorf("a glossary definition on a phone spans %v to %v pixels", box[0], box[1])
		}
		do(t, "open the menu", loaded(site+"charter/05-decision-making.html"), chromedp.Click(chromedp.CSS(".nav-details > summary")))
		if !evalJS[bool](t, ctx, `document.querySelector(".site-nav a[aria-current=page]").offsetParent !== null`) {
			t.Error("opening the menu does not show the navigation")
		}
	})

	t.Run("layout-shift", func(t *testing.T) {
		do(t, "document", loaded(site+"charter/05-decision-making.html"))
		shift := evalJS[float64](t, ctx, `new Promise(done => {
			let sum = 0;
			new PerformanceObserver(list => { for (const e of list.getEntries()) sum += e.value; }).observe({type: "layout-shift", buffered: true});
			setTimeout(() => done(sum), 300);
		})`)
		if shift > 0.01 {
			t.Errorf("cumulative layout shift %.3f on load", shift)
		}
	})

	if e := errs.take(); len(e) > 0 {
		t.Errorf("pages reported errors:\n%s", strings.Join(e, "\n"))
	}
}

// Without JavaScript the pages read whole: the navigation is open, the
// matrix shows every row and column and offers no filter that cannot
// work, and the theme follows the system.
func TestReaderSiteWithoutScripts(t *testing.T) {
	site := sampleSite(t)
	ctx := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	err := chromedp.Do(ctx,
		command(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}),
		colorScheme("dark"),
		chromedp.Navigate(site+"governance/rights.html"),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Scripts are off for the page, not for the test's own evaluation.
	state := evalJS[string](t, ctx, `[
		document.querySelector(".nav-details").open,
		getComputedStyle(document.querySelector(".matrix-filter")).display,
		getComputedStyle(document.querySelector(".theme-toggle")).display,
		[...document.querySelectorAll("table.matrix tbody tr")].every(r => r.offsetParent !== null),
		getComputedStyle(document.body).backgroundColor,
	].join(" ")`)
	if want := "true none none true rgb(20, 24, 28)"; state != want {
		t.Errorf("without scripts (navigation open, filter display, toggle display, all rows shown, dark background) = %q, want %q", state, want)
	}
}
