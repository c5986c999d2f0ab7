package generator

import (
	"bytes"
	"context"
	"errors"
	"html"
	"html/template"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"unsafe"
)

// PrintURL is the site path of the print page: the whole pack as one page,
// in reading order, for printing and for `govpack pdf`.
const PrintURL = "print.html"

// printView is what the print template receives as .Data.
type printView struct {
	Parts []printPart // in reading order; the table of contents lists them all
}

// printPart is one page of the site as a part of the print page.
type printPart struct {
	ID    string // the part's anchor in the print page
	Title string
	// Level is 1 for the overview, a section and the governance annex,
	// 2 for the documents and generated pages within them.
	Level int
	URL   string // the page on the site

	src   *printSource
	index int
}

// HTML is the page's main content, ids and links rewritten for the print
// page. Parts are made as the template writes them, a window at a time
// on every core, so that only a window of them exists at once: the whole
// pack's would double a large site's memory.
func (p printPart) HTML() template.HTML {
	return template.HTML(p.src.part(p.index))
}

// printSource makes the parts of the print page.
type printSource struct {
	r        *renderer
	ctx      context.Context // a rebuild that starts over ends the rest
	included []*page
	anchors  *printAnchors
	// frames holds, for a document's part, its main template's HTML with
	// the body left out, and for another page its part (see partIDs); ""
	// for a part made anew.
	frames []string
	base   int      // the index of window[0]
	window []string // parts made ahead of the template
	// windowBufs hold the window's parts, given back to the renderer's
	// buffers once the template has written them.
	windowBufs []*bytes.Buffer
	err        error
	// ahead is the window after this one, being made while the template
	// writes this one.
	ahead *printWindowWork
}

// printWindow is how many parts are made at once.
const printWindow = 64

// main executes the main template of a page as the print page shows it,
// into out.
func (s *printSource) main(pg *page, out *bytes.Buffer) (printPart, error) {
	scratch := s.r.buffers.Get().(*bytes.Buffer)
	defer s.r.buffers.Put(scratch)
	data, err := s.r.pageData(pg, nil, scratch)
	if err != nil {
		return printPart{}, err
	}
	kind := printFrame(pg, &data)
	err = s.r.executeInto(out, kind, "main", data)
	return printPart{Title: data.Page.Title, Level: printLevel(pg), URL: pg.info.URL, src: s}, err
}

// printFrame sets what the print page shows differently from the page's own,
// and returns the kind of template that shows it.
func printFrame(pg *page, data *pageData) (kind string) {
	if pg.kind == "home" {
		// The title page and the table of contents already show what
		// the overview page adds to its text.
		data.Page.Title = "Overview"
		return "document"
	}
	return pg.kind
}

// partIDs returns page pg's part, the ids its HTML holds in order, its
// size and, where the part can be made from it, its frame, made in out.
// Where the default theme's templates show a document, they run without
// its body, whose ids were found when it was rendered: reading each body
// back and looking through it was the most of this. The frame, what the
// template wrote, is kept when the body is all it leaves out: the part
// is then the frame with the body put in, not a second run of the
// template.
func (s *printSource) partIDs(pg *page, out *bytes.Buffer) (part printPart, ids []string, size int, frame string, err error) {
	d := pg.doc
	if d == nil || !s.r.theme.ownTemplates {
		part, err = s.main(pg, out)
		if d == nil {
			// A governance page: a few, some large and slow to make
			// (the rights of every member), kept whole.
			frame = out.String()
		}
		return part, appendIDs(nil, out.Bytes()), out.Len(), frame, err
	}
	data := s.r.pageFrame(pg, nil)
	data.Content = contentMarker
	data.Page.NavHTML = navMarker // as executeInto gives it
	kind := printFrame(pg, &data)
	out.Reset()
	err = s.r.theme.pages[kind].ExecuteTemplate(out, "main", data)
	bodySize := len(d.body)
	if d.spilled != nil {
		bodySize = d.spilled.n
	}
	html := out.Bytes()
	if bodySize > 0 && bytes.Count(html, []byte(markerStart)) == bytes.Count(html, []byte(contentMarker)) {
		frame = string(html)
	}
	size = len(html)
	for {
		before, after, found := bytes.Cut(html, []byte(contentMarker))
		ids = appendIDs(ids, before)
		if !found {
			break
		}
		ids = append(ids, d.bodyIDs...)
		size += bodySize - len(contentMarker)
		html = after
	}
	return printPart{Title: data.Page.Title, Level: printLevel(pg), URL: pg.info.URL, src: s}, ids, size, frame, err
}

