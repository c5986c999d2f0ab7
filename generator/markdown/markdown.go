// Package markdown sets up goldmark for govpack documents: CommonMark with
// GitHub tables, task lists, strikethrough, footnotes and definition lists;
// stable heading ids that keep clause numbers; chroma highlighting with CSS
// classes; raw HTML escaped unless the pack allows it.
//
// A document is parsed once (Parse), its code blocks highlighted
// (Highlight), its links rewritten by the caller, then rendered (Render).
package markdown

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Converter parses and renders Markdown. It is safe for concurrent use.
type Converter struct {
	unsafe    bool // raw HTML and any heading attribute pass
	plain     bool // the libraries only, no fast path beside them (see Config)
	md        goldmark.Markdown
	outliner  parser.Parser // md's parser, skimming link-free paragraphs (see Outline)
	formatter *chromahtml.Formatter

	// highlighted keeps the HTML of code blocks already highlighted, by
	// language and code, when the converter is used for build after build
	// (see KeepHighlighted): govpack serve highlights only the blocks a
	// save changed. Chroma is most of the cost of converting a document
	// with code. A single build keeps nothing: its blocks would be a fifth
	// of a large pack's memory, for the rare block written twice.
	mu          sync.Mutex
	keep        bool
	highlighted map[string][]byte
	store       *HighlightStore // when set, instead of highlighted

	lexerMu sync.Mutex
	lexers  map[string]chroma.Lexer // by language name, filtered when chroma's allows

	scratch sync.Pool // of *bytes.Buffer, to highlight in
	arenas  sync.Pool // of *bytes.Buffer, holding the HTML of HighlightBriefly's blocks
}

// lexer returns the lexer for lang, nil for an unknown language. A
// RegexLexer is replaced by a filteredLexer over its rules, compiled once
// per converter; any other lexer, or one whose rules do not compile the
// way chroma compiles them, is chroma's own.
func (c *Converter) lexer(lang string) chroma.Lexer {
	c.lexerMu.Lock()
	defer c.lexerMu.Unlock()
	if l, ok := c.lexers[lang]; ok {
		return l
	}
	var l chroma.Lexer
	if found := lexers.Get(lang); found != nil {
		l = found
		if fl, err := c.filtered(found); err == nil && fl != nil {
			l = fl
		}
		l = chroma.Coalesce(l)
	}
	if c.lexers == nil {
		c.lexers = map[string]chroma.Lexer{}
	}
	c.lexers[lang] = l
	return l
}

// Plain reports whether the converter was made with Config.Plain.
func (c *Converter) Plain() bool { return c.plain }

// filtered is newFilteredLexer, or nothing for a plain converter, which
// lexes with chroma's own loop.
func (c *Converter) filtered(found chroma.Lexer) (*filteredLexer, error) {
	if c.plain {
		return nil, nil
	}
	return newFilteredLexer(found)
}

// KeepHighlighted makes the converter keep the code it highlights for the
// builds after this one, when it has no store.
func (c *Converter) KeepHighlighted() {
	c.mu.Lock()
	c.keep = true
	c.mu.Unlock()
}

// UseHighlightStore makes the converter take highlighted code from store
// and record what it highlights there.
func (c *Converter) UseHighlightStore(store *HighlightStore) {
	c.mu.Lock()
	c.store = store
	c.mu.Unlock()
}

// maxHighlighted bounds the highlighting cache; past it, it starts over.
const maxHighlighted = 1 << 16

// Config says how a Converter converts.
type Config struct {
	// UnsafeHTML passes raw HTML through instead of escaping it.
	UnsafeHTML bool
	// Plain leaves every step to goldmark and chroma, as they come:
	// chroma's lexing loop and HTML formatter, goldmark's parser for
	// outlines and its own buffered writer. The HTML is the same byte for
	// byte, only slower: the fast paths are checked against it.
	Plain bool
}

// New returns a Converter; unsafeHTML passes raw HTML through instead of
// escaping it.
func New(unsafeHTML bool) *Converter {
	return NewWith(Config{UnsafeHTML: unsafeHTML})
}

