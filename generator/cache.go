package generator

import (
	"bytes"
	"crypto/sha256"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"govpack/generator/diag"
	"govpack/generator/markdown"
	"govpack/generator/profile"
)

// Builder builds one pack again and again, as govpack serve does after
// every save. Each build runs every stage and every check, like Build; it
// only reuses what cannot have changed: files the change list does not
// name are not read again, documents whose source is unchanged are not
// parsed again, their bodies are not rendered again unless their links
// resolve differently, and a page is executed again only when something
// its template sees has changed. A build's output and diagnostics equal a
// fresh Build of the same sources.
type Builder struct {
	opts Options
	src  *sourceFS
	c    *cache
}

// NewBuilder returns a Builder for the pack in fsys.
func NewBuilder(fsys fs.FS, opts Options) *Builder {
	return &Builder{opts: opts, src: &sourceFS{fsys: fsys}, c: &cache{}}
}

// Build builds the pack. changed lists the slash paths, relative to the
// pack, that changed since the last build (a directory stands for
// everything under it); nil, or a list holding "*", means anything may
// have changed, and every file is read again.
func (b *Builder) Build(changed []string) *Result {
	b.src.forget(changed)
	return placed(b.src, build(b.src, b.opts, b.c))
}

// sourceFS reads a pack through to fsys and keeps what it read, until told
// that a path changed.
type sourceFS struct {
	fsys  fs.FS
	files map[string][]byte
	dirs  map[string][]fs.DirEntry
	// links are the symbolic links the listings held: what is read through
	// one changes under another name, which a change list names instead,
	// so it is read again after every change.
	links map[string]bool
}

func (s *sourceFS) Open(name string) (fs.File, error) { return s.fsys.Open(name) }

func (s *sourceFS) ReadFile(name string) ([]byte, error) {
	if b, ok := s.files[name]; ok {
		return b, nil
	}
	b, err := fs.ReadFile(s.fsys, name)
	if err == nil {
		s.files[name] = b
	}
	return b, err
}

func (s *sourceFS) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(s.fsys, name) }

func (s *sourceFS) ReadLink(name string) (string, error) { return fs.ReadLink(s.fsys, name) }

func (s *sourceFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if es, ok := s.dirs[name]; ok {
		return es, nil
	}
	es, err := fs.ReadDir(s.fsys, name)
	if err == nil {
		s.dirs[name] = es
		for _, e := range es {
			if e.Type()&fs.ModeSymlink != 0 {
				s.links[path.Join(name, e.Name())] = true
			}
		}
	}
	return es, err
}

// forget drops what it knows of the changed paths, of everything under
// them and of the listings of the directories above them, any of which
// may be new.
func (s *sourceFS) forget(changed []string) {
	if changed == nil || s.files == nil || containsRescan(changed) {
		s.files, s.dirs, s.links = map[string][]byte{}, map[string][]fs.DirEntry{}, map[string]bool{}
		return
	}
	if len(changed) > 0 {
		changed = slices.Clip(changed) // the caller's list stays as it was
		for link := range s.links {
			changed = append(changed, link)
		}
	}
	for _, name := range changed {
		name = path.Clean(name)
		delete(s.files, name)
		for dir := name; dir != "."; {
			dir = path.Dir(dir)
			delete(s.dirs, dir)
		}
		delete(s.dirs, name)
		prefix := name + "/"
		for k := range s.files {
			if strings.HasPrefix(k, prefix) {
				delete(s.files, k)
			}
		}
		for k := range s.dirs {
			if strings.HasPrefix(k, prefix) {
				delete(s.dirs, k)
			}
		}
	}
}

func containsRescan(changed []string) bool {
	for _, c := range changed {
		if c == "*" || c == "." || c == "" {
			return true
		}
	}
	return false
}

// cache is what a build keeps for the next one. A nil *cache keeps
// nothing: Build and Check use it so.
type cache struct {
	convs map[markdown.Config]*markdown.Converter
	docs  map[string]docEntry
	data  map[string]dataEntry
	sums  map[string]fileSum // pack digest: each file's hash
	utf8  map[string][]byte  // sources found valid UTF-8

	theme      *theme
	themeDiags diag.List
	themeSrc   map[string][]byte

	css     []byte
	cssConv *markdown.Converter

	// What references resolved against in the last build, and a number
	// that changes whenever that changes.
	linkDocs     []linkTarget
	linkEntities map[string]target
	linkAssets   map[string]string
	linkGen      int

	history map[string]*cache // each archived version's

	profile cachedProfile // the last build's, parsed

	terms []linkedTerm // the glossary as the last build linked it

	site  siteData // the last build's
	pages map[string]*pageEntry
}

// docEntry is a document as loading left it.
type docEntry struct {
	src    []byte
	conv   *markdown.Converter
	limits [5]int // the values of the limits it was loaded under
	doc    *Document
	ok     bool
	diags  diag.List
}

