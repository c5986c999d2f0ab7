package generator

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/yuin/goldmark/ast"

	"govpack/generator/diag"
	"govpack/generator/escape"
	"govpack/generator/markdown"
	"govpack/generator/profile"
	"govpack/themes"
)

// Output is a built site in memory: slash path → file contents.
type Output map[string][]byte

// siteData is what every page's template receives as .Site.
type siteData struct {
	Title      string
	Consortium string
	Version    string
	Effective  string
	Language   string
	Client     string // the client's name, from [theme]
	Accent     string // #rrggbb, or "" for the theme's own
	AccentDark string // likewise, in dark mode
	Logo       string // site path of the logo, if any
	Footer     string
	ExtraCSS   string // site path of the pack's extra stylesheet, if any
	Digest     string // the pack digest, "sha256:<hex>"
	Nav        []navSection
	Governance []Link // the generated pages
}

// navSection is one section of the navigation tree.
type navSection struct {
	Name  string // directory name; "" for documents at the root
	Title string
	URL   string
	Docs  []Link
	More  int // documents of the section the tree leaves out
}

// Navigation sizes: past navFullSite documents the tree shows only the
// current section, and at most navWindow documents of it around the
// current page, so that page size does not grow with the whole site.
const (
	navFullSite = 150
	navWindow   = 60
)

// pageNav returns the navigation tree as the page at url in section shows it.
func (r *renderer) pageNav(url, section string) []navSection {
	if r.docCount <= navFullSite {
		return r.site.Nav
	}
	nav := make([]navSection, len(r.site.Nav))
	for i, sec := range r.site.Nav {
		nav[i] = navSection{Name: sec.Name, Title: sec.Title, URL: sec.URL, More: len(sec.Docs)}
		if sec.Name != section || sec.URL == "" && section != "" {
			continue
		}
		at := r.navAt[[2]string{sec.Name, url}] // the last place of url in the section, 0 if none
		lo := max(0, min(at-navWindow/2, len(sec.Docs)-navWindow))
		hi := min(len(sec.Docs), lo+navWindow)
		nav[i].Docs = sec.Docs[lo:hi]
		nav[i].More = len(sec.Docs) - (hi - lo)
	}
	return nav
}

// pageInfo is what a template receives as .Page.
type pageInfo struct {
	Kind        string // home, section, document, member, body, governance, roles, rights, decisions, nodes, data, glossary, amendments, coverage, redline, print
	Title       string
	Description string
	URL         string // site path of this page
	Root        string // "../" repeated up to the site root
	Section     string // section title, for breadcrumbs
	SectionURL  string
	TOC         []Heading
	// TitleInContent says that the content opens with the page's title
	// as its first heading, so the template does not repeat it.
	TitleInContent bool
	Backlinks      []backlink
	Prev, Next     *Link
	// Nav is the navigation tree as this page shows it: every section,
	// with the documents of all of them on a small site, or of the
	// current one only, around the current page, on a large one.
	Nav []navSection
	// NavHTML is Nav as the default theme shows it.
	NavHTML template.HTML
}

// pageData is the whole template context of a page.
type pageData struct {
	Site    *siteData
	Page    pageInfo
	Content template.HTML // rendered Markdown, when the page has any
	Data    any           // the page kind's view
}

// theme is a compiled theme: one template set per page kind, and assets.
type theme struct {
	pages     map[string]*template.Template
	assets    map[string][]byte // path under assets/ → bytes
	overrides map[string][]byte // the pack's theme/ files
	// ownTemplates says that every template is the default theme's,
	// which shows .Content only as HTML text, so the body can be put
	// into the page after the template ran (see executeInto).
	ownTemplates bool
	// shell holds the default theme's rootPartials as they are, for
	// executeInto to make once for each root, where ownTemplates.
	shell *template.Template
}

// pageKinds are the templates a theme provides, one file each.
var pageKinds = []string{"home", "section", "document", "governance", "member", "body", "roles", "rights", "decisions", "nodes", "data", "glossary", "amendments", "coverage", "redline", "print"}

// loadTheme compiles the default theme with the pack's overrides: a file
// under the pack's theme/ replaces the default file of the same path.
// A plain theme runs every template whole, as a pack's own templates do:
// no page is spliced into a skeleton, no partial made once and copied.
func loadTheme(overrides map[string][]byte, plain bool) (*theme, diag.List) {
	var diags diag.List
	files := map[string][]byte{}
	err := fs.WalkDir(themes.Default, "default", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(themes.Default, name)
		files[strings.TrimPrefix(name, "default/")] = b
		return err
	})
	if err != nil {
		panic("embedded theme: " + err.Error())
	}
	for name, b := range overrides {
		files[name] = b
	}
	t := &theme{pages: map[string]*template.Template{}, assets: map[string][]byte{}, overrides: overrides, ownTemplates: !plain}
	for name := range overrides {
		if strings.HasPrefix(name, "templates/") {
			t.ownTemplates = false
		}
	}
	base := template.New("").Funcs(templateFuncs)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		switch {
		case strings.HasPrefix(name, "assets/"):
			t.assets[strings.TrimPrefix(name, "assets/")] = files[name]
		case strings.HasPrefix(name, "templates/partials/") && strings.HasSuffix(name, ".html"), name == "templates/layout.html":
			if _, err := base.New(name).Parse(string(files[name])); err != nil {
				pos, msg := templateError(err, overrides)
				diags.Errorf(pos, diag.RuleThemeTemplate, "%s", msg)
			}
		}
	}
	if t.ownTemplates {
		var err error
		if t.shell, err = base.Clone(); err != nil {
			panic("default theme: " + err.Error())
		}
		for _, name := range slices.Concat(splicedPartials, rootPartials) {
			if _, err := base.New(name).Parse(markerStart + name + "\x00"); err != nil {
				panic("default theme: " + err.Error())
			}
		}
	}
	for _, kind := range pageKinds {
		name := "templates/" + kind + ".html"
		src, ok := files[name]
		if !ok {
			diags.Errorf(diag.Pos{File: "theme/" + name}, diag.RuleThemeTemplate, "the theme has no %s template", kind)
			continue
		}
		tmpl, err := base.Clone()
		if err == nil {
			_, err = tmpl.New(name).Parse(string(src))
		}
		if err != nil {
			pos, msg := templateError(err, overrides)
			diags.Errorf(pos, diag.RuleThemeTemplate, "%s", msg)
			continue
		}
		t.pages[kind] = tmpl
	}
	return t, diags
}

var templateLocRE = regexp.MustCompile(`(templates/[^:\s]+\.html):(\d+)(?::(\d+))?`)

// templateError turns a template error into a position in the theme file
// it names and a message without the file name repeated.
func templateError(err error, overrides map[string][]byte) (diag.Pos, string) {
	msg := err.Error()
	m := templateLocRE.FindStringSubmatch(msg)
	if m == nil {
		return diag.Pos{File: "(default theme)"}, msg
	}
	pos := themePos(m[1], overrides)
	pos.Line, _ = strconv.Atoi(m[2])
	if m[3] != "" {
		pos.Col, _ = strconv.Atoi(m[3])
	}
	msg = strings.Replace(msg, m[0], "", 1)
	msg = strings.TrimLeft(strings.TrimPrefix(msg, "template: "), ": ")
	return pos, msg
}

