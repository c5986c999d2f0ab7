package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"govpack/generator"
	"govpack/generator/synth"
)

func pack() fstest.MapFS {
	return fstest.MapFS{
		"govpack.toml": {Data: []byte("title = \"T\"\nprofile = \"p.toml\"\n")},
		"p.toml":       {Data: []byte("id = \"p\"\ntitle = \"P\"\n")},
		"charter/a.md": {Data: []byte("# A\n\nFirst text.\n")},
		"charter/b.md": {Data: []byte("# B\n\nOther.\n")},
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// events opens the event stream and returns a function reading the next
// event's data, with a deadline instead of sleeps.
func events(t *testing.T, ctx context.Context, url string) func() string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", url+EventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 64)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				lines <- data
			}
		}
		close(lines)
	}()
	return func() string {
		t.Helper()
		select {
		case l := <-lines:
			return l
		case <-time.After(5 * time.Second):
			t.Fatal("no event within 5 s")
			return ""
		}
	}
}

func TestServeReloadAndOverlay(t *testing.T) {
	fsys := pack()
	s := New(fsys, generator.Options{Preview: true})
	if r := s.Rebuild(nil); r.Failed {
		t.Fatal(r.Diags)
	}
	s.Settle()
	srv := httptest.NewServer(s)
	defer srv.Close()

	status, page := get(t, srv.URL+"/charter/a.html")
	if status != 200 || !strings.Contains(page, "First text.") || !strings.Contains(page, "new EventSource") || strings.Contains(page, "govpack-overlay") {
		t.Fatalf("page: %d\n%s", status, page)
	}
	if _, index := get(t, srv.URL+"/"); !strings.Contains(index, "<title>T</title>") {
		t.Error("/ does not serve the overview")
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // runs before srv.Close, which waits for the stream to end
	next := events(t, ctx, srv.URL)
	if hello := next(); !strings.Contains(hello, `"version":2`) {
		t.Fatalf("hello: %s", hello) // the pages, then the files that show the whole pack
	}

	// An edit reloads the edited page only, then the print page, whose
	// part of it changed, once made.
	fsys["charter/a.md"] = &fstest.MapFile{Data: []byte("# A\n\nSecond text.\n")}
	r := s.Rebuild([]string{"charter/a.md"})
	ev := next()
	if r.Failed || !strings.Contains(ev, `"charter/a.html"`) || strings.Contains(ev, `"charter/b.html"`) || strings.Contains(ev, `"print.html"`) {
		t.Fatalf("rebuild %v, event %s", r.Changed, ev)
	}
	if _, page := get(t, srv.URL+"/print.html"); !strings.Contains(page, "Second text.") {
		t.Error("the print page served after the save is not the new one")
	}
	if ev := next(); !strings.Contains(ev, `"print.html"`) || !strings.Contains(ev, `"manifest.json"`) || strings.Contains(ev, `"charter/a.html"`) {
		t.Fatalf("second event %s", ev)
	}
	if _, page := get(t, srv.URL+"/charter/a.html"); !strings.Contains(page, "Second text.") {
		t.Error("the served page is not the rebuilt one")
	}

	// A broken save keeps the last good site, with the diagnostics over it.
	fsys["data.toml"] = &fstest.MapFile{Data: []byte("[[member]\n")}
	if r := s.Rebuild([]string{"data.toml"}); !r.Failed {
		t.Fatal("a broken pack built")
	}
	if ev := next(); !strings.Contains(ev, `"failed":true`) {
		t.Fatalf("event %s", ev)
	}
	_, page = get(t, srv.URL+"/charter/b.html")
	if !strings.Contains(page, `id="govpack-overlay"`) || !strings.Contains(page, "data.toml:1:9: error:") || !strings.Contains(page, "Other.") {
		t.Fatalf("overlay missing or wrong:\n%s", page)
	}

	// The next good save removes it.
	delete(fsys, "data.toml")
	s.Rebuild([]string{"data.toml"})
	if ev := next(); !strings.Contains(ev, `"failed":false`) || !strings.Contains(ev, `"errorsChanged":true`) {
		t.Fatalf("event %s", ev)
	}
	s.Settle()
	next()
	if _, page := get(t, srv.URL+"/charter/b.html"); strings.Contains(page, "govpack-overlay") {
		t.Error("the overlay stayed after a good build")
	}

	// A page that goes away leaves no listener behind.
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for s.Subscribers() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.Subscribers(); n != 0 {
		t.Errorf("%d listeners left after the page went away", n)
	}
}

func TestServeBrokenFromStart(t *testing.T) {
	fsys := pack()
	fsys["govpack.toml"] = &fstest.MapFile{Data: []byte("title = 3\n")}
	s := New(fsys, generator.Options{})
	s.Rebuild(nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	if _, page := get(t, srv.URL+"/"); !strings.Contains(page, "govpack.toml:1:1: error: key") {
		t.Fatalf("no overlay for a pack broken at start:\n%s", page)
	}
	fsys["govpack.toml"] = pack()["govpack.toml"]
	s.Rebuild([]string{"govpack.toml"})
	if _, page := get(t, srv.URL+"/charter/a.html"); !strings.Contains(page, "First text.") || strings.Contains(page, "govpack-overlay") {
		t.Fatal("did not recover once fixed")
	}
}

func TestServeStaysInsideTheSite(t *testing.T) {
	s := New(pack(), generator.Options{})
	s.Rebuild(nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, p := range []string{"/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/charter/..%2f..%2fgo.mod", "/charter%2fa.html/../../x", "/.govpack-site"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 && (strings.Contains(string(b), "root:") || strings.Contains(string(b), "module")) {
			t.Errorf("%s served a file outside the site", p)
		}
	}
}

// Only a path that is a clean name of a site file is served: one that
// needs cleaning first is not found, even where it would land inside the
// site.
func TestServeOnlyCleanNames(t *testing.T) {
	s := New(pack(), generator.Options{})
	s.Rebuild(nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, p := range []string{
		"/../charter/a.html", "/%2e%2e/charter/a.html", "/charter/%2e%2e/charter/a.html",
		"//charter/a.html", "/charter//a.html", "/./charter/a.html", "/charter/.",
		`/charter\a.html`, `/x\..\charter/a.html`, "/charter%5ca.html", "/charter/a.html%00",
		"/..", "/../",
	} {
		if status, _ := get(t, srv.URL+p); status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, status)
		}
	}
	for _, p := range []string{"/", "/charter/a.html", "/index.html"} {
		if status, _ := get(t, srv.URL+p); status != 200 {
			t.Errorf("%s: status %d, want 200", p, status)
		}
	}
}

// BenchmarkRebuild1000 edits one paragraph of one document of a
// 1,000-document pack and rebuilds, as serve does after a save: from the
// changed path to the reload event reaching a page's stream (the
// watcher's 30 ms debounce comes on top). It reports p50, p99, the pages
// whose template ran and the pages whose bytes changed.
func BenchmarkRebuild1000(b *testing.B) {
	fsys := synth.Pack(1000)
	s := New(fsys, generator.Options{Preview: true})
	s.Rebuild(nil)
	page := make(chan []byte, 1) // an open page, as events registers it
	s.subMu.Lock()
	s.subs[page] = struct{}{}
	s.subMu.Unlock()
	reloaded := make(chan time.Time, 1)
	go func() {
		// The page reloads on the event that names it; the event that
		// the print page and search index are ready comes later and
		// does not count.
		for event := range page {
			if bytes.Contains(event, []byte(`"charter/doc-00008.html"`)) {
				reloaded <- time.Now()
			}
		}
	}()
	var times []time.Duration
	changed, rendered := 0, 0
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		f := fsys["charter/doc-00008.md"]
		fsys["charter/doc-00008.md"] = &fstest.MapFile{Data: append(bytes.Clone(f.Data), fmt.Sprintf("\nEdit %d.\n", i)...)}
		start := time.Now()
		r := s.Rebuild([]string{"charter/doc-00008.md"})
		times = append(times, (<-reloaded).Sub(start))
		changed, rendered = len(r.Changed), r.Rendered
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(rendered), "pages-rendered")
	b.ReportMetric(float64(changed), "pages-changed")
}

// A page that starts listening after a rebuild changed it (it was loading
// when the event went out) is told on connecting that it is stale; an
// up-to-date page is not.
func TestServeStalePageOnConnect(t *testing.T) {
	fsys := pack()
	s := New(fsys, generator.Options{Preview: true})
	s.Rebuild(nil)
	ts := httptest.NewServer(s)
	defer ts.Close()
	state := func(page string) string {
		_, body := get(t, ts.URL+"/"+page)
		_, st := reloadArgs(t, body)
		return st
	}
	hello := func(page, st string) string { return hello(t, ts.URL, page, st) }
	a := state("charter/a.html")
	if got := hello("charter/a.html", a); !strings.Contains(got, `"stale":false`) {
		t.Errorf("an up-to-date page was told %s", got)
	}
	fsys["charter/a.md"] = &fstest.MapFile{Data: []byte("# A\n\nChanged while the page loaded.\n")}
	s.Rebuild([]string{"charter/a.md"})
	if got := hello("charter/a.html", a); !strings.Contains(got, `"stale":true`) {
		t.Errorf("a page served before the rebuild was told %s", got)
	}
	if got := hello("charter/b.html", state("charter/b.html")); !strings.Contains(got, `"stale":false`) {
		t.Errorf("a page the rebuild did not change was told %s", got)
	}
	before := state("charter/b.html")
	fsys["govpack.toml"] = &fstest.MapFile{Data: []byte("title = \n")}
	s.Rebuild([]string{"govpack.toml"})
	if got := hello("charter/b.html", before); !strings.Contains(got, `"stale":true`) {
		t.Errorf("a page served before the pack broke, without the overlay, was told %s", got)
	}
	if got := hello("charter/b.html", state("charter/b.html")); !strings.Contains(got, `"stale":false`) {
		t.Errorf("a page served with the overlay was told %s", got)
	}
}

// reloadCall is the call of the reload script at the end of a page: its
// arguments are the page's site name and state.
var reloadCall = regexp.MustCompile(`\}\)\(("(?:[^"\\]|\\.)*"),("[0-9a-f]{16}")\)</script></body>`)

// reloadArgs returns the page name and state a served page's reload
// script listens with.
func reloadArgs(t *testing.T, body string) (page, state string) {
	t.Helper()
	m := reloadCall.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no reload script called with a page and a state:\n%s", body)
	}
	if err := json.Unmarshal([]byte(m[1]), &page); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal([]byte(m[2]), &state)
	return page, state
}