// fill makes into out the part of document d from its frame: what
// executeInto makes of the template's HTML when the body is its only
// marker. A page that is no document's is its frame.
func (s *printSource) fill(d *Document, frame string, out *bytes.Buffer) error {
	out.Reset()
	if d == nil {
		out.WriteString(frame)
		return nil
	}
	scratch := s.r.buffers.Get().(*bytes.Buffer)
	defer s.r.buffers.Put(scratch)
	body, err := s.r.body(d, scratch)
	if err != nil {
		return err
	}
	out.Grow(len(frame) + len(body))
	for {
		before, after, found := strings.Cut(frame, contentMarker)
		out.WriteString(before)
		if !found {
			return nil
		}
		out.WriteString(body)
		frame = after
	}
}

func (s *printSource) part(i int) string {
	if s.ctx.Err() != nil || s.err != nil {
		return ""
	}
	if i < s.base || i >= s.base+len(s.window) {
		w := s.ahead
		if w == nil || w.base != i {
			s.finish()
			w = s.makeWindow(i)
		}
		<-w.done
		s.release(s.windowBufs) // its parts are written
		s.base, s.window, s.windowBufs, s.err, s.ahead = w.base, w.parts, w.bufs, w.err, nil
		if next := i + len(w.parts); s.err == nil && next < len(s.included) {
			s.ahead = s.makeWindow(next)
		}
	}
	return s.window[i-s.base]
}

// printWindowWork is a window of parts in the making.
type printWindowWork struct {
	base  int
	parts []string
	bufs  []*bytes.Buffer // that parts are in
	err   error
	done  chan struct{}
}

// makeWindow starts making the window of parts from i on every core.
func (s *printSource) makeWindow(i int) *printWindowWork {
	n := min(printWindow, len(s.included)-i)
	w := &printWindowWork{base: i, parts: make([]string, n), bufs: make([]*bytes.Buffer, 2*n), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		errs := make([]error, len(w.parts))
		parallel(len(w.parts), func(j int) {
			if s.ctx.Err() != nil {
				return
			}
			pg := s.included[i+j]
			// The part is made in out and rewritten into the room of
			// rewritten. The default theme's template writes each part
			// once, in order: the window keeps both until it is done. A
			// pack's own may keep a part for later, or ask for it again,
			// and gets a copy.
			out, rewritten := s.r.buffers.Get().(*bytes.Buffer), s.r.buffers.Get().(*bytes.Buffer)
			if frame := s.frames[i+j]; frame != "" {
				errs[j] = s.fill(pg.doc, frame, out)
			} else {
				_, errs[j] = s.main(pg, out)
			}
			rewritten.Reset()
			part := s.anchors.rewrite(pg.info.URL, out.Bytes(), rewritten.AvailableBuffer())
			if s.r.theme.ownTemplates {
				w.parts[j] = unsafe.String(unsafe.SliceData(part), len(part))
				w.bufs[2*j], w.bufs[2*j+1] = out, rewritten
				return
			}
			w.parts[j] = string(part)
			s.r.buffers.Put(out)
			s.r.buffers.Put(rewritten)
		})
		w.err = errors.Join(errs...)
	}()
	return w
}

// finish waits for the window being made ahead, if any, which reads
// what the build lets go once the print page is written, and gives back
// the buffers of both windows.
func (s *printSource) finish() {
	if s.ahead != nil {
		<-s.ahead.done
		s.release(s.ahead.bufs)
		s.ahead = nil
	}
	s.release(s.windowBufs)
	s.window, s.windowBufs = nil, nil
}

func (s *printSource) release(bufs []*bytes.Buffer) {
	for _, b := range bufs {
		if b != nil {
			s.r.buffers.Put(b)
		}
	}
}