// themePos names a theme file as the user knows it: the pack's override,
// or the built-in file.
func themePos(name string, overrides map[string][]byte) diag.Pos {
	if _, ok := overrides[name]; ok {
		return diag.Pos{File: "theme/" + name}
	}
	return diag.Pos{File: "(default theme)/" + name}
}

// templateFuncs are the functions templates may call; docs/themes.md documents them.
var templateFuncs = template.FuncMap{
	// rel turns a site path into a URL relative to the page at site path from.
	"rel": relURL,
	// link renders a Link as an <a> relative to the page at from, or as
	// plain text when it has no URL.
	"link": func(from string, l Link) template.HTML {
		title := template.HTMLEscapeString(l.Title)
		if l.URL == "" {
			return template.HTML(title)
		}
		return template.HTML(`<a href="` + template.HTMLEscapeString(relURL(from, l.URL)) + `">` + title + `</a>`)
	},
	// backrefs pairs a page with a list of backlinks for the "backlinks" partial.
	"backrefs": func(from string, links []backlink) backrefs { return backrefs{From: from, Links: links} },
	"percent":  percent,
	// The default theme's partials, written without the template engine.
	"breadcrumbs": breadcrumbsHTML,
	"toc":         tocHTML,
	"tocList":     tocListHTML,
	"backlinks":   backlinksHTML,
	"prevnext":    prevNextHTML,
}

// backrefs is the data of the "backlinks" partial.
type backrefs struct {
	From  string
	Links []backlink
}

// renderer renders every page of a site.
type renderer struct {
	p            *Pack
	l            *Links
	conv         *markdown.Converter
	theme        *theme
	prof         *profile.Profile
	views        *views
	site         *siteData
	coverage     Coverage
	redlines     []redline
	docCount     int
	navAt        map[[2]string]int           // section name and document URL → its place in the section's navigation, on large sites
	buffers      sync.Pool                   // *bytes.Buffer that templates execute into
	navLinks     sync.Pool                   // navLinks, one for each page being written
	spill        *bodySpill                  // where a streamed build keeps its bodies; nil keeps them in memory
	rootPartials memo[[2]string, string]     // by name and root
	skeletons    memo[skeletonShape, []byte] // nil for a shape whose pages run the template (see documentSkeleton)
}

// memo holds values made once, by key, for all the goroutines that
// render.
type memo[K comparable, V any] struct {
	mu     sync.Mutex
	values map[K]V
}

// get returns the value of key, made by build the first time.
func (m *memo[K, V]) get(key K, build func() (V, error)) (V, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.values[key]; ok {
		return v, nil
	}
	v, err := build()
	if err != nil {
		return v, err
	}
	if m.values == nil {
		m.values = map[K]V{}
	}
	m.values[key] = v
	return v, nil
}

// page is one output page to render.
type page struct {
	kind    string
	info    pageInfo
	doc     *Document // for pages with Markdown content
	data    any
	section string // the navigation section the page belongs to
}

// render renders the whole site into memory. It returns the SHA-256 of
// the pages, for the manifest, and how many pages it executed.
//
// The search index and print.html show the whole pack, so every save
// changes them and they cost more than the pages one save changes. A
// Builder leaves them to the returned function, which the caller runs
// after the pages have reached the browser (see Result.Finish); a single
// build makes them here and returns no function.
//
// With in.files set, pages and the print page go to files as they are made
// instead of into the returned Output; a Builder, which keeps its pages
// for the next build, never sets it.
//
// Its steps run in this order, each after what it needs: the renderer,
// the bodies, the search index, the pages, print.html, the assets.
func render(in renderInput) rendered {
	s := newRenderPass(in)
	if in.files != nil && in.cache == nil {
		defer s.spillBodies().close()
	}
	s.pages = s.r.pages()
	in.cache.startRender(s.r.site)
	bodyErrs := s.makeBodies()
	s.startOutput()
	s.bodyDiags(bodyErrs)
	entries, sizes, errs, executed := s.executePages()
	s.collectPages(entries, sizes, errs)
	later := s.wholePackFiles()
	s.addAssets()
	return rendered{out: s.out, sums: s.sums, executed: executed, later: later, diags: s.diags}
}

// renderInput is what render renders: the checked pack, how it links and
// converts, the theme and profile it is shown with, and where it goes.
type renderInput struct {
	pack     *Pack
	links    *Links
	conv     *markdown.Converter
	theme    *theme
	profile  *profile.Profile
	coverage Coverage
	redlines []redline
	preview  bool      // the pages leave out the pack's digest
	cache    *cache    // a Builder's, kept for the next build; nil for a single build
	files    SiteFiles // where pages go as they are made; nil keeps them in the Output
}

// rendered is what render made.
type rendered struct {
	out      Output
	sums     map[string]siteSum // of every site file, for the manifest
	executed int                // pages whose template ran, not taken from the cache
	later    func(context.Context, Output) diag.List
	diags    diag.List
}

// renderPass is one run of render: its renderer and what its steps have
// made so far, which the later steps and the returned function use.
type renderPass struct {
	in      renderInput
	r       *renderer
	pages   []page
	out     Output
	sums    map[string]siteSum
	diags   diag.List
	diagsMu sync.Mutex // for diagnostics of parallel writes
}

// newRenderPass sets up the renderer: what every page shares, made once first.
func newRenderPass(in renderInput) *renderPass {
	p, prof := in.pack, in.profile
	r := &renderer{p: p, l: in.links, conv: in.conv, theme: in.theme, prof: prof, coverage: in.coverage, redlines: in.redlines}
	r.buffers.New = func() any { return new(bytes.Buffer) }
	r.navLinks.New = func() any { return navLinks{} }
	r.views = newViews(p, in.links, func(id string) string {
		if it, ok := prof.Item(id); ok {
			return it.Title
		}
		return id
	})
	r.site = r.siteData()
	if in.preview {
		r.site.Digest = ""
	}
	r.docCount = len(p.Docs)
	if r.docCount > navFullSite {
		// Each page finds itself in its section's list by a lookup, not
		// a search: that would grow with the square of the section.
		r.navAt = map[[2]string]int{}
		for _, sec := range r.site.Nav {
			for j, d := range sec.Docs {
				r.navAt[[2]string{sec.Name, d.URL}] = j
			}
		}
	}
	return &renderPass{in: in, r: r}
}

// spillBodies starts a streamed build's spill: after the digest, before any body.
func (s *renderPass) spillBodies() *bodySpill {
	s.r.spill = newBodySpill()
	// The digest is made: the documents' sources are left only to
	// their documents, which let each go once its body is made.
	for _, d := range s.in.pack.Docs {
		delete(s.in.pack.files, d.Path)
	}
	return s.r.spill
}

// makeBodies makes every document's body, with each one's error: pages show them.
func (s *renderPass) makeBodies() []error {
	// Highlighting and glossary links are rendering work: check never
	// pays for them. A document keeps its highlighted code and its body
	// for the next build, which renders the body again only when linking
	// changed one of its links or the glossary changed.
	p := s.in.pack
	terms := newTermIndex(p.Data.Terms)
	if s.in.cache.termsChanged(p.Data.Terms) {
		for _, d := range p.Docs {
			d.rendered = false
		}
	}
	bodyErrs := make([]error, len(p.Docs))
	parallel(len(p.Docs), func(i int) {
		bodyErrs[i] = s.makeBody(p.Docs[i], terms)
	})
	return bodyErrs
}

