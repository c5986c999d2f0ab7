// Package serve serves a pack's site from memory while its writer edits
// it: every rebuild is swapped in whole, open pages reload when their bytes
// change (Server-Sent Events, no dependency), and a failed build keeps the
// last good site and shows the diagnostics over every page until the next
// good one. The site on disk never contains any of this: it is added to
// pages as they are served.
package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"path"
	"runtime"
	"strings"
	"sync"
	"time"

	"govpack/generator"
	"govpack/generator/diag"
)

// EventsPath is where pages listen for rebuilds.
const EventsPath = "/_govpack/events"

// Server builds a pack and serves the result.
type Server struct {
	builder *generator.Builder
	hosts   Hosts

	mu      sync.RWMutex // held for writing during a whole rebuild: requests wait for it
	site    generator.Output
	diags   diag.List
	failed  bool
	version int
	// finishing is closed when the files that show the whole pack
	// (print.html, the search index, the manifest) are in site for the
	// last good build; nil when they are.
	finishing chan struct{}

	rebuildMu    sync.Mutex // one rebuild at a time
	cancelFinish func()
	finishDone   chan struct{}

	nowMu     sync.Mutex
	finishNow chan struct{} // closed to make the waiting files at once

	subMu sync.Mutex
	subs  map[chan []byte]struct{}
}

// SetHosts sets the names the server answers to beyond loopback ones;
// call it before serving.
func (s *Server) SetHosts(h Hosts) { s.hosts = h }

// Result says what one rebuild did.
type Result struct {
	Changed  []string // site paths whose bytes changed
	Rendered int      // pages whose template ran
	Failed   bool
	Diags    diag.List
	Duration time.Duration
}

// finishPause is how long the files that show the whole pack wait for
// saves to pause. Saves come in bursts (an editor saving as its writer
// types, a checkout in steps); made at once, those files would compete
// with the next save's pages for the cores.
const finishPause = 50 * time.Millisecond

// New returns a server for the pack in fsys; call Rebuild to build it.
func New(fsys fs.FS, opts generator.Options) *Server {
	return &Server{builder: generator.NewBuilder(fsys, opts), subs: map[chan []byte]struct{}{}}
}

// Rebuild builds the pack again, swaps in the new site when it has no
// errors, and tells open pages what changed. changed lists the paths that
// changed since the last rebuild, as the watcher reports them; nil means
// anything may have changed. Only those are read again, and only the pages
// they can change are rendered again: the result equals a fresh build.
//
// The files that show the whole pack follow in the background and are
// announced in an event of their own; a request for one waits for them,
// and the next rebuild stops them if they are not done.
func (s *Server) Rebuild(changed []string) Result {
	s.rebuildMu.Lock()
	defer s.rebuildMu.Unlock()
	start := time.Now()
	if s.cancelFinish != nil {
		s.cancelFinish()
		<-s.finishDone // it reads the builder's state
		s.cancelFinish, s.finishDone = nil, nil
	}
	s.mu.Lock()
	res := s.builder.Build(changed)
	r := Result{Diags: res.Diagnostics, Failed: res.Output == nil, Rendered: res.Rendered}
	if !r.Failed {
		site := res.Output
		if res.Finish != nil {
			site = maps.Clone(site) // Finish reads res.Output
		}
		for name, b := range res.Output {
			if old, ok := s.site[name]; !ok || !bytes.Equal(old, b) {
				r.Changed = append(r.Changed, name)
			}
		}
		for name, b := range s.site {
			if _, ok := res.Output[name]; ok {
				continue
			}
			if res.Finish != nil && generator.Deferred(name) {
				site[name] = b // until finishing replaces it
				continue
			}
			r.Changed = append(r.Changed, name)
		}
		s.site = site
		if res.Finish != nil && s.finishing == nil {
			s.finishing = make(chan struct{})
		}
	}
	if r.Failed && s.finishing != nil {
		// No build will finish them: serve the last ones made.
		close(s.finishing)
		s.finishing = nil
	}
	wasFailed := s.failed
	s.failed, s.diags = r.Failed, res.Diagnostics
	s.version++
	event, _ := json.Marshal(map[string]any{"version": s.version, "changed": r.Changed, "failed": r.Failed, "errorsChanged": wasFailed != r.Failed || r.Failed})
	s.mu.Unlock()
	r.Duration = time.Since(start)
	s.broadcast(event)
	if !r.Failed && res.Finish != nil {
		ctx, cancel := context.WithCancel(context.Background())
		done, now := make(chan struct{}), make(chan struct{})
		s.cancelFinish, s.finishDone = cancel, done
		s.nowMu.Lock()
		s.finishNow = now
		s.nowMu.Unlock()
		go func() {
			pause := time.NewTimer(finishPause)
			defer pause.Stop()
			select {
			case <-pause.C:
			case <-now:
			case <-ctx.Done():
				close(done)
				return
			}
			s.finish(ctx, res.Finish)
			close(done)
			collectWhenIdle(ctx)
		}()
	}
	return r
}