// hello connects to the event stream as a page would and returns the data
// of the first event.
func hello(t *testing.T, base, page, state string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	q := url.Values{"page": {page}, "state": {state}}
	req, _ := http.NewRequestWithContext(ctx, "GET", base+EventsPath+"?"+q.Encode(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			return data
		}
	}
	t.Fatal("no hello event")
	return ""
}

// A page whose name holds what could pass for a placeholder of the
// reload script still listens under its own name and state.
func TestServePageNamedLikePlaceholder(t *testing.T) {
	fsys := pack()
	for _, name := range []string{"charter/STATE-of-play.md", "charter/PAGE.md"} {
		fsys[name] = &fstest.MapFile{Data: []byte("# Title\n\nText.\n")}
	}
	s := New(fsys, generator.Options{Preview: true})
	if r := s.Rebuild(nil); r.Failed {
		t.Fatal(r.Diags)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	for _, name := range []string{"charter/STATE-of-play.html", "charter/PAGE.html"} {
		status, body := get(t, ts.URL+"/"+name)
		if status != 200 {
			t.Fatalf("%s: status %d", name, status)
		}
		page, state := reloadArgs(t, body)
		if page != name {
			t.Errorf("%s listens as %q", name, page)
		}
		if got := hello(t, ts.URL, page, state); !strings.Contains(got, `"stale":false`) {
			t.Errorf("%s, up to date, was told %s", name, got)
		}
	}
}

// A path SiteName accepts names a site file cleanly: nothing to clean,
// nothing above the site, nothing a file system could read otherwise.
func FuzzSiteName(f *testing.F) {
	for _, p := range []string{"/", "/charter/a.html", "/charter/", "/../x", "//x", `/a\..\b`, "/a/./b", "/a%00"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		name, ok := SiteName(p)
		if !ok {
			return
		}
		if path.Clean(name) != name || strings.HasPrefix(name, "/") || strings.ContainsAny(name, "\\\x00") || slices.Contains(strings.Split(name, "/"), "..") {
			t.Errorf("SiteName(%q) = %q", p, name)
		}
	})
}