// makeBody highlights and renders d's body unless done, then lets go what is spent.
func (s *renderPass) makeBody(d *Document, terms *termIndex) (bodyErr error) {
	conv, cache := s.in.conv, s.in.cache
	if !d.highlighted {
		var errs []error
		if cache == nil {
			// The tree is let go below, with the body made.
			var release func()
			errs, release = conv.HighlightBriefly(d.tree(), d.Source)
			defer release()
		} else {
			errs = conv.Highlight(d.tree(), d.Source)
		}
		for _, err := range errs {
			var he *markdown.HighlightError
			if errors.As(err, &he) {
				d.hlDiags.Warnf(d.pos(he.Pos), diag.RuleDocHighlight, "%v", err)
			}
		}
		d.highlighted = true
	}
	if !d.rendered {
		d.restoreAST()
		d.searchEntries = nil // they hold link texts too
		unlinkTerms := linkTerms(d, terms)
		d.undoRender = unlinkTerms
		if h := titleHeading(d); h != nil {
			level := h.Level
			h.Level = 1
			d.undoRender = func() { h.Level = level; unlinkTerms() }
		}
		var err error
		if s.r.spill != nil {
			err = s.r.renderSpilled(conv, d)
		} else {
			d.body, err = renderBody(conv, d)
			// Read in place: appendIDs does not write, and a copy of
			// every body is what the spill's buffers spare.
			d.bodyIDs = appendIDs(nil, unsafe.Slice(unsafe.StringData(d.body), len(d.body)))
		}
		bodyErr, d.rendered = err, err == nil
	}
	if cache == nil {
		// A single build is done with the tree once it has the body
		// and the search entries: letting each go at once means the
		// trees and the bodies are never all in memory together.
		d.searchEntries = documentEntries(d)
		d.releaseAST()
	}
	if s.r.spill != nil {
		// A streamed build is done with the source too, and keeps
		// the entries' text in the spill until the index is made:
		// together they were half of what such a build holds.
		d.Source = nil
		s.r.spillEntries(d.searchEntries)
	}
	return bodyErr
}

// startOutput makes the Output, and a single build's search index: it needs only bodies.
func (s *renderPass) startOutput() {
	s.out = Output{}
	if s.in.files == nil {
		s.out = make(Output, len(s.pages)+len(s.in.theme.assets)+8)
	}
	s.sums = make(map[string]siteSum, len(s.pages)+8)
	if s.in.cache != nil {
		return
	}
	s.diags = append(s.diags, s.searchIndex(context.Background(), s.out)...)
	for _, d := range s.in.pack.Docs {
		d.searchEntries = nil // in the index now
	}
	// A streamed build writes the search files now rather than hold
	// them to the end: their text is a tenth of a large pack's sources.
	if s.in.files != nil {
		s.writeSearchFiles()
	}
}

// searchIndex adds the search index to out: now, or later for a Builder.
func (s *renderPass) searchIndex(ctx context.Context, out Output) (diags diag.List) {
	if err := addSearchIndex(ctx, out, s.in.pack, s.r.spill); err != nil && ctx.Err() == nil {
		diags.Errorf(diag.Pos{File: searchIndexFile}, diag.RuleThemeExecute, "search index: %v", err)
	}
	return diags
}

// writeSearchFiles moves the search index's files from the Output to a streamed build's.
func (s *renderPass) writeSearchFiles() {
	out := s.out
	names := slices.Sorted(maps.Keys(out))
	written := make([]siteSum, len(names))
	writeErrs := make([]error, len(names))
	parallel(len(names), func(i int) {
		b := out[names[i]]
		writeErrs[i] = s.in.files.WriteFile(names[i], b)
		written[i] = siteSum{sha256.Sum256(b), len(b)}
	})
	for i, name := range names {
		if writeErrs[i] != nil {
			s.diags.Errorf(diag.Pos{File: name}, diag.RuleSiteWrite, "%v", writeErrs[i])
		}
		s.sums[name] = written[i]
		delete(out, name)
	}
}

// bodyDiags reports the bodies' warnings and errors, after the search index's.
func (s *renderPass) bodyDiags(bodyErrs []error) {
	for i, d := range s.in.pack.Docs {
		s.diags = append(s.diags, d.hlDiags...)
		if bodyErrs[i] != nil {
			s.diags.Errorf(diag.Pos{File: d.Path}, diag.RuleThemeExecute, "rendering %s: %v", d.URL, bodyErrs[i])
		}
	}
}

// executePages makes every page in parallel, the bulk of the work, once bodies are made.
func (s *renderPass) executePages() (entries []pageEntry, sizes []int, errs []error, executed int) {
	entries = make([]pageEntry, len(s.pages))
	sizes = make([]int, len(s.pages)) // of the pages written to files
	errs = make([]error, len(s.pages))
	var ran atomic.Int64
	parallel(len(s.pages), func(i int) {
		var ok bool
		sizes[i], ok, errs[i] = s.executePage(&s.pages[i], &entries[i])
		if ok {
			ran.Add(1)
		}
	})
	return entries, sizes, errs, int(ran.Load())
}

// executePage sets *entry to pg, from the cache or its template; size is its file's.
func (s *renderPass) executePage(pg *page, entry *pageEntry) (size int, ran bool, err error) {
	cache, files := s.in.cache, s.in.files
	var content string
	if pg.doc != nil && cache != nil {
		content = pg.doc.body
	}
	made := pageEntry{page: *pg, docCount: s.r.docCount, content: content}
	if cache != nil {
		if e, ok := cache.page(&made); ok {
			*entry = e
			return 0, false, nil
		}
	}
	if files == nil {
		made.out, err = s.r.renderPage(pg, s.r.pageNav(pg.info.URL, pg.section))
		made.sum = sha256.Sum256(made.out)
		*entry = made
		return 0, true, err
	}
	out := s.r.buffers.Get().(*bytes.Buffer)
	defer s.r.buffers.Put(out)
	if err = s.r.renderPageInto(out, pg, s.r.pageNav(pg.info.URL, pg.section)); err == nil {
		made.sum, size = sha256.Sum256(out.Bytes()), out.Len()
		if werr := files.WriteFile(pg.info.URL, out.Bytes()); werr != nil {
			s.diagsMu.Lock()
			s.diags.Errorf(diag.Pos{File: pg.info.URL}, diag.RuleSiteWrite, "%v", werr)
			s.diagsMu.Unlock()
		}
	}
	*entry = made
	return size, true, err
}

// collectPages files the made pages in order: errors, Output, sums and cache.
func (s *renderPass) collectPages(entries []pageEntry, sizes []int, errs []error) {
	var kept map[string]*pageEntry // for the next build to reuse
	if s.in.cache != nil {
		kept = make(map[string]*pageEntry, len(s.pages))
	}
	for i, pg := range s.pages {
		if errs[i] != nil {
			pos, msg := templateError(errs[i], s.in.theme.overrides)
			s.diags.Errorf(pos, diag.RuleThemeExecute, "rendering %s: %s", pg.info.URL, msg)
			continue
		}
		if s.in.files != nil {
			s.sums[pg.info.URL] = siteSum{entries[i].sum, sizes[i]}
			continue
		}
		s.out[pg.info.URL] = entries[i].out
		s.sums[pg.info.URL] = siteSum{entries[i].sum, len(entries[i].out)}
		if kept != nil {
			kept[pg.info.URL] = &entries[i]
		}
	}
	if s.in.cache != nil {
		s.in.cache.pages = kept
	}
}