// NewWith returns a Converter configured by cfg.
func NewWith(cfg Config) *Converter {
	unsafeHTML := cfg.UnsafeHTML
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{unsafe: unsafeHTML}, 100)),
	}
	if unsafeHTML {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	extensions := goldmark.WithExtensions(
		extension.Table,
		extension.Strikethrough,
		extension.TaskList,
		extension.Footnote,
		extension.DefinitionList,
	)
	md := goldmark.New(
		extensions,
		goldmark.WithParserOptions(parser.WithHeadingAttribute()),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	outliner := goldmark.New(
		extensions,
		goldmark.WithParserOptions(
			parser.WithHeadingAttribute(),
			parser.WithParagraphTransformers(util.Prioritized(skimmer{}, skimPriority)),
		),
	).Parser()
	c := &Converter{
		unsafe:    unsafeHTML,
		plain:     cfg.Plain,
		md:        md,
		outliner:  outliner,
		formatter: chromahtml.New(chromahtml.WithClasses(true)),
	}
	c.scratch.New = func() any { return new(bytes.Buffer) }
	c.arenas.New = func() any { return new(bytes.Buffer) }
	return c
}

// Parse parses src and gives every heading an id: an explicit {#id} is kept,
// a heading that starts with a clause number ("7.2 Quorum", "Article 7")
// gets the number, any other the slug of its text. Ids are unique within
// the document; explicit ids win over generated ones. Unless the pack
// allows raw HTML, a heading keeps no attribute but its id; no heading
// keeps an id the theme uses (see filterAttributes, OutlineOf).
func (c *Converter) Parse(src []byte) ast.Node {
	return c.identifyHeadings(c.md.Parser().Parse(text.NewReader(src)), src)
}

// outlineTree parses src as Parse does, but leaves the text of paragraphs
// that hold no link unparsed: their inline content is neither a heading
// nor a link, and parsing it is most of what a parse costs. The tree has
// Parse's headings (with their ids) and links, and nothing else worth
// rendering.
func (c *Converter) outlineTree(src []byte) ast.Node {
	return c.identifyHeadings(c.outliner.Parse(text.NewReader(src)), src)
}

// identifyHeadings gives every heading of doc its id and the attributes
// it may keep (see Parse); what it drops, it records in doc's metadata.
func (c *Converter) identifyHeadings(doc ast.Node, src []byte) ast.Node {
	ids := newHeadingIDs(0)
	var auto []*ast.Heading
	var dropped []DroppedAttribute
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		h, ok := n.(*ast.Heading)
		if !ok {
			if c := n.FirstChild(); c != nil && c.Type() == ast.TypeInline {
				return ast.WalkSkipChildren, nil // text: no heading in it
			}
			return ast.WalkContinue, nil
		}
		dropped = filterAttributes(h, src, c.unsafe, dropped)
		if id, ok := HeadingID(h); ok {
			ids.used[id] = true
		} else {
			auto = append(auto, h)
		}
		return ast.WalkSkipChildren, nil
	})
	for _, h := range auto {
		h.SetAttributeString("id", []byte(ids.generate(PlainText(h, src))))
	}
	if d, ok := doc.(*ast.Document); ok && dropped != nil {
		d.AddMeta(droppedKey, dropped)
	}
	return doc
}

// HeadingID returns the id of a heading, if it has one.
func HeadingID(h *ast.Heading) (string, bool) {
	v, ok := h.AttributeString("id")
	if !ok {
		return "", false
	}
	switch v := v.(type) {
	case []byte:
		return string(v), len(v) > 0
	case string:
		return v, v != ""
	}
	return "", false
}

// Render writes the HTML of doc, parsed from src.
func (c *Converter) Render(w io.Writer, src []byte, doc ast.Node) error {
	if c.plain {
		return c.md.Renderer().Render(w, src, doc)
	}
	switch b := w.(type) {
	case *bytes.Buffer:
		w = bufferWriter{b}
	case *strings.Builder:
		w = builderWriter{b}
	}
	return c.md.Renderer().Render(w, src, doc)
}

// bufferWriter and builderWriter let goldmark write into a buffer
// directly: any other writer it wraps in a bufio.Writer of its own, 4 KB
// for every document and a copy of every body.
type bufferWriter struct{ *bytes.Buffer }

func (bufferWriter) Buffered() int    { return 0 }
func (bufferWriter) Flush() error     { return nil }
func (w bufferWriter) Available() int { return w.Buffer.Available() }

