package generator

import (
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"govpack/generator/decode"
	"govpack/generator/diag"
	"govpack/generator/markdown"
)

// SettingsFile is the file that marks a pack's root.
const SettingsFile = "govpack.toml"

// loadOptions says what to leave out of the sources besides the fixed
// exclusions (dot-files, public/).
type loadOptions struct {
	skipDir string // the output directory when it lies inside the pack, slash path
	plain   bool   // see Options.Plain
}

// load reads a pack from fsys. It never stops at the first problem: every
// file is read and every problem reported, so one run shows them all.
//
// The settings decide how Markdown is parsed, so load also returns the
// converter it made from them.
func load(fsys fs.FS, opts loadOptions, cache *cache) (*Pack, *markdown.Converter, diag.List) {
	ld := loader{fsys: fsys, opts: opts, cache: cache}
	p := &Pack{files: map[string][]byte{}, Theme: map[string][]byte{}}
	conv, profileFile, ok := ld.settings(p)
	if !ok {
		return p, conv, ld.diags
	}
	docPaths, dataPaths := walkPack(fsys, p, opts, profileFile, &ld.diags)
	ld.data(p, dataPaths)
	ld.documents(p, docPaths, conv)
	return p, conv, ld.diags
}

// loader reads one pack: its settings, its data and its documents.
type loader struct {
	fsys  fs.FS
	opts  loadOptions
	cache *cache
	diags diag.List
}

// settings reads govpack.toml (over the base's, in a workspace) and
// returns the converter its settings choose and the profile file it names,
// or false when there is none: then the directory is no pack.
func (ld *loader) settings(p *Pack) (conv *markdown.Converter, profileFile string, ok bool) {
	settingsSrc, ok := readSource(ld.fsys, SettingsFile, p, &ld.diags, ld.cache)
	if !ok {
		if len(ld.diags) == 0 {
			ld.diags.Errorf(diag.Pos{File: SettingsFile}, diag.RulePackNoSettings, "not a govpack pack: %s is missing", SettingsFile)
		}
		return markdown.NewWith(markdown.Config{Plain: ld.opts.plain}), "", false
	}
	ld.diags = append(ld.diags, decodeTOML(ld.opts.plain)(SettingsFile, settingsSrc, &p.Settings)...)
	if overlay, inheriting := overlayOf(ld.fsys); inheriting {
		inheritSettings(overlay, p, &ld.diags)
	}
	p.Settings.Limits.resolve(&ld.diags)
	conv = ld.cache.converter(markdown.Config{UnsafeHTML: p.Settings.UnsafeHTML, Plain: ld.opts.plain})
	if p.Settings.Profile == "" {
		p.Settings.Profile = "alliance"
	}
	if p.Settings.Language == "" {
		p.Settings.Language = "en"
	}
	if strings.HasSuffix(p.Settings.Profile, ".toml") {
		profileFile = path.Clean(p.Settings.Profile)
	}
	return conv, profileFile, true
}

// data reads and merges the governance data files, under a base pack's
// in a workspace, and checks the entities' ids.
func (ld *loader) data(p *Pack, dataPaths []string) {
	overlay, inheriting := overlayOf(ld.fsys)
	var inherited Data // a base pack's entities, which the pack's own override
	for _, name := range dataPaths {
		src, ok := readSource(ld.fsys, name, p, &ld.diags, ld.cache)
		if !ok {
			p.incomplete = true
			continue
		}
		d, fileDiags := ld.cache.decodeData(name, src, ld.opts.plain)
		ld.diags = append(ld.diags, fileDiags...)
		if fileDiags.HasErrors() {
			p.incomplete = true
		}
		checkRatificationPlacement(name, d, &ld.diags)
		if inheriting && overlay.Inherited(name) {
			inherited.merge(d, &ld.diags)
		} else {
			p.Data.merge(d, &ld.diags)
		}
	}
	if inheriting {
		p.Data.inherit(&inherited)
	}
	p.Data.setDefaults()
	if checkIDs(&p.Data, &ld.diags) || !checkVersion(&p.Settings, &ld.diags) {
		p.incomplete = true
	}
	checkDuplicateIDs(&p.Data, &ld.diags)
}