// wholePackFiles makes print.html now, or returns what makes it later: it needs every page.
func (s *renderPass) wholePackFiles() func(context.Context, Output) diag.List {
	switch {
	case s.diags.HasErrors():
	case s.in.cache == nil:
		s.diags = append(s.diags, s.printPage(context.Background(), s.out)...)
	default:
		return func(ctx context.Context, out Output) diag.List {
			return append(s.searchIndex(ctx, out), s.printPage(ctx, out)...)
		}
	}
	return nil
}

// printPage adds print.html to out or a streamed build's files, after the pages.
func (s *renderPass) printPage(ctx context.Context, out Output) (diags diag.List) {
	th := s.in.theme
	if files := s.in.files; files != nil {
		sum, err := writeStreamed(files, PrintURL, func(w io.Writer) error { return s.r.printPage(ctx, s.pages, w) })
		var werr *siteWriteError
		switch {
		case errors.As(err, &werr):
			diags.Errorf(diag.Pos{File: PrintURL}, diag.RuleSiteWrite, "%v", werr.err)
		case err != nil:
			pos, msg := templateError(err, th.overrides)
			diags.Errorf(pos, diag.RuleThemeExecute, "rendering %s: %s", PrintURL, msg)
		}
		s.sums[PrintURL] = sum
		return diags
	}
	var b bytes.Buffer
	err := s.r.printPage(ctx, s.pages, &b)
	switch {
	case ctx.Err() != nil:
	case err != nil:
		pos, msg := templateError(err, th.overrides)
		diags.Errorf(pos, diag.RuleThemeExecute, "rendering %s: %s", PrintURL, msg)
	default:
		out[PrintURL] = b.Bytes()
	}
	return diags
}

// addAssets adds the theme's assets last: a streamed build writes them with the manifest.
func (s *renderPass) addAssets() {
	for name, b := range s.in.theme.assets {
		s.out["assets/"+name] = b
	}
	css, err := s.in.cache.chromaCSS(s.in.conv)
	if err != nil {
		s.diags.Errorf(diag.Pos{File: "assets/chroma.css"}, diag.RuleThemeExecute, "highlighting stylesheet: %v", err)
	}
	s.out["assets/chroma.css"] = css
}

// siteSum is the SHA-256 and size of a site file, for the manifest.
type siteSum struct {
	sum  [sha256.Size]byte
	size int
}

// SiteFiles receives a site's files as a build makes them (see
// Options.Files); *SiteDir is one. Its methods are called concurrently.
type SiteFiles interface {
	WriteFile(name string, b []byte) error
	Create(name string) (io.WriteCloser, error)
}

// writeStreamed creates the site file name in files and lets write write
// it, through a buffer; it returns the file's SHA-256 and size.
func writeStreamed(files SiteFiles, name string, write func(io.Writer) error) (siteSum, error) {
	f, err := files.Create(name)
	if err != nil {
		return siteSum{}, &siteWriteError{err}
	}
	h := sha256.New()
	fw := &fileWriter{w: f}
	counted := &countingWriter{w: io.MultiWriter(fw, h)}
	bw := bufio.NewWriterSize(counted, 256<<10)
	err = write(bw)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); cerr != nil && fw.err == nil {
		fw.err = cerr
	}
	var s siteSum
	h.Sum(s.sum[:0])
	s.size = counted.n
	if fw.err != nil {
		return s, &siteWriteError{fw.err}
	}
	return s, err
}

type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += n
	return n, err
}

// ManifestFile lists every file of a site with its SHA-256 and size.
const ManifestFile = "manifest.json"

// Manifest is the content of manifest.json.
type Manifest struct {
	PackDigest string          `json:"pack_digest"`
	Version    string          `json:"version,omitempty"`
	Effective  string          `json:"effective,omitempty"`
	Files      []ManifestEntry `json:"files"`
}

// ManifestEntry is one file of the site.
type ManifestEntry struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int    `json:"size"`
}

