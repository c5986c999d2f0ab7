package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// consoleProblems records what a page reports as wrong: console errors
// and warnings, uncaught exceptions, and failed loads (the log domain).
type consoleProblems struct {
	mu   sync.Mutex
	list []string
}

func (c *consoleProblems) add(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.list = append(c.list, s)
}

func (c *consoleProblems) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.list, "\n")
}

func listenForProblems(t *testing.T, ctx context.Context) *consoleProblems {
	c := &consoleProblems{}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				c.add(fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			c.add(fmt.Sprintf("exception at %s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, msg))
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				c.add(fmt.Sprintf("%s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The sample pack's site, opened from the file system: "/" focuses the
// search box; a word found in one clause's body lists that clause alone,
// with the word marked in the snippet; the arrow keys and Enter open it on
// its anchor; an entity's name finds its generated page; and no page logs
// an error.
func TestSearchInBrowser(t *testing.T) {
	site := t.TempDir()
	if status, _, stderr := runCmd("build", filepath.Join("..", "..", "content"), "-o", site); status != 0 {
		t.Fatalf("build failed (%d):\n%s", status, stderr)
	}
	b := browser(t)
	b, cancel := context.WithTimeout(b, 90*time.Second)
	defer cancel()
	problems := listenForProblems(t, b)
	if err := chromedp.Do(b, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, log.Enable, cdp.Empty{})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	// wait polls a JavaScript predicate and shows the page when it fails.
	wait := func(what, predicate string) {
		t.Helper()
		// A navigation ends a poll under way, so poll again until the deadline.
		deadline := time.Now().Add(15 * time.Second)
		for {
			_, err := chromedp.Run(b, chromedp.Poll[bool](predicate, chromedp.WithPollingTimeout(2*time.Second)))
			if err == nil {
				return
			}
			if time.Now().After(deadline) {
				body, _ := chromedp.Run(b, chromedp.OuterHTML(chromedp.CSS("header")))
				t.Fatalf("%s: %v\n%s\nconsole:\n%s", what, err, body, problems)
			}
		}
	}
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b, steps...); err != nil {
			t.Fatal(err)
		}
	}
	keys := func(k string) { t.Helper(); do(chromedp.KeyEvent(k)) }

	start := "file://" + filepath.ToSlash(filepath.Join(site, "operations", "assessment.html"))
	do(chromedp.Navigate(start))
	wait("the search box shows once the script runs", `document.readyState === "complete" && !document.querySelector("form.site-search").hidden`)

	// As a keyboard types it: one keyDown that carries the text, so that
	// preventing it keeps the "/" out of the box (chromedp.KeyEvent sends
	// the text as a separate char event, which nothing can prevent).
	do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		k := kb.Keys['/']
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: k.Key, Code: k.Code, Text: k.Text, UnmodifiedText: k.Unmodified, WindowsVirtualKeyCode: k.Windows, NativeVirtualKeyCode: k.Native}
		up := down
		up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
		for _, ev := range []input.DispatchKeyEventParams{down, up} {
			if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, ev); err != nil {
				return err
			}
		}
		return nil
	}))
	wait(`"/" focuses the search box`, `document.activeElement && document.activeElement.id === "search-input"`)
	if value := evaluate[string](t, b, `document.getElementById("search-input").value`); value != "" {
		t.Errorf(`"/" was typed into the box: %q`, value)
	}

	// "quorate" occurs in the body of clause 5.1 only, never in a title.
	keys("quorate")
	wait("one result with the word marked in its snippet",
		`document.querySelectorAll("#search-results [role=option]").length === 1 && document.querySelector("#search-results .search-snippet mark") !== null`)
	type shown struct{ Title, Page, Mark, Href, Status, Expanded string }
	result := evaluate[shown](t, b, `(() => {
		const a = document.querySelector("#search-results a");
		return {
			Title: a.querySelector(".search-title").textContent,
			Page: a.querySelector(".search-page").textContent,
			Mark: a.querySelector(".search-snippet mark").textContent,
			Href: a.getAttribute("href"),
			Status: document.getElementById("search-status").textContent,
			Expanded: document.getElementById("search-input").getAttribute("aria-expanded"),
		};
	})()`)
	want := shown{"5.1 Quorum", "Article 5 — Decision-making", "quorate", "../charter/05-decision-making.html#5.1", "1 result", "true"}
	if result != want {
		t.Errorf("result:\n got %+v\nwant %+v", result, want)
	}

	keys(kb.ArrowDown)
	wait("ArrowDown selects the result", `document.getElementById("search-result-0").getAttribute("aria-selected") === "true" && document.getElementById("search-input").getAttribute("aria-activedescendant") === "search-result-0"`)
	keys(kb.Enter)
	wait("Enter opens the clause on its anchor", `location.pathname.endsWith("/charter/05-decision-making.html") && location.hash === "#5.1" && document.readyState === "complete"`)
	heading := evaluate[string](t, b, `document.getElementById("5.1") ? document.getElementById("5.1").textContent : ""`)
	if !strings.Contains(heading, "Quorum") {
		t.Errorf("the anchor #5.1 is %q, want the heading 5.1 Quorum", heading)
	}

	// An entity: the glossary term MLETR ranks first by its name, and a
	// click lands on its entry in the glossary.
	do(chromedp.Click(chromedp.CSS("#search-input")), chromedp.KeyEvent("mletr"))
	wait("the term first in the results", `(() => { const a = document.querySelector("#search-results a"); return a !== null && a.querySelector(".search-title").textContent === "MLETR" && a.querySelector(".search-page").textContent === "Glossary"; })()`)
	keys(kb.Escape)
	wait("Escape closes the list", `document.getElementById("search-results").hidden && document.getElementById("search-input").getAttribute("aria-expanded") === "false"`)
	keys(kb.ArrowDown) // reopens, on the first result
	wait("ArrowDown reopens the list", `!document.getElementById("search-results").hidden`)
	do(chromedp.Click(chromedp.CSS("#search-results a")))
	wait("a click opens the term's entry", `location.pathname.endsWith("/governance/glossary.html") && location.hash === "#mletr" && document.readyState === "complete" && document.getElementById("mletr") !== null`)

	do(chromedp.Click(chromedp.CSS("#search-input")), chromedp.KeyEvent("qqxyzzy"))
	wait("a word the pack lacks says so", `document.getElementById("search-status").textContent === "No results" && document.getElementById("search-results").hidden`)

	if p := problems.String(); p != "" {
		t.Errorf("the pages reported problems:\n%s", p)
	}
}

func evaluate[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}