// documents reads and parses the documents into p.Docs, in path order.
func (ld *loader) documents(p *Pack, docPaths []string, conv *markdown.Converter) {
	fsys, cache, limits := ld.fsys, ld.cache, p.Settings.Limits
	// Parsing dominates loading: spread it over the cores, keeping results
	// in path order so output never depends on scheduling.
	// A single build reads the documents in parallel too; a Builder's
	// reader keeps what it read for the next build, one at a time.
	srcs := make([][]byte, len(docPaths))
	if cache != nil {
		for i, name := range docPaths {
			srcs[i], _ = readSourceData(fsys, name, &ld.diags, cache)
		}
	}
	docs := make([]*Document, len(docPaths))
	docOK := make([]bool, len(docPaths))
	docDiags := make([]diag.List, len(docPaths))
	parallel(len(docPaths), func(i int) {
		if cache == nil {
			srcs[i], _ = readSourceData(fsys, docPaths[i], &docDiags[i], nil)
		}
		if srcs[i] == nil {
			return
		}
		if e, ok := cache.doc(docPaths[i], srcs[i], conv, limits); ok {
			docs[i], docOK[i], docDiags[i] = e.doc, e.ok, e.diags
			return
		}
		docs[i], docOK[i] = loadDocument(docPaths[i], srcs[i], conv, limits, cache == nil, &docDiags[i])
		if cache == nil && docs[i] != nil {
			docs[i].releaseAST()
		}
	})
	if cache != nil {
		cache.docs = make(map[string]docEntry, len(docPaths))
		for i, name := range docPaths {
			if srcs[i] != nil {
				cache.docs[name] = docEntry{src: srcs[i], conv: conv, limits: limits.values(), doc: docs[i], ok: docOK[i], diags: docDiags[i]}
			}
		}
	}
	// With room for the documents: growing the map was a tenth of the
	// loading a rebuild does.
	files := make(map[string][]byte, len(p.files)+len(docPaths))
	maps.Copy(files, p.files)
	p.files = files
	for i, name := range docPaths {
		ld.diags = append(ld.diags, docDiags[i]...)
		if srcs[i] == nil || !docOK[i] {
			p.incomplete = true
		}
		if srcs[i] != nil {
			p.files[name] = srcs[i]
		}
		if docs[i] != nil {
			p.Docs = append(p.Docs, docs[i])
		}
	}
	sort.Slice(p.Docs, func(i, j int) bool { return p.Docs[i].Path < p.Docs[j].Path })
	reportDuplicates("document", mapSlice(p.Docs, func(d **Document) idAt {
		if (*d).Front.ID != "" {
			return idAt{(*d).ID, (*d).Front.At("id")}
		}
		return idAt{(*d).ID, diag.Pos{File: (*d).Path, Line: 1, Col: 1}}
	}), &ld.diags)
}