// dataEntry is a TOML file as decoding left it; merging copies it.
type dataEntry struct {
	src   []byte
	data  *Data
	diags diag.List
}

type fileSum struct {
	src []byte
	sum [sha256.Size]byte
}

// pageEntry is a page as the last build rendered it, with everything its
// template saw besides the site data and the theme.
type pageEntry struct {
	page     page
	docCount int
	content  string
	out      []byte
	sum      [sha256.Size]byte
}

// converter returns the Markdown converter for the settings, made once.
func (c *cache) converter(cfg markdown.Config) *markdown.Converter {
	if c == nil {
		return markdown.NewWith(cfg)
	}
	if c.convs == nil {
		c.convs = map[markdown.Config]*markdown.Converter{}
	}
	if c.convs[cfg] == nil {
		c.convs[cfg] = markdown.NewWith(cfg)
		c.convs[cfg].KeepHighlighted()
	}
	return c.convs[cfg]
}

// doc returns the document the last build loaded from the same source.
func (c *cache) doc(name string, src []byte, conv *markdown.Converter, limits Limits) (docEntry, bool) {
	if c == nil {
		return docEntry{}, false
	}
	e, ok := c.docs[name]
	if !ok || e.conv != conv || e.limits != limits.values() || !sameBytes(e.src, src) {
		return e, false
	}
	e.doc.restoreAST()
	return e, true
}

// linkedTerm is what of a term the glossary links in bodies show.
type linkedTerm struct {
	id, name, definition string
	aliases              []string
}

// termsChanged reports whether the glossary differs from the last build's:
// every body links its terms, so all are rendered again.
func (c *cache) termsChanged(terms []Term) bool {
	if c == nil {
		return false
	}
	now := make([]linkedTerm, len(terms))
	for i, t := range terms {
		now[i] = linkedTerm{t.ID, t.Name, t.Definition, t.Aliases}
	}
	changed := !reflect.DeepEqual(now, c.terms)
	c.terms = now
	return changed
}

// prune forgets the decoded data and hashes of files the pack no longer has.
func (c *cache) prune(files map[string][]byte) {
	if c == nil {
		return
	}
	for name := range c.data {
		if _, ok := files[name]; !ok {
			delete(c.data, name)
		}
	}
	for name := range c.sums {
		if _, ok := files[name]; !ok {
			delete(c.sums, name)
		}
	}
	for name := range c.utf8 {
		if _, ok := files[name]; !ok {
			delete(c.utf8, name)
		}
	}
}

// archived returns the cache of the version archived under history/name.
func (c *cache) archived(name string) *cache {
	if c == nil {
		return nil
	}
	if c.history == nil {
		c.history = map[string]*cache{}
	}
	if c.history[name] == nil {
		c.history[name] = &cache{}
	}
	return c.history[name]
}

// decodeData decodes a TOML file of governance data, again only when its
// source changed.
func (c *cache) decodeData(name string, src []byte, plain bool) (*Data, diag.List) {
	if c != nil {
		if e, ok := c.data[name]; ok && sameBytes(e.src, src) {
			return e.data, e.diags
		}
	}
	d := &Data{}
	diags := decodeTOML(plain)(name, src, d)
	if c != nil {
		if c.data == nil {
			c.data = map[string]dataEntry{}
		}
		c.data[name] = dataEntry{src, d, diags}
	}
	return d, diags
}

// cachedProfile is a parsed profile and what it was parsed from.
type cachedProfile struct {
	key   string // "builtin:NAME" or the file's path
	src   []byte
	prof  *profile.Profile
	diags diag.List
}

// builtinProfile returns the built-in profile name, parsed once.
func (c *cache) builtinProfile(name string) (*profile.Profile, bool) {
	if c != nil && c.profile.key == "builtin:"+name {
		return c.profile.prof, true
	}
	prof, ok := profile.Builtin(name)
	if ok && c != nil {
		c.profile = cachedProfile{key: "builtin:" + name, prof: prof}
	}
	return prof, ok
}

// parseProfile parses the profile file, again only when it changed.
func (c *cache) parseProfile(file string, src []byte) (*profile.Profile, diag.List) {
	if c != nil && c.profile.key == file && sameBytes(c.profile.src, src) {
		return c.profile.prof, c.profile.diags
	}
	prof, diags := profile.Parse(file, src)
	if c != nil {
		c.profile = cachedProfile{key: file, src: src, prof: prof, diags: diags}
	}
	return prof, diags
}

// sameBytes reports whether a and b hold the same bytes. A Builder reads
// an unchanged file into the same slice as before, which it recognises
// without comparing a megabyte: a rebuild compares every source.
func sameBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0] || bytes.Equal(a, b)
}

// validUTF8 reports whether src, the source name, is valid UTF-8, checking
// it again only when it changed.
func (c *cache) validUTF8(name string, src []byte) bool {
	if c != nil && c.utf8[name] != nil && sameBytes(c.utf8[name], src) {
		return true
	}
	if !utf8.Valid(src) {
		return false
	}
	if c != nil {
		if c.utf8 == nil {
			c.utf8 = map[string][]byte{}
		}
		c.utf8[name] = src
	}
	return true
}