type builderWriter struct{ *strings.Builder }

func (builderWriter) Buffered() int    { return 0 }
func (builderWriter) Flush() error     { return nil }
func (w builderWriter) Available() int { return w.Cap() - w.Len() }

// Highlight replaces every fenced code block of doc with its highlighted
// HTML. It returns the blocks it could not highlight, which are left to
// render as plain <pre> blocks.
func (c *Converter) Highlight(doc ast.Node, src []byte) []error {
	return c.highlight(doc, src, nil)
}

// HighlightBriefly is Highlight for a tree that is rendered, and let go,
// before release is called. The blocks' HTML is then written into an
// array that the next tree's blocks use again, rather than copied into
// arrays of their own: a tenth of what a large build allocated.
func (c *Converter) HighlightBriefly(doc ast.Node, src []byte) (errs []error, release func()) {
	arena := c.arenas.Get().(*bytes.Buffer)
	arena.Reset()
	return c.highlight(doc, src, arena), func() { c.arenas.Put(arena) }
}

// highlight is Highlight, writing the HTML of blocks nothing remembers
// into arena when it is not nil.
func (c *Converter) highlight(doc ast.Node, src []byte, arena *bytes.Buffer) []error {
	if c.remembers() || c.plain {
		arena = nil // the store or the converter keeps the HTML, or each block its own
	}
	type span struct {
		hl         *Highlighted
		start, end int
	}
	var spans []span // of arena
	var blocks []*ast.FencedCodeBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if b, ok := n.(*ast.FencedCodeBlock); ok && entering {
			blocks = append(blocks, b)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	var errs []error
	buf := c.scratch.Get().(*bytes.Buffer)
	defer c.scratch.Put(buf)
	for _, b := range blocks {
		lang := string(b.Language(src))
		if lang == "" {
			continue
		}
		lexer := c.lexer(lang)
		if lexer == nil {
			continue // an unknown language renders as plain text, as on code hosts
		}
		lines := b.Lines()
		size := 0
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			size += seg.Len()
		}
		var code strings.Builder
		code.Grow(size)
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			code.Write(seg.Value(src))
		}
		text := code.String()
		hl := &Highlighted{Lang: lang}
		html, ok := c.highlightedBefore(lang, text)
		if !ok {
			it, err := lexer.Tokenise(nil, text)
			if err != nil {
				errs = append(errs, &HighlightError{Pos: b.Pos(), Lang: lang, Err: err})
				continue
			}
			if arena != nil {
				start := arena.Len()
				writeCode(arena, it)
				spans = append(spans, span{hl, start, arena.Len()})
			} else {
				buf.Reset()
				if err := c.writeCode(buf, it); err != nil {
					errs = append(errs, &HighlightError{Pos: b.Pos(), Lang: lang, Err: err})
					continue
				}
				html = bytes.Clone(buf.Bytes())
				c.remember(lang, text, html)
			}
		}
		hl.HTML = html
		hl.SetPos(b.Pos())
		hl.SetLines(lines) // the code as written, for whoever reads the text
		b.Parent().ReplaceChild(b.Parent(), b, hl)
	}
	for _, s := range spans { // arena has stopped growing
		s.hl.HTML = arena.Bytes()[s.start:s.end:s.end]
	}
	return errs
}

// writeCode writes the HTML of the tokens of it: chroma's formatter's,
// by chroma's formatter itself when the converter is plain.
func (c *Converter) writeCode(buf *bytes.Buffer, it chroma.Iterator) error {
	if c.plain {
		return c.formatter.Format(buf, styles.Fallback, it)
	}
	writeCode(buf, it)
	return nil
}

// remembers reports whether the HTML of highlighted blocks is kept, by
// the store or the converter.
func (c *Converter) remembers() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.store != nil || c.keep
}