// printPage renders the print page from the pages of the site: every page
// in reading order — overview, sections and their documents, then the
// generated governance pages as annexes — leaving out only redlines, which
// are a comparison rather than a part of the governance. Ids are prefixed
// with their page so that anchors of different pages cannot collide, and
// every link to an included page becomes a link inside the print page.
//
// It writes the page to w as the template executes, which a large site
// streams to its file.
func (r *renderer) printPage(ctx context.Context, pages []page, w io.Writer) error {
	src := &printSource{r: r, ctx: ctx, anchors: newPrintAnchors()}
	for i := range pages {
		if pages[i].kind != "redline" {
			src.included = append(src.included, &pages[i])
		}
	}
	// Every part's anchors must be known before the first part is
	// written, since links point forward too: gather each part's ids
	// first, keeping only them.
	parts := make([]printPart, len(src.included))
	ids := make([][]string, len(src.included))
	src.frames = make([]string, len(src.included))
	size := 64 << 10 // the title page and the table of contents
	sizes := make([]int, len(src.included))
	errs := make([]error, len(src.included))
	parallel(len(src.included), func(i int) {
		if ctx.Err() != nil {
			return
		}
		out := r.buffers.Get().(*bytes.Buffer)
		defer r.buffers.Put(out)
		parts[i], ids[i], sizes[i], src.frames[i], errs[i] = src.partIDs(src.included[i], out)
		parts[i].index = i
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for i, pg := range src.included {
		parts[i].ID = src.anchors.add(pg.info.URL, "")
		for _, id := range ids[i] {
			src.anchors.add(pg.info.URL, id)
		}
		size += sizes[i] + 256 + len(parts[i].Title)
	}
	data := pageData{Site: r.site, Data: printView{Parts: parts}}
	data.Page = pageInfo{Kind: "print", Title: r.site.Title, URL: PrintURL}
	if buf, ok := w.(*bytes.Buffer); ok {
		buf.Grow(size + size/16) // rewritten anchors are a little longer
	}
	err := r.theme.pages["print"].ExecuteTemplate(w, "print", data)
	src.finish()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err == nil {
		err = src.err
	}
	return err
}

// printLevel places a page in the print page's table of contents.
func printLevel(pg *page) int {
	switch pg.kind {
	case "home", "section", "governance":
		return 1
	}
	return 2
}

// editAttrs calls edit on the value of every attribute of body that holds
// an id or a link, and writes back the values it changes. It reads the
// HTML that goldmark, chroma and html/template write: attributes always
// double-quoted, and every quote inside text or values escaped, so a
// match is a real attribute.
//
// Changed, the HTML is written into the room of into (or an array of its
// own where that is too small).
func editAttrs(into, body []byte, edit func(name, value string) string) []byte {
	var out []byte
	last, resume := 0, 0 // copied up to last; no match starts before resume
	// Only an attribute's `="` can start a match, and it is far rarer than
	// the whitespace before one: find each with bytes.Index (vectorized)
	// and look back for the name.
	for pos := 0; ; {
		k := bytes.Index(body[pos:], attrValueStart)
		if k < 0 {
			break
		}
		k += pos
		pos = k + 1
		for _, name := range printAttrs {
			i := k - len(name) - 1 // the whitespace before the name
			if i < resume || !isAttrSpace(body[i]) || string(body[i+1:k]) != name {
				continue
			}
			start := k + 2
			end := bytes.IndexByte(body[start:], '"')
			if end < 0 {
				break
			}
			end += start
			raw := string(body[start:end])
			value := html.UnescapeString(raw)
			if changed := edit(name, value); changed != value {
				if out == nil {
					out = slices.Grow(into[:0], len(body)+len(body)/8) // rewritten values are a little longer
				}
				out = append(append(out, body[last:start]...), html.EscapeString(changed)...)
				last = end
			}
			pos, resume = end+1, end+1
			break
		}
	}
	if out == nil {
		return body
	}
	return append(out, body[last:]...)
}

var attrValueStart = []byte(`="`)

// appendIDs appends the ids of the elements of body to ids: those
// editAttrs edits. It looks for `id="` rather than for every attribute,
// which in highlighted code are many: an id is then skipped only where
// editAttrs would take its quote for the end of the value before (HTML
// whose quotes are not escaped), which is left to editAttrs itself.
func appendIDs(ids []string, body []byte) []string {
	had := len(ids)
	for pos := 0; ; {
		k := bytes.Index(body[pos:], idAttrStart)
		if k < 0 {
			return ids
		}
		k += pos
		pos = k + 1
		if k == 0 || !isAttrSpace(body[k-1]) {
			continue
		}
		quote := k + len(idAttrStart) - 1
		if p := bytes.LastIndexByte(body[:quote], '"'); p > 0 && body[p-1] == '=' {
			return appendIDsByEdit(ids[:had], body)
		}
		end := bytes.IndexByte(body[quote+1:], '"')
		if end < 0 {
			return ids
		}
		end += quote + 1
		ids = append(ids, html.UnescapeString(string(body[quote+1:end])))
		pos = end + 1
	}
}

var idAttrStart = []byte(`id="`)

// appendIDsByEdit is appendIDs by editAttrs.
func appendIDsByEdit(ids []string, body []byte) []string {
	editAttrs(nil, body, func(name, value string) string {
		if name == "id" {
			ids = append(ids, value)
		}
		return value
	})
	return ids
}

func isAttrSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// printAttrs are the attributes that hold ids, links or lists of ids.
var printAttrs = []string{"id", "href", "src", "aria-labelledby", "aria-describedby"}

// printAnchors maps each page and id of the site to an anchor of the print
// page: "charter.05-decision-making--7.2" for heading 7.2 of
// charter/05-decision-making.html, "charter.05-decision-making" for the
// page itself. Anchors hold only characters that URLs leave unescaped, so
// a link's fragment is the anchor itself: in the page, where html/template
// would percent-encode a "/", and in a PDF, whose destinations Chromium
// names after the fragment.
type printAnchors struct {
	byPage map[string]map[string]string // page URL → id ("" for the page) → anchor
	used   map[string]bool
	// next is, by anchor text, the first number not yet tried for it: ids
	// of other scripts than Latin all come out as runs of '_', and must
	// not each count up from 2.
	next map[string]int
	// The page last added to, its ids and its anchor text: a page's ids
	// come one after another.
	lastPage, lastBase string
	lastIDs            map[string]string
}

func newPrintAnchors() *printAnchors {
	// The title page and the table of contents hold ids of their own.
	used := map[string]bool{"content": true, "print-title": true, "print-contents": true}
	return &printAnchors{byPage: map[string]map[string]string{}, used: used, next: map[string]int{}}
}

// add gives id of page its anchor and returns it. Anchors are unique even
// when a page's path and an id happen to spell another's ("a--b" + "c"
// against "a" + "b--c"): a repeat gets a numbered suffix.
func (a *printAnchors) add(page, id string) string {
	if page != a.lastPage || a.lastIDs == nil {
		ids := a.byPage[page]
		if ids == nil {
			ids = map[string]string{}
			a.byPage[page] = ids
		}
		a.lastPage, a.lastIDs = page, ids
		a.lastBase = anchorText(strings.ReplaceAll(strings.TrimSuffix(page, ".html"), "/", "."))
	}
	ids := a.lastIDs
	if anchor, ok := ids[id]; ok {
		return anchor // an id repeated within a page keeps its first anchor
	}
	base := a.lastBase
	if id != "" {
		base += "--" + anchorText(id)
	}
	anchor := base
	if a.used[anchor] {
		n := max(a.next[base], 2)
		for anchor = base + "-" + strconv.Itoa(n); a.used[anchor]; anchor = base + "-" + strconv.Itoa(n) {
			n++
		}
		a.next[base] = n + 1
	}
	a.used[anchor] = true
	ids[id] = anchor
	return anchor
}

// anchorText replaces each byte outside letters, digits, '-', '.' and '_'
// with '_'.
func anchorText(s string) string {
	var b []byte // made at the first byte replaced
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_') {
			if b == nil {
				b = []byte(s)
			}
			b[i] = '_'
		}
	}
	if b == nil {
		return s
	}
	return string(b)
}