// fileSum returns the SHA-256 of a source in its digest form.
func (c *cache) fileSum(name string, src []byte) [sha256.Size]byte {
	if c != nil {
		if e, ok := c.sums[name]; ok && sameBytes(e.src, src) {
			return e.sum
		}
	}
	sum := sourceSum(src)
	if c != nil {
		if c.sums == nil {
			c.sums = map[string]fileSum{}
		}
		c.sums[name] = fileSum{src, sum}
	}
	return sum
}

// loadTheme compiles the theme, again only when the pack's theme files changed.
func (c *cache) loadTheme(overrides map[string][]byte, plain bool) (*theme, diag.List) {
	if c == nil {
		return loadTheme(overrides, plain)
	}
	if c.theme == nil || !maps.EqualFunc(c.themeSrc, overrides, bytes.Equal) {
		c.theme, c.themeDiags = loadTheme(overrides, plain)
		c.themeSrc = overrides
		c.pages = nil // every page runs through the new templates
	}
	return c.theme, c.themeDiags
}

// chromaCSS returns the highlighting stylesheet.
func (c *cache) chromaCSS(conv *markdown.Converter) ([]byte, error) {
	if c != nil && c.cssConv == conv {
		return c.css, nil
	}
	var css bytes.Buffer
	if err := conv.CSS(&css); err != nil {
		return css.Bytes(), err
	}
	if c != nil {
		c.css, c.cssConv = css.Bytes(), conv
	}
	return css.Bytes(), nil
}

// startRender compares the site data with the last build's: when it
// changed, every page is rendered again. Any template may show any of it,
// the whole navigation included (the home page does).
func (c *cache) startRender(site *siteData) {
	if c == nil {
		return
	}
	if !reflect.DeepEqual(&c.site, site) {
		c.pages = nil
	}
	c.site = *site
}

// page returns the last build's rendering of a page when everything its
// template sees besides the site data and the theme is the same: its kind,
// page information, view and rendered Markdown, and what decides the
// navigation it shows (the site's, the page, its section and the site's
// size). Executing its template again would give the same bytes.
func (c *cache) page(e *pageEntry) (pageEntry, bool) {
	if c == nil {
		return pageEntry{}, false
	}
	old, ok := c.pages[e.page.info.URL]
	if !ok || old.docCount != e.docCount || old.content != e.content {
		return pageEntry{}, false
	}
	a, b := &old.page, &e.page
	if a.kind != b.kind || a.section != b.section || (a.doc == nil) != (b.doc == nil) {
		return pageEntry{}, false
	}
	x, y := &a.info, &b.info
	same := x.Kind == y.Kind && x.Title == y.Title && x.Description == y.Description && x.URL == y.URL &&
		x.Root == y.Root && x.Section == y.Section && x.SectionURL == y.SectionURL &&
		x.NavHTML == y.NavHTML && len(x.Nav) == 0 && len(y.Nav) == 0 &&
		slices.Equal(x.Backlinks, y.Backlinks) && sameLink(x.Prev, y.Prev) && sameLink(x.Next, y.Next) &&
		slices.EqualFunc(x.TOC, y.TOC, func(g, h Heading) bool {
			return g.Level == h.Level && g.ID == h.ID && g.Text == h.Text && g.Pos == h.Pos
		})
	// The view, followed through its pointers: the entities, backlinks
	// and profile it shows.
	return *old, same && reflect.DeepEqual(a.data, b.data)
}

func sameLink(a, b *Link) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// linkTarget is what references to a document can resolve to.
type linkTarget struct {
	path, url, title string
	headings         []Heading // their ids and texts
}

// linkGeneration returns a number that is the same as the last build's
// when every reference resolves as it did then: the documents, their
// titles and headings, the entities and the files are the same. It
// returns 0 when there is no cache.
func (c *cache) linkGeneration(p *Pack, l *Links) int {
	if c == nil {
		return 0
	}
	docs := make([]linkTarget, len(p.Docs))
	for i, d := range p.Docs {
		docs[i] = linkTarget{d.Path, d.URL, d.Title, d.Headings}
	}
	same := len(docs) == len(c.linkDocs) && maps.Equal(c.linkEntities, l.entities) && maps.Equal(c.linkAssets, l.assets)
	for i := 0; same && i < len(docs); i++ {
		a, b := docs[i], c.linkDocs[i]
		same = a.path == b.path && a.url == b.url && a.title == b.title && len(a.headings) == len(b.headings)
		for j := 0; same && j < len(a.headings); j++ {
			same = a.headings[j].ID == b.headings[j].ID && a.headings[j].Text == b.headings[j].Text
		}
	}
	if !same || c.linkGen == 0 {
		c.linkGen++
	}
	c.linkDocs, c.linkEntities, c.linkAssets = docs, l.entities, l.assets
	return c.linkGen
}