// walkPack finds the sources of the pack in fsys: it returns the
// documents and the data files, to be read next, and records in p the
// archived versions, static files, theme files (read here) and assets.
// Links that stay in the pack are walked as what they lead to.
func walkPack(fsys fs.FS, p *Pack, opts loadOptions, profileFile string, diags *diag.List) (docPaths, dataPaths []string) {
	links := &packLinks{fsys: fsys, hidden: func(resolved string) bool { return notSource(resolved, opts.skipDir) }}
	var visit fs.WalkDirFunc
	visit = func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			diags.Errorf(diag.Pos{File: name}, diag.RuleIORead, "%v", unwrapPath(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if name == "." {
			return nil
		}
		base := path.Base(name)
		if strings.HasPrefix(base, ".") || name == "public" || name == opts.skipDir {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !checkSourcePath(name, d.IsDir(), diags) {
			p.incomplete = true
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		top, rest, _ := strings.Cut(name, "/")
		_, inVersion, _ := strings.Cut(rest, "/")
		// A link is followed where it stays in the pack; its readers report
		// the settings and the profile file, the walk every other link.
		if d.Type()&fs.ModeSymlink != 0 && name != SettingsFile && name != profileFile {
			target, resolved, ok := links.follow(name, diags)
			switch {
			case !ok || top == HistoryDir && inVersion != "":
				return nil // an archived version's own load reads it
			case target.IsDir():
				if !links.enter(name, resolved, diags) {
					return nil
				}
				defer links.leave()
				return fs.WalkDir(fsys, name, visit) // as if it were here
			}
			d = target
		}
		// history/VERSION/ holds earlier versions of the pack, for redlines;
		// their links are reported here too, where they leave the pack.
		if top == HistoryDir && rest != "" {
			if d.IsDir() && inVersion == "" {
				p.History = append(p.History, rest)
			}
			if inVersion != "" || d.IsDir() {
				return nil
			}
		}
		switch {
		case d.IsDir():
			return nil
		case top == "static" && rest != "":
			p.Static = append(p.Static, rest)
		case top == "theme" && rest != "":
			if src, ok := readFile(fsys, name, diags); ok {
				p.Theme[rest] = src
			}
		case name == SettingsFile || name == profileFile:
		case strings.HasSuffix(name, ".md"):
			docPaths = append(docPaths, name)
		case strings.HasSuffix(name, ".toml"):
			dataPaths = append(dataPaths, name)
		case d.Type().IsRegular():
			p.Assets = append(p.Assets, name) // images and files beside documents
		}
		return nil
	}
	if err := fs.WalkDir(fsys, ".", visit); err != nil {
		diags.Errorf(diag.Pos{File: "."}, diag.RuleIORead, "%v", err)
	}
	return docPaths, dataPaths
}

// readFile reads a file, reporting failure as a diagnostic.
func readFile(fsys fs.FS, name string, diags *diag.List) ([]byte, bool) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && name == SettingsFile {
			return nil, false
		}
		var leaves *leavesPack
		if errors.As(err, &leaves) {
			diags.Errorf(diag.Pos{File: name}, diag.RuleIORead, "%v", leaves)
		} else {
			diags.Errorf(diag.Pos{File: name}, diag.RuleIORead, "cannot read: %v", unwrapPath(err))
		}
		return nil, false
	}
	return src, true
}

// readSource reads a text source: it must be UTF-8; a leading byte order
// mark is dropped.
func readSource(fsys fs.FS, name string, p *Pack, diags *diag.List, cache *cache) ([]byte, bool) {
	src, ok := readSourceData(fsys, name, diags, cache)
	if ok {
		p.files[name] = src
	}
	return src, ok
}

// readSourceData is readSource without recording the file in the pack,
// for reading in parallel.
func readSourceData(fsys fs.FS, name string, diags *diag.List, cache *cache) ([]byte, bool) {
	src, ok := readFile(fsys, name, diags)
	if !ok {
		return nil, false
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	if !cache.validUTF8(name, src) {
		off := 0
		for off < len(src) {
			r, size := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		diags.Errorf(diag.NewLineIndex(name, src).Pos(off), diag.RuleSourceUTF8, "file is not valid UTF-8 (byte 0x%02x)", src[off])
		return nil, false
	}
	return src, true
}

// unwrapPath drops the operation and path of an fs.PathError: diagnostics
// already name the file.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// merge appends the entities of one file.
func (d *Data) merge(o *Data, diags *diag.List) {
	d.Members = append(d.Members, o.Members...)
	d.Bodies = append(d.Bodies, o.Bodies...)
	d.Roles = append(d.Roles, o.Roles...)
	d.Rights = append(d.Rights, o.Rights...)
	d.Responsibilities = append(d.Responsibilities, o.Responsibilities...)
	d.Decisions = append(d.Decisions, o.Decisions...)
	d.Nodes = append(d.Nodes, o.Nodes...)
	d.DataClasses = append(d.DataClasses, o.DataClasses...)
	d.Terms = append(d.Terms, o.Terms...)
	d.Amendments = append(d.Amendments, o.Amendments...)
	d.Ratifications = append(d.Ratifications, o.Ratifications...)
	d.Waivers = append(d.Waivers, o.Waivers...)
	if o.Consensus != nil {
		if d.Consensus != nil {
			diags.Errorf(o.Consensus.Pos, diag.RuleTOMLDuplicateID, "[consensus] is defined twice (first at %s)", d.Consensus.Pos)
		} else {
			d.Consensus = o.Consensus
		}
	}
	for _, r := range o.Rights {
		if r.Item != "" {
			diags.Errorf(r.At("item"), diag.RuleTOMLUnknownKey, "unknown key %q in [[right]]; only a [[responsibility]] serves a profile item", "item")
		}
	}
}

// setDefaults fills the values the formats leave implicit.
func (d *Data) setDefaults() {
	for i := range d.Terms {
		if d.Terms[i].ID == "" {
			d.Terms[i].ID = markdown.Slug(d.Terms[i].Name)
		}
	}
	for i := range d.Decisions {
		if d.Decisions[i].Basis == "" {
			d.Decisions[i].Basis = "cast"
		}
	}
}

// checkDuplicateIDs reports ids used twice within a kind.
func checkDuplicateIDs(d *Data, diags *diag.List) {
	for _, k := range dataIDs(d) {
		reportDuplicates(k.kind, k.ids, diags)
	}
	reportDuplicates("amendment version", mapSlice(d.Amendments, func(x *Amendment) idAt { return idAt{x.Version, x.At("version")} }), diags)
}

// idAt is an id and where it is written.
type idAt struct {
	id  string
	pos diag.Pos
}

func mapSlice[T, U any](xs []T, f func(*T) U) []U {
	out := make([]U, len(xs))
	for i := range xs {
		out[i] = f(&xs[i])
	}
	return out
}

// reportDuplicates reports each id of kind after its first use.
func reportDuplicates(kind string, ids []idAt, diags *diag.List) {
	first := map[string]diag.Pos{}
	for _, e := range ids {
		if e.id == "" {
			continue
		}
		if p, dup := first[e.id]; dup {
			diags.Errorf(e.pos, diag.RuleTOMLDuplicateID, "duplicate %s id %q (first defined at %s)", kind, e.id, p)
			continue
		}
		first[e.id] = e.pos
	}
}

// frontMatterFence opens and closes a document's TOML front matter.
const frontMatterFence = "+++"

// loadDocument splits front matter from Markdown and parses both, when
// the document keeps to limits.
// It returns nil for a draft, and false when the document cannot be loaded.
// With outlineOnly the tree holds only what loading records (headings and
// links; see markdown.Converter.Outline): it is let go after loading, and
// tree parses it in full when a page needs it.
func loadDocument(name string, src []byte, conv *markdown.Converter, limits Limits, outlineOnly bool, diags *diag.List) (*Document, bool) {
	doc := &Document{Path: name, lines: diag.NewLineIndex(name, src)}
	body, offset, fm, ok := splitFrontMatter(src)
	// Before anything parses it: past a limit, parsing could take minutes.
	if !checkLimits(doc.lines, src, body, offset, limits, diags) {
		return nil, false
	}
	if !ok {
		diags.Errorf(diag.Pos{File: name, Line: 1, Col: 1}, diag.RuleDocFrontMatter, "front matter opened with %q is never closed", frontMatterFence)
		return nil, false
	}
	if fm != nil {
		fmDiags := decodeTOML(conv.Plain())(name, fm, &doc.Front)
		if len(fmDiags) > 0 {
			*diags = append(*diags, fmDiags...)
			if fmDiags.HasErrors() {
				return nil, false
			}
		}
	}
	if doc.Front.Draft {
		return nil, true
	}
	// CommonMark's U+FFFD for U+0000, before parsing, so that no NUL
	// reaches a page; positions are told in the file as it is.
	doc.Source, doc.nuls = markdown.ReplaceNUL(body)
	doc.Offset = offset
	doc.ID = strings.TrimSuffix(name, ".md")
	if doc.Front.ID != "" {
		doc.ID = doc.Front.ID
	}
	if top, _, found := strings.Cut(name, "/"); found {
		doc.Section = top
	}
	doc.URL = strings.TrimSuffix(name, ".md") + ".html"
	doc.conv = conv
	var o markdown.Outline
	if outlineOnly {
		o = conv.Outline(doc.Source)
	} else {
		doc.AST = conv.Parse(doc.Source)
		o = markdown.OutlineOf(doc.AST, doc.Source)
	}
	reportDropped(doc, o.Dropped, diags)
	doc.Title = doc.Front.Title
	collectOutline(doc, o)
	if doc.Title == "" {
		doc.Title = titleFromPath(name)
	}
	doc.outline(o)
	if doc.AST != nil {
		doc.attachTree()
	}
	return doc, true
}

// decodeTOML is decode.Decode, or its plain form for a plain build.
func decodeTOML(plain bool) func(file string, src []byte, v any) diag.List {
	if plain {
		return decode.DecodePlain
	}
	return decode.Decode
}

// splitFrontMatter returns the Markdown body of src, its offset, and the
// front matter prepared for decoding: the opening fence is turned into a
// TOML comment so that lines and columns in diagnostics match the file.
func splitFrontMatter(src []byte) (body []byte, offset int, fm []byte, ok bool) {
	if !bytes.HasPrefix(src, []byte(frontMatterFence)) {
		return src, 0, nil, true
	}
	firstEnd := bytes.IndexByte(src, '\n')
	if firstEnd < 0 || strings.TrimSpace(string(src[:firstEnd])) != frontMatterFence {
		return src, 0, nil, true // "+++foo" is Markdown text, not a fence
	}
	for i := firstEnd + 1; i < len(src); {
		end := bytes.IndexByte(src[i:], '\n')
		lineEnd := len(src)
		if end >= 0 {
			lineEnd = i + end
		}
		if strings.TrimRight(string(src[i:lineEnd]), " \t\r") == frontMatterFence {
			fm = append([]byte("#++"), src[len(frontMatterFence):i]...)
			next := lineEnd
			if next < len(src) {
				next++
			}
			return src[next:], next, fm, true
		}
		i = lineEnd + 1
	}
	return nil, 0, nil, false
}

// titleFromPath turns "charter/decision-making.md" into "Decision making".
func titleFromPath(name string) string {
	base := strings.TrimSuffix(path.Base(name), ".md")
	if base == "index" {
		if dir := path.Dir(name); dir != "." {
			base = path.Base(dir)
		}
	}
	s := strings.NewReplacer("-", " ", "_", " ").Replace(base)
	if s == "" {
		return name
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// collectOutline records the document's headings, nested ones included
// (they are anchors too), and its links and images in reading order, each
// with the heading it follows. A leading level-1 heading becomes the title
// when the front matter gives none, and leaves the outline.
func collectOutline(doc *Document, o markdown.Outline) {
	headings, first := o.Headings, 0
	if o.Opening > 0 && headings[0].Level == 1 && doc.Title == "" {
		doc.Title, doc.titleFromH1 = headings[0].Text, true
		first = 1
	}
	doc.Headings = make([]Heading, len(headings)-first)
	for i, h := range headings[first:] {
		doc.Headings[i] = Heading{Level: h.Level, ID: h.ID, Text: h.Text, Pos: doc.pos(h.Pos)}
	}
	doc.refs = make([]docRef, len(o.Links))
	for i, l := range o.Links {
		doc.refs[i] = docRef{at: l.Pos, dest: l.Dest, heading: l.Heading - first, emptyText: l.EmptyText}
	}
}

// checkRatificationPlacement keeps ratifications, and only them, in
// ratifications.toml: the pack digest leaves that file out, so it must not
// hold governance, and ratifications elsewhere would change the digest
// they sign.
func checkRatificationPlacement(name string, d *Data, diags *diag.List) {
	if path.Base(name) != RatificationsFile {
		for _, r := range d.Ratifications {
			diags.Errorf(r.Pos, diag.RuleTOMLUnknownKey, "[[ratification]] belongs in %s, which the pack digest leaves out; here it would change the digest it signs", RatificationsFile)
		}
		return
	}
	if n := len(d.Members) + len(d.Bodies) + len(d.Roles) + len(d.Rights) + len(d.Responsibilities) + len(d.Decisions) + len(d.Nodes) + len(d.DataClasses) + len(d.Terms) + len(d.Amendments) + len(d.Waivers); n > 0 || d.Consensus != nil {
		diags.Errorf(diag.Pos{File: name, Line: 1, Col: 1}, diag.RuleTOMLUnknownKey, "%s may hold only [[ratification]] entries: the pack digest leaves it out", RatificationsFile)
	}
}