// rewrite turns the ids and links of a page's HTML into those of the print
// page: ids get their anchors; a link to an included page, or to a heading
// of one, goes to its anchor; any other relative link is made relative to
// the print page, at the site root.
func (a *printAnchors) rewrite(page string, body, into []byte) []byte {
	ids := a.byPage[page]
	return editAttrs(into, body, func(name, value string) string {
		switch name {
		case "id":
			return ids[value]
		case "href", "src":
			return a.printLink(page, value)
		}
		// aria-labelledby and aria-describedby hold ids of the same page.
		list := strings.Fields(value)
		for i, id := range list {
			if anchor, ok := ids[id]; ok {
				list[i] = anchor
			}
		}
		return strings.Join(list, " ")
	})
}

// printLink is where link, written on the site page at page, points in the
// print page.
func (a *printAnchors) printLink(page, link string) string {
	if link == "" || isExternal(link) || strings.HasPrefix(link, "/") {
		return link
	}
	file, frag, hasFrag := strings.Cut(link, "#")
	target := page
	if file != "" {
		target = path.Join(path.Dir(page), file)
	}
	if ids, ok := a.byPage[target]; ok {
		if anchor, ok := ids[frag]; ok {
			return "#" + anchor
		}
		return "#" + ids[""] // an id outside the page's main content
	}
	if hasFrag {
		target += "#" + frag
	}
	return relURL(PrintURL, target)
}