// idleCollect is how long the writer must leave the pack alone, once the
// files that show the whole pack are made, before serve collects garbage.
const idleCollect = 100 * time.Millisecond

// collectWhenIdle runs the garbage collector while the writer is idle,
// unless a save comes first (ctx ends). Left to itself, the collector
// starts when the heap has grown by half and more, which happens in the
// middle of some save: its marking then shares the two cores with the
// rebuild and triples that save's time. Collected between saves, the heap
// rarely grows that far in one.
func collectWhenIdle(ctx context.Context) {
	idle := time.NewTimer(idleCollect)
	defer idle.Stop()
	select {
	case <-idle.C:
		runtime.GC()
	case <-ctx.Done():
	}
}

// hurry makes the files that show the whole pack at once, for a request
// or a caller that waits for them.
func (s *Server) hurry() {
	s.nowMu.Lock()
	if s.finishNow != nil {
		close(s.finishNow)
		s.finishNow = nil
	}
	s.nowMu.Unlock()
}

// finish makes the files that show the whole pack and swaps them in.
func (s *Server) finish(ctx context.Context, finish func(context.Context) (generator.Output, diag.List, bool)) {
	extras, diags, ok := finish(ctx)
	if !ok {
		return
	}
	s.mu.Lock()
	var changed []string
	for name, b := range extras {
		if old, ok := s.site[name]; !ok || !bytes.Equal(old, b) {
			changed = append(changed, name)
		}
	}
	for name := range s.site {
		if _, ok := extras[name]; !ok && generator.Deferred(name) {
			delete(s.site, name) // a search shard the pack no longer fills
			changed = append(changed, name)
		}
	}
	maps.Copy(s.site, extras)
	wasFailed := s.failed
	if diags.HasErrors() {
		s.failed, s.diags = true, append(s.diags, diags...)
		s.diags.Sort()
	}
	if s.finishing != nil {
		close(s.finishing)
		s.finishing = nil
	}
	s.version++
	event, _ := json.Marshal(map[string]any{"version": s.version, "changed": changed, "failed": s.failed, "errorsChanged": wasFailed != s.failed})
	s.mu.Unlock()
	s.broadcast(event)
}

// Settle waits until the last rebuild's files that show the whole pack
// are in the site, or that rebuild was stopped.
func (s *Server) Settle() {
	s.rebuildMu.Lock()
	done := s.finishDone
	s.rebuildMu.Unlock()
	if done != nil {
		s.hurry()
		<-done
	}
}

// Site returns the site as served now, for tests.
func (s *Server) Site() generator.Output {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.Clone(s.site)
}

func (s *Server) broadcast(event []byte) {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- event:
		default: // a slow page misses an event; the next one carries the state
		}
	}
}

// ServeHTTP serves the site to requests addressed to this machine (see
// Hosts). Paths are looked up in the in-memory site only, so nothing
// outside it can be reached.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hosts.admit(w, r) {
		return
	}
	if r.URL.Path == EventsPath {
		s.events(w, r)
		return
	}
	name, ok := SiteName(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.mu.RLock()
	body, ok := s.site[name]
	failed, diags, finishing := s.failed, s.diags, s.finishing
	s.mu.RUnlock()
	if finishing != nil && generator.Deferred(name) {
		// Never the print page or search index of an earlier build than
		// the pages: wait for this one's.
		s.hurry()
		select {
		case <-finishing:
		case <-r.Context().Done():
			return
		}
		s.mu.RLock()
		body, ok = s.site[name]
		failed, diags = s.failed, s.diags
		s.mu.RUnlock()
	}
	if !ok && failed && s.site == nil {
		// A pack broken from the start still shows what is wrong.
		body, ok, name = []byte(brokenStartPage), true, "index.html"
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	if strings.HasSuffix(name, ".html") {
		body = inject(body, name, failed, diags)
	}
	writeFile(w, name, body)
}

// SiteName maps the path of a request to the name of a site file: a
// folder's index for a path ending in "/". Only a clean relative name
// (fs.ValidPath: no "..", ".", empty or absolute elements) without a
// backslash or NUL maps to one; a site never holds anything else, and
// refusing such paths outright keeps them from meaning something to a
// lookup that is later backed by a file system.
func SiteName(urlPath string) (string, bool) {
	name, ok := strings.CutPrefix(urlPath, "/")
	if !ok {
		return "", false
	}
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	if !fs.ValidPath(name) || strings.ContainsAny(name, "\\\x00") {
		return "", false
	}
	return name, true
}

// writeFile sends one site file, typed by its extension and never cached:
// a preview changes under the browser.
func writeFile(w http.ResponseWriter, name string, body []byte) {
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(body)
}

// Files serves a finished site from memory, as it is and nothing else
// (no reload script, no events), to requests addressed to this machine
// as hosts says. govpack pdf prints from it.
func Files(site generator.Output, hosts Hosts) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !hosts.admit(w, r) {
			return
		}
		name, ok := SiteName(r.URL.Path)
		body, found := site[name]
		if !ok || !found {
			http.NotFound(w, r)
			return
		}
		writeFile(w, name, body)
	})
}