// highlightedBefore returns the HTML of code in lang as highlighted
// before: by the store when the converter has one, else by this converter.
func (c *Converter) highlightedBefore(lang, code string) ([]byte, bool) {
	c.mu.Lock()
	store := c.store
	c.mu.Unlock()
	if store != nil {
		return store.get(lang, code) // which locks for itself
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	html, ok := c.highlighted[lang+"\x00"+code]
	return html, ok
}

// remember keeps the HTML of code in lang where highlightedBefore looks.
func (c *Converter) remember(lang, code string, html []byte) {
	c.mu.Lock()
	store := c.store
	c.mu.Unlock()
	if store != nil {
		store.put(lang, code, html)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.keep {
		return
	}
	if c.highlighted == nil || len(c.highlighted) >= maxHighlighted {
		c.highlighted = map[string][]byte{}
	}
	c.highlighted[lang+"\x00"+code] = html
}

// HighlightError reports a code block chroma could not highlight.
type HighlightError struct {
	Pos  int // byte offset of the block in the source
	Lang string
	Err  error
}

func (e *HighlightError) Error() string {
	return fmt.Sprintf("cannot highlight %s code block: %v", e.Lang, e.Err)
}

// KindHighlighted is the node kind of a highlighted code block.
var KindHighlighted = ast.NewNodeKind("Highlighted")

// Highlighted is a fenced code block already turned into HTML. Its lines
// are the code block's, so its text reads the same as before highlighting.
type Highlighted struct {
	ast.BaseBlock
	HTML []byte
	Lang string
}

// Kind implements ast.Node.
func (n *Highlighted) Kind() ast.NodeKind { return KindHighlighted }

// Dump implements ast.Node.
func (n *Highlighted) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Lang": n.Lang}, nil)
}

// IsRaw implements ast.Node: the block has no inline children.
func (n *Highlighted) IsRaw() bool { return true }

// CSS writes the highlighting stylesheet: the light style, or the dark one
// when the reader chose dark (data-theme on <html>) or, having chosen
// nothing, the system asks for dark. Each applies whole, never one over
// the other: a token the dark style leaves alone must not keep its light
// colour on a dark background.
func (c *Converter) CSS(w io.Writer) error {
	var light, dark bytes.Buffer
	if err := c.formatter.WriteCSS(&light, styles.Get("github")); err != nil {
		return err
	}
	if err := c.formatter.WriteCSS(&dark, styles.Get("github-dark")); err != nil {
		return err
	}
	for _, block := range []struct {
		comment, media, scope string
		css                   []byte
	}{
		{"light, when the reader chose it", "", ":root[data-theme=light]", light.Bytes()},
		{"dark, when the reader chose it, on screen (paper gets no colours then)", "screen", ":root[data-theme=dark]", dark.Bytes()},
		{"light, when the reader chose nothing and the system is light, and on paper", "print, (prefers-color-scheme: light)", ":root:not([data-theme])", light.Bytes()},
		{"dark, when the reader chose nothing and the system asks for it", "screen and (prefers-color-scheme: dark)", ":root:not([data-theme])", dark.Bytes()},
	} {
		fmt.Fprintf(w, "/* Code highlighting: %s */\n", block.comment)
		if block.media != "" {
			fmt.Fprintf(w, "@media %s {\n", block.media)
		}
		w.Write(scopeCSS(block.css, block.scope))
		if block.media != "" {
			io.WriteString(w, "}\n")
		}
	}
	return nil
}

var cssRule = regexp.MustCompile(`(?m)^(/\*[^*]*\*/ )?(\.[^{]+)\{`)

// scopeCSS prefixes every selector of chroma's stylesheet with scope, so the
// light and dark rules can live in one file.
func scopeCSS(css []byte, scope string) []byte {
	return cssRule.ReplaceAllFunc(css, func(m []byte) []byte {
		sub := cssRule.FindSubmatch(m)
		sels := strings.Split(strings.TrimSpace(string(sub[2])), ",")
		for i, s := range sels {
			sels[i] = scope + " " + strings.TrimSpace(s)
		}
		return append(append(sub[1], strings.Join(sels, ", ")...), " {"...)
	})
}

// nodeRenderer renders the nodes govpack handles itself: highlighted code
// and, unless unsafe, raw HTML as visible, escaped text.
type nodeRenderer struct{ unsafe bool }

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, renderHeading)
	reg.Register(KindTerm, renderTerm)
	reg.Register(KindHighlighted, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.Write(n.(*Highlighted).HTML)
		}
		return ast.WalkSkipChildren, nil
	})
	if r.unsafe {
		return
	}
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			for i := 0; i < segs.Len(); i++ {
				seg := segs.At(i)
				w.Write(util.EscapeHTML(seg.Value(src)))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		b := n.(*ast.HTMLBlock)
		w.WriteString(`<pre class="raw-html">`)
		lines := b.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			w.Write(util.EscapeHTML(seg.Value(src)))
		}
		if b.HasClosure() {
			w.Write(util.EscapeHTML(b.ClosureLine.Value(src)))
		}
		w.WriteString("</pre>\n")
		return ast.WalkSkipChildren, nil
	})
}