// addManifest adds manifest.json, listing every other file of out. sums
// holds the hashes already computed.
func addManifest(out Output, sums map[string]siteSum, p *Pack) error {
	m := Manifest{PackDigest: p.Digest, Version: p.Settings.Version, Effective: p.Settings.Effective.String(), Files: []ManifestEntry{}}
	for name, b := range out {
		s, ok := sums[name]
		if !ok {
			s = siteSum{sha256.Sum256(b), len(b)}
		}
		m.Files = append(m.Files, ManifestEntry{Path: name, SHA256: hex.EncodeToString(s.sum[:]), Size: s.size})
	}
	for name, s := range sums {
		if _, ok := out[name]; !ok { // written as it was made
			m.Files = append(m.Files, ManifestEntry{Path: name, SHA256: hex.EncodeToString(s.sum[:]), Size: s.size})
		}
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	out[ManifestFile] = append(b, '\n')
	return nil
}

// renderPage executes the page's template and returns the page.
func (r *renderer) renderPage(pg *page, nav []navSection) ([]byte, error) {
	var out bytes.Buffer
	err := r.renderPageInto(&out, pg, nav)
	return out.Bytes(), err
}

// renderPageInto is renderPage into out, which it resets.
func (r *renderer) renderPageInto(out *bytes.Buffer, pg *page, nav []navSection) error {
	scratch := r.buffers.Get().(*bytes.Buffer)
	defer r.buffers.Put(scratch)
	data, err := r.pageData(pg, nav, scratch)
	if err != nil {
		return err
	}
	return r.executeInto(out, pg.kind, "layout", data)
}

// renderBody renders the body of d to keep in memory.
func renderBody(conv *markdown.Converter, d *Document) (string, error) {
	var body strings.Builder
	body.Grow(2 * len(d.Source))
	err := conv.Render(&body, d.Source, d.tree())
	if body.Cap()-body.Len() > body.Len()/8 {
		// Bodies stay until the print page is made: keep them without
		// the builder's spare room (a tenth of a large site's memory).
		return strings.Clone(body.String()), err
	}
	return body.String(), err
}

// spillEntries moves the texts of a document's search entries to the
// spill, in one write: one a text was a system call for every clause of
// the pack.
func (r *renderer) spillEntries(entries []searchEntry) {
	buf := r.buffers.Get().(*bytes.Buffer)
	defer r.buffers.Put(buf)
	buf.Reset()
	for i := range entries {
		buf.WriteString(entries[i].text)
	}
	b, ok := r.spill.put(buf.Bytes())
	if !ok {
		return // the texts stay in memory
	}
	spilled := make([]spilledBody, len(entries))
	for i := range entries {
		e := &entries[i]
		spilled[i] = spilledBody{b.at, len(e.text)}
		b.at += int64(len(e.text))
		e.text, e.spilled = "", &spilled[i]
	}
}

// renderSpilled renders the body of d into the spill, made in a buffer
// used again; it keeps the body in memory if the spill cannot take it.
func (r *renderer) renderSpilled(conv *markdown.Converter, d *Document) error {
	buf := r.buffers.Get().(*bytes.Buffer)
	defer r.buffers.Put(buf)
	buf.Reset()
	if err := conv.Render(buf, d.Source, d.tree()); err != nil {
		d.body = buf.String()
		return err
	}
	d.bodyIDs = appendIDs(nil, buf.Bytes())
	if b, ok := r.spill.put(buf.Bytes()); ok {
		d.body, d.spilled = "", &b
	} else {
		d.body = buf.String()
	}
	return nil
}

// contentMarker stands in for a page's Content while the default theme's
// template runs. Printing a value, text/template copies it through fmt's
// buffer, and a body is most of a page's bytes: putting it in after the
// template ran copies it once. navMarker stands in for .Page.NavHTML, and
// the partials of splicedPartials are markers too: their HTML is written
// into the page rather than made a string first, and without calling a
// function through reflection. No value a template prints can hold a
// marker: escapers and goldmark replace NUL bytes.
const (
	markerStart   = "\x00govpack "
	contentMarker = markerStart + "content\x00"
	navMarker     = markerStart + "nav\x00"
)

// splicedPartials are the default theme's partials that only the layout
// shows, each from the page's own data (see executeInto).
var splicedPartials = []string{"breadcrumbs", "toc", "toc-list", "prevnext", "page-backlinks"}

// rootPartials are the default theme's partials that only the layout
// shows and that show nothing of the page but its Root: the same on
// every page as deep, a template run once for each depth, then copied.
var rootPartials = []string{"head-links", "site-header", "site-footer"}

// executeInto executes the template name of the kind's set with data
// into out, which it resets: a streamed build makes each page and print
// part in a buffer it uses again, rather than in a slice of its own (a
// gigabyte on a large pack).
func (r *renderer) executeInto(out *bytes.Buffer, kind, name string, data pageData) error {
	buf := r.buffers.Get().(*bytes.Buffer)
	defer r.buffers.Put(buf)
	buf.Reset()
	out.Reset()
	body := string(data.Content)
	// A pack's own templates may show .Content and .Page.NavHTML
	// elsewhere than in HTML text, where a marker would be escaped: they
	// get the values themselves.
	splice := r.theme.ownTemplates
	if splice {
		data.Page.NavHTML = navMarker
		if body != "" {
			data.Content = contentMarker
		}
	} else {
		data.Page.NavHTML = navHTML(data.Page.URL, data.Page.Nav, r.site.Governance)
	}
	var page []byte
	if splice && kind == "document" && name == "layout" {
		var err error
		if page, err = r.documentSkeleton(data); err != nil {
			return err
		}
	}
	if page == nil {
		if err := r.theme.pages[kind].ExecuteTemplate(buf, name, data); err != nil {
			return err
		}
		page = buf.Bytes()
	}
	if !splice {
		out.Write(page)
		return nil
	}
	// Templates show the body and the navigation once, as a rule: room
	// for one of each, the buffer grows for more.
	out.Grow(len(page) + len(body) + navSize(data.Page.Nav, r.site.Governance))
	return r.splice(out, page, body, &data)
}

// splice writes page to out with each marker the templates left in it
// replaced by what it stands for: the body, the navigation, the parts
// written without the template engine.
func (r *renderer) splice(out *bytes.Buffer, page []byte, body string, data *pageData) error {
	for {
		i := bytes.Index(page, []byte(markerStart))
		if i < 0 {
			out.Write(page)
			return nil
		}
		out.Write(page[:i])
		page = page[i+len(markerStart):]
		name, rest, _ := bytes.Cut(page, []byte{0})
		switch string(name) {
		case "content":
			out.WriteString(body)
		case "nav":
			links := r.navLinks.Get().(navLinks)
			writeNav(out, data.Page.URL, data.Page.Nav, r.site.Governance, links)
			r.navLinks.Put(links)
		case "breadcrumbs":
			writeBreadcrumbs(out, &data.Page)
		case "toc":
			writeTOC(out, data.Page.TOC)
		case "toc-list":
			writeTOCList(out, data.Page.TOC)
		case "prevnext":
			writePrevNext(out, &data.Page)
		case "page-backlinks":
			writeBacklinks(out, data.Page.URL, data.Page.Backlinks)
		case "title":
			escape.Template(out, data.Page.Title)
		case "description":
			escape.Template(out, data.Page.Description)
		case "head-links", "site-header", "site-footer":
			html, err := r.rootPartial(string(name), data.Page.Root)
			if err != nil {
				return err
			}
			out.WriteString(html)
		default:
			out.WriteString(markerStart) // not a marker
			continue
		}
		page = rest
	}
}

// A document page of the default theme is the same as every other of the
// same shape (see skeletonShape) but for its title and description (and
// the markers executeInto fills in): the template runs once for each
// shape, the title and description set to marks of a character no
// escaper changes, and the marks become markers. Where the site's
// settings put the character in the layout, the marks could not be told
// from them, and every page runs the template.
const (
	skeletonMark        = '\uE000' // of Unicode's private use area
	skeletonTitle       = "\uE000title\uE000"
	skeletonDescription = "\uE000description\uE000"
)

// skeletonShape is what a document page's layout shows of the page
// beyond its title, its description and the markers.
type skeletonShape struct {
	kind, root                       string
	toc, titleInContent, description bool
}

// documentSkeleton returns the layout of the document page of data with
// markers for its title and description, or nil where the template must
// run for the page.
func (r *renderer) documentSkeleton(data pageData) ([]byte, error) {
	shape := skeletonShape{kind: data.Page.Kind, root: data.Page.Root, toc: len(data.Page.TOC) > 0, titleInContent: data.Page.TitleInContent,
		description: data.Page.Description != ""}
	return r.skeletons.get(shape, func() ([]byte, error) {
		// An empty body is written as a marker too: the same bytes.
		data.Content = contentMarker
		run := func(title, description string) ([]byte, error) {
			data.Page.Title, data.Page.Description = title, description
			var b bytes.Buffer
			err := r.theme.pages["document"].ExecuteTemplate(&b, "layout", data)
			return b.Bytes(), err
		}
		blank, err := run("", "")
		if err != nil || bytes.ContainsRune(blank, skeletonMark) {
			return nil, err
		}
		description := ""
		if shape.description {
			description = skeletonDescription
		}
		skeleton, err := run(skeletonTitle, description)
		if err != nil {
			return nil, err
		}
		skeleton = bytes.ReplaceAll(skeleton, []byte(skeletonTitle), []byte(markerStart+"title\x00"))
		return bytes.ReplaceAll(skeleton, []byte(skeletonDescription), []byte(markerStart+"description\x00")), nil
	})
}

// rootPartial returns the HTML of the rootPartial name on pages at root,
// made the first time a page at root asks for it.
func (r *renderer) rootPartial(name, root string) (string, error) {
	return r.rootPartials.get([2]string{name, root}, func() (string, error) {
		var b strings.Builder
		err := r.theme.shell.ExecuteTemplate(&b, name, pageData{Site: r.site, Page: pageInfo{Root: root}})
		return b.String(), err
	})
}

// pageData is the template context of a page, its Markdown rendered. A
// body read back from the spill is read into scratch, which the data
// then shares.
func (r *renderer) pageData(pg *page, nav []navSection, scratch *bytes.Buffer) (pageData, error) {
	data := r.pageFrame(pg, nav)
	if d := pg.doc; d != nil {
		body, err := r.body(d, scratch)
		if err != nil {
			return data, err
		}
		data.Content = template.HTML(body)
	}
	return data, nil
}

// body returns the rendered body of d, read back from the spill into
// scratch (which it then shares) where a streamed build put it there.
func (r *renderer) body(d *Document, scratch *bytes.Buffer) (string, error) {
	if d.spilled == nil {
		return d.body, nil
	}
	body, err := r.spill.getInto(*d.spilled, scratch)
	if err != nil {
		return "", fmt.Errorf("reading back the body of %s: %w", d.Path, err)
	}
	return body, nil
}

// pageFrame is pageData without the body.
func (r *renderer) pageFrame(pg *page, nav []navSection) pageData {
	data := pageData{Site: r.site, Page: pg.info, Data: pg.data}
	data.Page.Root = rootPrefix(pg.info.URL)
	data.Page.Nav = nav // executeInto writes NavHTML
	return data
}

// siteData gathers the settings and the navigation tree.
func (r *renderer) siteData() *siteData {
	s := r.p.Settings
	sd := &siteData{
		Title: s.Title, Consortium: s.Consortium, Version: s.Version, Effective: s.Effective.String(),
		Language: s.Language, Footer: s.Theme.Footer, Client: s.Theme.Client,
		Accent: themeColour(s.Theme.Accent), AccentDark: themeColour(s.Theme.AccentDark),
		Digest: r.p.Digest,
	}
	if s.Theme.Logo != "" {
		sd.Logo = strings.TrimPrefix(path.Clean(s.Theme.Logo), "static/")
	}
	if s.Theme.CSS != "" {
		sd.ExtraCSS = strings.TrimPrefix(path.Clean(s.Theme.CSS), "static/")
	}
	sd.Nav = r.navigation()
	for _, g := range governancePages {
		sd.Governance = append(sd.Governance, Link{Title: g.Title, URL: g.URL})
	}
	return sd
}

// governancePages are the pages generated from the governance data, one
// per kind, in navigation order; member, body and redline pages come one
// per entity on top.
var governancePages = []struct{ Kind, Title, URL string }{
	{"governance", "Governance", "governance/index.html"},
	{"rights", "Rights and responsibilities", "governance/rights.html"},
	{"decisions", "Decision rules", "governance/decisions.html"},
	{"roles", "Roles", "governance/roles.html"},
	{"nodes", "Node plan", "governance/nodes.html"},
	{"data", "Data classes", "governance/data.html"},
	{"glossary", "Glossary", "governance/glossary.html"},
	{"amendments", "Amendment history", "governance/amendments.html"},
	{"coverage", "Profile coverage", "governance/coverage.html"},
}

// navigation orders sections by the profile: a section comes where the
// first profile item its documents cover comes; sections covering none
// follow by name. Within a section, documents go by weight, then title.
func (r *renderer) navigation() []navSection {
	itemIndex := map[string]int{}
	for i, it := range r.prof.Items {
		itemIndex[it.ID] = i
	}
	rank := map[string]int{}
	bySection := map[string][]*Document{}
	index := map[string]*Document{}
	for _, d := range r.p.Docs {
		if d.Path == "index.md" {
			continue
		}
		if d.Section != "" && d.Path == d.Section+"/index.md" {
			index[d.Section] = d
			if _, ok := bySection[d.Section]; !ok {
				bySection[d.Section] = nil
			}
			continue
		}
		bySection[d.Section] = append(bySection[d.Section], d)
		if _, ok := rank[d.Section]; !ok {
			rank[d.Section] = len(r.prof.Items)
		}
		if i := d.firstItem(r.prof, itemIndex); i < rank[d.Section] {
			rank[d.Section] = i
		}
	}
	var names []string
	for name := range bySection {
		names = append(names, name)
		if _, ok := rank[name]; !ok {
			rank[name] = len(r.prof.Items)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := names[i], names[j]
		if (a == "") != (b == "") {
			return a == "" // root documents first
		}
		if rank[a] != rank[b] {
			return rank[a] < rank[b]
		}
		return a < b
	})
	var nav []navSection
	for _, name := range names {
		docs := bySection[name]
		sort.SliceStable(docs, func(i, j int) bool {
			a, b := docs[i], docs[j]
			if a.Front.Weight != b.Front.Weight {
				return a.Front.Weight < b.Front.Weight
			}
			if a.Title != b.Title {
				return a.Title < b.Title
			}
			return a.Path < b.Path
		})
		sec := navSection{Name: name, Title: titleFromPath(name + "/index.md")}
		if name != "" {
			sec.URL = name + "/index.html"
		}
		if d := index[name]; d != nil {
			sec.Title = d.Title
		}
		for _, d := range docs {
			sec.Docs = append(sec.Docs, Link{Title: d.Title, URL: d.URL, Note: d.Front.Description})
		}
		nav = append(nav, sec)
	}
	return nav
}

// firstItem returns the index in the profile of the first item the
// document covers (len(prof.Items) when none), worked out once per parse
// and profile: a rebuild orders the navigation by every document's.
func (d *Document) firstItem(prof *profile.Profile, itemIndex map[string]int) int {
	if d.firstItemOf != prof {
		d.firstItemOf, d.firstItemAt = prof, len(prof.Items)
		for _, c := range coveredItems(d) {
			if i, ok := itemIndex[c]; ok && i < d.firstItemAt {
				d.firstItemAt = i
			}
		}
	}
	return d.firstItemAt
}

// coveredItems lists the profile items a document claims to cover: by
// front matter, or by headings whose id is an item id.
func coveredItems(d *Document) []string {
	items := append([]string(nil), d.Front.Covers...)
	for _, h := range d.Headings {
		items = append(items, h.ID)
	}
	return items
}

// pages lists every page of the site in a fixed order: the overview, the
// sections and their documents, then the governance pages.
func (r *renderer) pages() []page {
	pages := make([]page, 0, 1+len(r.site.Nav)+len(r.p.Docs)+len(governancePages)+len(r.p.Data.Members)+len(r.p.Data.Bodies)+len(r.redlines))
	order := newReadingOrder(r.site.Nav)
	pages = r.documentPages(pages, order)
	return r.governancePages(pages, order)
}

// readingOrder is the order pages are read in: overview, then each
// section's index and documents. It gives each page its previous and next.
type readingOrder struct {
	links []Link
	at    map[string]int // URL → index in links
}

func newReadingOrder(nav []navSection) readingOrder {
	var order []Link
	order = append(order, Link{Title: "Overview", URL: "index.html"})
	for _, sec := range nav {
		if sec.URL != "" {
			order = append(order, Link{Title: sec.Title, URL: sec.URL})
		}
		order = append(order, sec.Docs...)
	}
	at := make(map[string]int, len(order))
	for i, l := range order {
		at[l.URL] = i // the last, should a URL come twice
	}
	return readingOrder{order, at}
}

// info is a page's info with its previous and next page.
func (o readingOrder) info(kind, title, url string) pageInfo {
	pi := pageInfo{Kind: kind, Title: title, URL: url}
	if i, ok := o.at[url]; ok {
		if i > 0 {
			pi.Prev = &o.links[i-1]
		}
		if i+1 < len(o.links) {
			pi.Next = &o.links[i+1]
		}
	}
	return pi
}

// documentPages appends the overview, and each section's index and
// documents, to pages.
func (r *renderer) documentPages(pages []page, order readingOrder) []page {
	byPath := make(map[string]*Document, len(r.p.Docs))
	for _, d := range r.p.Docs {
		byPath[d.Path] = d
	}
	home := page{kind: "home", info: order.info("home", r.site.Title, "index.html"), doc: byPath["index.md"]}
	if home.doc != nil {
		home.info.TOC = home.doc.toc
		home.info.Backlinks = r.l.Backlinks("index.md")
	}
	pages = append(pages, home)

	for _, sec := range r.site.Nav {
		if sec.URL != "" {
			pg := page{kind: "section", info: order.info("section", sec.Title, sec.URL), data: sec, section: sec.Name}
			if d := byPath[sec.Name+"/index.md"]; d != nil {
				pg.doc = d
				pg.info.Description = d.Front.Description
				pg.info.TOC = d.toc
				pg.info.TitleInContent = d.titleInContent
				pg.info.Backlinks = r.l.Backlinks(d.Path)
			}
			pages = append(pages, pg)
		}
		for _, dl := range sec.Docs {
			d := byPath[strings.TrimSuffix(dl.URL, ".html")+".md"]
			pi := order.info("document", d.Title, d.URL)
			pi.Description = d.Front.Description
			pi.Section, pi.SectionURL = sec.Title, sec.URL
			pi.TOC = d.toc
			pi.TitleInContent = d.titleInContent
			pi.Backlinks = r.l.Backlinks(d.Path)
			pages = append(pages, page{kind: "document", info: pi, doc: d, section: sec.Name})
		}
	}
	return pages
}

// governancePages appends the generated pages to pages: the governance
// index and views, a page per member and per body, and the redlines.
func (r *renderer) governancePages(pages []page, order readingOrder) []page {
	gov := func(kind, title, url string, data any) *page {
		pi := order.info(kind, title, url)
		pi.Section, pi.SectionURL = "Governance", "governance/index.html"
		if kind == "governance" {
			pi.Section, pi.SectionURL = "", ""
		}
		pages = append(pages, page{kind: kind, info: pi, data: data, section: "\x00governance"})
		return &pages[len(pages)-1]
	}
	d := &r.p.Data
	v := r.views
	data := map[string]func() any{
		"governance": func() any { return r.governanceIndex() },
		"rights":     func() any { return r.matrixPage() },
		"decisions":  func() any { return v.decisions() },
		"roles":      func() any { return r.roles() },
		"nodes":      func() any { return v.nodePlan() },
		"data":       func() any { return r.dataClasses() },
		"glossary":   func() any { return r.glossary() },
		"amendments": func() any { return r.amendments() },
		"coverage":   func() any { return r.coverage },
	}
	for _, g := range governancePages {
		pg := gov(g.Kind, g.Title, g.URL, data[g.Kind]())
		pg.info.TOC = governanceTOC(pg.data)
	}
	for i := range d.Members {
		m := &d.Members[i]
		mv := v.memberView(m)
		pg := gov("member", m.Name, entityURL("member", m.ID), mv)
		pg.info.Backlinks = mv.Backlinks
		pg.info.TOC = memberTOC
	}
	for i := range d.Bodies {
		b := &d.Bodies[i]
		bv := v.bodyView(b)
		gov("body", b.Name, entityURL("body", b.ID), bv).info.Backlinks = bv.Backlinks
	}
	for _, rl := range r.redlines {
		gov("redline", "Changes in version "+rl.To, redlineURL(rl.To), r.redlineView(rl))
	}
	return pages
}

// titleHeading returns the heading that opens a document when it repeats
// the document's title, as "## Article 5 — Decision-making" under the
// title "Article 5 — Decision-making": the page shows it as its title,
// once, keeping the heading's anchor. The tree must be at hand (see tree).
func titleHeading(d *Document) *ast.Heading {
	if !d.titleInContent {
		return nil
	}
	return d.Headings[0].node
}

// outline works out, once per load, whether the document opens with its
// title (see titleHeading) and its table of contents.
func (d *Document) outline(o markdown.Outline) {
	first := 0
	if d.titleFromH1 {
		first = 1
	}
	if o.Opening > first && o.Headings[first].Text == d.Title {
		d.titleInContent = true // the first heading found, Headings[0]
	}
	for i, h := range d.Headings {
		if (h.Level == 2 || h.Level == 3) && (i > 0 || !d.titleInContent) {
			h.node = nil // pages keep their table of contents, not the tree
			d.toc = append(d.toc, h)
		}
	}
}

// governanceTOC lists the entries of a generated page with a heading
// each, for its table of contents. The matrix and the decision rules have
// none: their summary tables link to every entry, and take the width.
func governanceTOC(data any) []Heading {
	var toc []Heading
	add := func(id, text string) { toc = append(toc, Heading{Level: 2, ID: id, Text: text}) }
	switch data := data.(type) {
	case []roleView:
		for _, r := range data {
			add(r.Role.ID, r.Role.Name)
		}
	case []dataView:
		for _, d := range data {
			add(d.Class.ID, d.Class.Name)
		}
	case Coverage:
		for _, p := range data.Pillars {
			add(p.Pillar.ID, p.Pillar.Title)
		}
	case nodeView:
		if len(data.Operators) > 0 {
			add("operators", "Consensus nodes per member")
		}
		add("nodes", "Nodes")
	case governanceIndex:
		add("members", "Members")
		add("bodies", "Bodies")
	}
	return toc
}

// memberTOC is the table of contents of a member page; the member
// template has one heading per entry.
var memberTOC = []Heading{
	{Level: 2, ID: "bodies", Text: "Bodies"},
	{Level: 2, ID: "roles", Text: "Roles"},
	{Level: 2, ID: "rights", Text: "What it may do"},
	{Level: 2, ID: "responsibilities", Text: "What it must do"},
	{Level: 2, ID: "nodes", Text: "What it runs"},
	{Level: 2, ID: "data", Text: "Data it owns"},
	{Level: 2, ID: "decisions", Text: "What it can pass and block"},
}

// matrixPage is the rights and responsibilities matrix with what its
// filters offer.
type matrixPage struct {
	Members []matrixColumn
	Rows    []matrixRow
	Pillars []profile.Pillar // the pillars rows belong to, in profile order
	Other   bool             // some rows belong to no pillar
}

type matrixColumn struct {
	ID   string
	Link Link
}

func (r *renderer) matrixPage() matrixPage {
	cols, rows := r.views.matrix()
	mp := matrixPage{Rows: rows}
	for i, m := range r.p.Data.Members {
		mp.Members = append(mp.Members, matrixColumn{ID: m.ID, Link: cols[i]})
	}
	used := map[string]bool{}
	for i := range mp.Rows {
		row := &mp.Rows[i]
		item := row.Entity.Item
		if row.Kind == "right" {
			item = r.sourceItem(row.Entity.Source)
		}
		if it, ok := r.prof.Item(item); ok {
			row.Pillar = it.Pillar
		}
		used[row.Pillar] = true
		mp.Other = mp.Other || row.Pillar == ""
	}
	for _, pl := range r.prof.Pillars {
		if used[pl.ID] {
			mp.Pillars = append(mp.Pillars, pl)
		}
	}
	return mp
}

// sourceItem returns the profile item a clause reference falls under: the
// heading's own id when it is an item, else the first item, in profile
// order, that the referenced document covers.
func (r *renderer) sourceItem(ref string) string {
	key, _, problem := r.l.resolve(ref, "", "")
	d := r.l.docs[key]
	if problem != "" || d == nil {
		return ""
	}
	if _, frag, ok := strings.Cut(ref, "#"); ok {
		if _, isItem := r.prof.Item(frag); isItem {
			return frag
		}
	}
	covers := coveredItems(d)
	for _, it := range r.prof.Items {
		if slices.Contains(covers, it.ID) {
			return it.ID
		}
	}
	return ""
}

type governanceIndex struct {
	Members []Link
	Bodies  []Link
}

func (r *renderer) governanceIndex() governanceIndex {
	var gi governanceIndex
	for _, m := range r.p.Data.Members {
		l := r.views.memberLink(m.ID)
		l.Note = m.Kind
		gi.Members = append(gi.Members, l)
	}
	for _, b := range r.p.Data.Bodies {
		l := r.views.link("body:" + b.ID)
		l.Note = b.Purpose
		gi.Bodies = append(gi.Bodies, l)
	}
	return gi
}

type roleView struct {
	Role      *Role
	Holders   []Link
	Backlinks []backlink
}

func (r *renderer) roles() []roleView {
	var out []roleView
	for i := range r.p.Data.Roles {
		ro := &r.p.Data.Roles[i]
		rv := roleView{Role: ro, Backlinks: r.l.Backlinks("role:" + ro.ID)}
		for _, h := range ro.Holders {
			rv.Holders = append(rv.Holders, r.views.memberLink(h))
		}
		out = append(out, rv)
	}
	return out
}

type dataView struct {
	Class     *DataClass
	Owner     Link
	Backlinks []backlink
}

func (r *renderer) dataClasses() []dataView {
	var out []dataView
	for i := range r.p.Data.DataClasses {
		dc := &r.p.Data.DataClasses[i]
		owner := dc.Owner
		if !strings.Contains(owner, ":") {
			owner = "member:" + owner
		}
		out = append(out, dataView{Class: dc, Owner: r.views.link(owner), Backlinks: r.l.Backlinks("data:" + dc.ID)})
	}
	return out
}

type termView struct {
	Term      *Term
	Backlinks []backlink
}

func (r *renderer) glossary() []termView {
	var out []termView
	for i := range r.p.Data.Terms {
		t := &r.p.Data.Terms[i]
		out = append(out, termView{Term: t, Backlinks: r.l.Backlinks("term:" + t.ID)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		return strings.ToLower(out[i].Term.Name) < strings.ToLower(out[j].Term.Name)
	})
	return out
}

type amendmentView struct {
	Amendment *Amendment
	Anchor    string
	Decision  Link
	Changes   []Link
	Redline   Link // what actually changed, when the previous version is archived
}

// redlineChange is one change as the redline page shows it.
type redlineChange struct {
	Change
	Link Link // the changed clause or entity in the current site, if it still exists
}

type redlinePage struct {
	From, To string
	Changes  []redlineChange
}

func (r *renderer) redlineView(rl redline) redlinePage {
	page := redlinePage{From: rl.From, To: rl.To}
	for _, c := range rl.Changes {
		rc := redlineChange{Change: c}
		if c.Kind != "removed" {
			if l := r.views.link(c.Where); l.URL != "" {
				rc.Link = l
			}
		}
		page.Changes = append(page.Changes, rc)
	}
	return page
}

// amendmentsPage is the amendment history with the ratification of the
// current version.
type amendmentsPage struct {
	History       []amendmentView
	Ratifications []ratificationRow
	Digest        string
	Version       string
}

type ratificationRow struct {
	Member Link
	Status RatificationStatus
}

func (r *renderer) amendments() amendmentsPage {
	page := amendmentsPage{Digest: r.p.Digest, Version: r.p.Settings.Version}
	for i := range r.p.Data.Amendments {
		a := &r.p.Data.Amendments[i]
		av := amendmentView{Amendment: a, Anchor: "v" + a.Version}
		if a.Decision != "" {
			av.Decision = r.views.link("decision:" + a.Decision)
		}
		for _, c := range a.Changes {
			av.Changes = append(av.Changes, r.views.link(c))
		}
		for _, rl := range r.redlines {
			if rl.To == a.Version {
				av.Redline = Link{Title: "Redline from " + rl.From, URL: redlineURL(rl.To)}
			}
		}
		page.History = append(page.History, av)
	}
	// Newest first, as a change log reads.
	sort.SliceStable(page.History, func(i, j int) bool {
		a, b := page.History[i].Amendment, page.History[j].Amendment
		if a.Date != b.Date {
			return a.Date.String() > b.Date.String()
		}
		return a.Version > b.Version
	})
	if len(r.p.Data.Ratifications) > 0 {
		for _, m := range r.p.Data.Members {
			st := r.p.ratifications[m.ID]
			if st.State == "" {
				st.State = "none"
			}
			page.Ratifications = append(page.Ratifications, ratificationRow{Member: r.views.memberLink(m.ID), Status: st})
		}
	}
	return page
}

// checkCollisions reports two sources that would write the same output
// file, such as a document governance/rights.md and the rights page.
func checkCollisions(p *Pack, diags *diag.List) {
	owner := make(map[string]string, 64+len(p.Docs)+len(p.Data.Members)+len(p.Data.Bodies)+len(p.Assets)+len(p.Static))
	claim := func(out, src string, pos diag.Pos) {
		if isSearchFile(out) {
			owner[out] = "the search index"
		}
		if prev, ok := owner[out]; ok {
			diags.Errorf(pos, diag.RuleSiteCollision, "%s would be written to %s, which %s already produces", src, out, prev)
			return
		}
		owner[out] = src
	}
	for _, u := range []string{"index.html", PrintURL, ManifestFile, "assets/style.css", "assets/chroma.css", "assets/site.js"} {
		owner[u] = "the generated site"
	}
	for _, g := range governancePages {
		owner[g.URL] = "the generated site"
	}
	// Entities claim their pages once: a duplicate id is reported as such.
	seen := make(map[string]bool, len(p.Data.Members)+len(p.Data.Bodies))
	for _, m := range p.Data.Members {
		if u := entityURL("member", m.ID); !seen[u] {
			seen[u] = true
			claim(u, fmt.Sprintf("member %q", m.ID), m.At("id"))
		}
	}
	for _, b := range p.Data.Bodies {
		if u := entityURL("body", b.ID); !seen[u] {
			seen[u] = true
			claim(u, fmt.Sprintf("body %q", b.ID), b.At("id"))
		}
	}
	// A section without an index.md gets a generated index page.
	sections := map[string]*Document{}
	for _, d := range p.Docs {
		if d.Section != "" && (sections[d.Section] == nil || d.Path == d.Section+"/index.md") {
			sections[d.Section] = d
		}
	}
	for _, d := range p.Docs {
		if d.Path != "index.md" {
			claim(d.URL, d.Path, diag.Pos{File: d.Path})
		}
		if first := sections[d.Section]; first == d && d.Path != d.Section+"/index.md" {
			claim(d.Section+"/index.html", "the index of section "+d.Section, diag.Pos{File: d.Path})
		}
	}
	for _, a := range p.Assets {
		claim(a, a, diag.Pos{File: a})
	}
	for _, s := range p.Static {
		claim(s, "static/"+s, diag.Pos{File: "static/" + s})
	}
}

// parallel calls work(i) for every i in [0, n) on all cores. Callers write
// results into slots indexed by i, so order never depends on scheduling.
func parallel(n int, work func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				work(i)
			}
		}()
	}
	wg.Wait()
}