// events streams rebuild events to one page until it goes away.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch := make(chan []byte, 4)
	s.subMu.Lock()
	s.subs[ch] = struct{}{}
	s.subMu.Unlock()
	defer func() {
		s.subMu.Lock()
		delete(s.subs, ch)
		s.subMu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	s.mu.RLock()
	stale := false
	if page := r.URL.Query().Get("page"); page != "" {
		body, ok := s.site[page]
		if !ok && s.failed && s.site == nil {
			body = []byte(brokenStartPage)
		}
		stale = r.URL.Query().Get("state") != pageState(body, overlay(s.failed, s.diags))
	}
	fmt.Fprintf(w, "retry: 500\nevent: hello\ndata: {\"version\":%d,\"stale\":%t}\n\n", s.version, stale)
	s.mu.RUnlock()
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev := <-ch:
			fmt.Fprintf(w, "event: rebuild\ndata: %s\n\n", ev)
			flusher.Flush()
		}
	}
}

// Subscribers returns how many pages listen, for tests.
func (s *Server) Subscribers() int {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	return len(s.subs)
}

// inject adds the live-reload script and, after a failed build, the
// overlay listing the diagnostics, before </body>.
func inject(page []byte, name string, failed bool, diags diag.List) []byte {
	var add bytes.Buffer
	over := overlay(failed, diags)
	add.WriteString(over)
	// The page and its state are arguments of the script, never text
	// replaced inside it, so no page name can be read as part of it.
	// json.Marshal escapes <, > and &, so neither can end the script.
	quotedName, _ := json.Marshal(name)
	quotedState, _ := json.Marshal(pageState(page, over))
	fmt.Fprintf(&add, "<script>%s(%s,%s)</script>", reloadScript, quotedName, quotedState)
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+add.Len())
	out = append(append(append(out, page[:i]...), add.Bytes()...), page[i:]...)
	return out
}

// brokenStartPage carries the overlay of a pack broken from the start,
// which has no page of its own yet.
const brokenStartPage = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>govpack</title></head><body></body></html>`

// overlay is the HTML that shows the diagnostics of a failed build.
func overlay(failed bool, diags diag.List) string {
	if !failed {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<div id="govpack-overlay" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0b0b;color:#ffe9e7;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:1rem 1.25rem;border-top:4px solid #e5484d;box-shadow:0 -4px 24px rgba(0,0,0,.4)"><strong style="font-family:system-ui,sans-serif">The last save broke the pack; this page shows the last good build.</strong><ul style="margin:.5rem 0 0;padding-left:1.25rem">`)
	for _, d := range diags {
		if d.Severity == diag.Waived {
			continue
		}
		fmt.Fprintf(&b, "<li>%s</li>", html.EscapeString(d.String()))
	}
	b.WriteString("</ul></div>")
	return b.String()
}

// pageState names what a page showed when served: its bytes and overlay.
// A page that connects to the event stream sends it, and reloads when it
// no longer matches: a rebuild announced while the page was loading, and
// so not yet listening, would otherwise be missed.
func pageState(page []byte, overlay string) string {
	h := sha256.New()
	h.Write(page)
	h.Write([]byte(overlay))
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// reloadScript reloads the page, keeping its scroll position, when a
// rebuild changed its bytes or the error state.
// It is a function of the page's site name and state.
const reloadScript = `(function(page,state){var k="govpack-scroll:"+location.pathname,y=sessionStorage.getItem(k);if(y!==null){sessionStorage.removeItem(k);window.scrollTo(0,+y);}
function reload(){sessionStorage.setItem(k,String(window.scrollY));location.reload();}
var es=new EventSource("/_govpack/events?page="+encodeURIComponent(page)+"&state="+encodeURIComponent(state));es.addEventListener("hello",function(e){if(JSON.parse(e.data).stale)reload();});es.addEventListener("rebuild",function(e){var d=JSON.parse(e.data);if(d.errorsChanged||(d.changed||[]).indexOf(page)>=0)reload();});})`