// renderHeading renders a heading as goldmark does, followed by a link to
// its own anchor, so every heading and numbered clause can be cited by URL;
// the theme shows the link on hover and focus, and its script copies the
// URL on click.
func renderHeading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	level := "0123456"[n.Level]
	if entering {
		w.WriteString("<h")
		w.WriteByte(level)
		if n.Attributes() != nil {
			html.RenderAttributes(w, n, html.HeadingAttributeFilter)
		}
		w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id, ok := HeadingID(n); ok {
		w.WriteString(` <a class="anchor" href="#`)
		w.Write(util.EscapeHTML([]byte(id)))
		w.WriteString(`" aria-label="Link to this section">#</a>`)
	}
	w.WriteString("</h")
	w.WriteByte(level)
	w.WriteString(">\n")
	return ast.WalkContinue, nil
}

// KindTerm is the node kind of a defined term linked to the glossary.
var KindTerm = ast.NewNodeKind("Term")

// Term is the use of a defined term in prose: its children are the text as
// written, linked to the glossary, with the definition shown on hover and
// keyboard focus.
type Term struct {
	ast.BaseInline
	Href       string // the glossary entry, relative to the page
	TipID      string // id of the element holding the definition, unique in the page
	Definition string
}

// Kind implements ast.Node.
func (n *Term) Kind() ast.NodeKind { return KindTerm }

// Dump implements ast.Node.
func (n *Term) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Href": n.Href}, nil)
}

// renderTerm writes the term as a link described by a tooltip: the
// tooltip is a sibling of the link, not a title attribute, so keyboard
// and touch users get it too and screen readers announce it as the
// link's description.
func renderTerm(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*Term)
	if entering {
		w.WriteString(`<span class="term"><a class="term-link" href="`)
		w.Write(util.EscapeHTML(util.URLEscape([]byte(n.Href), false)))
		w.WriteString(`" aria-describedby="`)
		w.Write(util.EscapeHTML([]byte(n.TipID)))
		w.WriteString(`">`)
		return ast.WalkContinue, nil
	}
	w.WriteString(`</a><span class="term-tip" role="tooltip" id="`)
	w.Write(util.EscapeHTML([]byte(n.TipID)))
	w.WriteString(`">`)
	w.Write(util.EscapeHTML([]byte(n.Definition)))
	w.WriteString(`</span></span>`)
	return ast.WalkContinue, nil
}

// PlainText returns the text of n and its inline descendants, without markup.
func PlainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if s, ok := t.(*ast.Text); ok {
					b.Write(s.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// headingIDs hands out the generated ids of a document's headings.
type headingIDs struct {
	used map[string]bool
	// next is, by base id, the first number not yet tried: twenty thousand
	// headings of one text must not each count up from 1.
	next  map[string]int
	tried int // candidate ids looked up, for tests
}

func newHeadingIDs(n int) *headingIDs {
	return &headingIDs{used: make(map[string]bool, n), next: map[string]int{}}
}

// generate returns the id of a heading with the given text and no id of
// its own: headingSlug's, numbered when that is used, and marks it used.
// An id is base + "-" + N for one base and N only, so each used id is
// passed over once at most: the work is linear in the headings.
func (ids *headingIDs) generate(text string) string {
	base := headingSlug(text)
	id := base
	ids.tried++
	if ids.used[id] || layoutID(id) {
		n := max(ids.next[base], 1)
		for {
			id = base + "-" + strconv.Itoa(n)
			ids.tried++
			n++
			if !ids.used[id] && !layoutID(id) {
				break
			}
		}
		ids.next[base] = n
	}
	ids.used[id] = true
	return id
}

// headingSlug returns the generated id of a heading with the given text:
// its clause number (see clauseID), else its slug.
func headingSlug(s string) string {
	if id, ok := clauseID(s); ok {
		return id
	}
	if id := Slug(s); id != "" {
		return id
	}
	return "section"
}

// clauseKeywords name the parts of a text that a number can follow.
var clauseKeywords = [...]string{"article", "section", "clause", "part", "chapter", "schedule", "annex", "appendix"}

// clauseID returns the id of a heading that starts with a clause number,
// such as "7.2 Quorum" (7.2), "Article 7 — Decision-making" (article-7)
// or "§ 4.1 Fees" (4.1). A bare number counts only when dotted ("7.2") or
// followed by a dot ("1."), so "2026 budget" stays a slug. The number
// must end the text or be followed by white space, ':' or a dash.
// Keywords match in any case, as strings.EqualFold has it.
func clauseID(s string) (string, bool) {
	prefix, rest := "", s
	switch {
	case strings.HasPrefix(s, "§"):
		rest = strings.TrimLeft(s[len("§"):], asciiSpace)
	case s != "" && s[0] >= '0' && s[0] <= '9':
	default:
		end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
		if end <= 0 || strings.IndexAny(s[end:end+1], asciiSpace) < 0 {
			return "", false
		}
		word := s[:end]
		known := false
		for _, k := range clauseKeywords {
			known = known || strings.EqualFold(word, k)
		}
		if !known {
			return "", false
		}
		prefix, rest = strings.ToLower(word)+"-", strings.TrimLeft(s[end:], asciiSpace)
	}
	// The number: digits, then any groups of a dot and digits.
	n, groups := digits(rest), 0
	if n == 0 {
		return "", false
	}
	for n < len(rest) && rest[n] == '.' {
		d := digits(rest[n+1:])
		if d == 0 {
			break
		}
		n, groups = n+1+d, groups+1
	}
	number, after := rest[:n], rest[n:]
	dotted := strings.HasPrefix(after, ".")
	if dotted {
		after = after[1:]
	}
	if s[0] >= '0' && s[0] <= '9' && groups == 0 && !dotted {
		return "", false // a bare number: a year, a count
	}
	if after != "" && strings.IndexAny(after[:1], asciiSpace+":-") < 0 &&
		!strings.HasPrefix(after, "—") && !strings.HasPrefix(after, "–") {
		return "", false
	}
	return prefix + number, true
}

// asciiSpace is white space as regular expressions' \s has it.
const asciiSpace = "\t\n\f\r "

// digits returns the length of the run of ASCII digits that s starts with.
func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// Slug turns s into a lowercase id of letters, digits and single hyphens.
func Slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		case r == '\'' || r == '’':
			// "member's" → "members"
		default:
			hyphen = true
		}
	}
	return b.String()
}

// skimPriority runs the skimmer before the other paragraph transformers
// (link reference definitions at 100, tables at 200): a definition holds
// a '[', and a table a '|', so neither is skimmed.
const skimPriority = 10

// skimmer empties the text of a paragraph that holds no link: without a
// '[' there is no link, image, footnote reference or task box to find.
// One zero-length line is left (an empty paragraph would be removed, and
// a definition list reads its terms from the lines). A paragraph closed
// by a setext underline keeps its text: it becomes the heading's. So does
// one with a '|', which may become a table: a paragraph that did not would
// take a definition after it, where a table does not.
type skimmer struct{}

func (skimmer) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	src := reader.Source()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		if bytes.IndexAny(seg.Value(src), "[|") >= 0 {
			return
		}
	}
	if line, _ := reader.PeekLine(); setextUnderline(line) {
		return
	}
	first := lines.At(0)
	start := first.TrimLeftSpace(src).Start // where the paragraph starts, as goldmark trims it
	node.Lines().Clear()
	node.Lines().Append(text.NewSegment(start, start))
}

// setextUnderline reports whether line could underline a setext heading:
// up to three spaces, a run of '=' or '-', trailing white space. It may
// say yes where goldmark would say no (in a container, say), which only
// leaves a paragraph unskimmed.
func setextUnderline(line []byte) bool {
	t := bytes.TrimSpace(line)
	if len(t) == 0 || (t[0] != '=' && t[0] != '-') {
		return false
	}
	return len(bytes.Trim(t, string(t[:1]))) == 0
}
