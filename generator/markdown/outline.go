package markdown

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// An Outline is what loading records of a document: its headings, with
// their ids, and its links and images outside headings, in reading order.
type Outline struct {
	Headings []OutlineHeading
	Links    []OutlineLink
	// Opening counts the headings the document opens with, one after the
	// other before any other block, up to two: a leading level-1 heading
	// may be the title, and the heading after it may repeat it.
	Opening int
	// Dropped are the heading attributes parsing left out.
	Dropped []DroppedAttribute
}

// An OutlineHeading is a heading of an Outline.
type OutlineHeading struct {
	Level    int
	ID, Text string // Text as PlainText gives it
	Pos      int    // offset in the source
}

// An OutlineLink is a link or an image of an Outline.
type OutlineLink struct {
	Dest      string
	Image     bool
	EmptyText bool // a link written without text: [](dest)
	Pos       int  // offset of its '[' (an image's '!')
	Heading   int  // index of the heading it follows; -1 before the first
}

// Outline returns the outline of src, as OutlineOf(Parse(src)) would.
// Most documents are read line by line without a syntax tree (see
// scanOutline); the rest are parsed by goldmark, leaving the text of
// paragraphs that hold no link unparsed (see skimmer).
func (c *Converter) Outline(src []byte) Outline {
	if c.plain {
		return OutlineOf(c.Parse(src), src)
	}
	if o, ok := scanOutline(src); ok {
		return o
	}
	return OutlineOf(c.outlineTree(src), src)
}

// OutlineOf reads the outline of doc, a tree Parse made of src.
func OutlineOf(doc ast.Node, src []byte) Outline {
	var o Outline
	if d, ok := doc.(*ast.Document); ok {
		o.Dropped, _ = d.Meta()[droppedKey].([]DroppedAttribute)
	}
	for n := doc.FirstChild(); n != nil && o.Opening < 2; n = n.NextSibling() {
		if _, ok := n.(*ast.Heading); !ok {
			break
		}
		o.Opening++
	}
	WalkRefs(doc, func(h *ast.Heading) {
		id, _ := HeadingID(h)
		o.Headings = append(o.Headings, OutlineHeading{Level: h.Level, ID: id, Text: PlainText(h, src), Pos: h.Pos()})
	}, func(n ast.Node) {
		l := OutlineLink{Pos: n.Pos(), Heading: len(o.Headings) - 1}
		switch n := n.(type) {
		case *ast.Link:
			l.Dest, l.EmptyText = string(n.Destination), n.ChildCount() == 0
		case *ast.Image:
			l.Dest, l.Image = string(n.Destination), true
		}
		o.Links = append(o.Links, l)
	})
	return o
}

// WalkRefs calls heading for every heading and ref for every link and
// image outside headings, in reading order: headings are anchors, not
// references.
func WalkRefs(root ast.Node, heading func(*ast.Heading), ref func(ast.Node)) {
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			heading(n)
			return ast.WalkSkipChildren, nil
		case *ast.Link, *ast.Image:
			ref(n)
		}
		return ast.WalkContinue, nil
	})
}

// scanOutline reads the outline of src line by line, without goldmark,
// when src keeps to the forms governance documents are mostly written in:
// ATX headings of plain text; paragraphs and tables; bullet and ordered
// lists whose items open with text; fenced code; code spans; links and
// images written [text](dest) on one line, with plain text and a plain
// destination. On anything else — block quotes, HTML, setext headings,
// thematic breaks, indented code, definition lists, reference links,
// footnotes, escapes, tabs, heading attributes or markup, blocks nested
// in items — it reports false, and goldmark reads the document.
// FuzzOutline and FuzzOutlineForms hold it to OutlineOf(Parse(src))
// wherever it reports true.
func scanOutline(src []byte) (Outline, bool) {
	if bytes.IndexByte(src, '\r') >= 0 || bytes.IndexByte(src, 0) >= 0 || bytes.HasPrefix(src, []byte("\uFEFF")) {
		return Outline{}, false
	}
	s := outlineScanner{src: src}
	for at := 0; at < len(src); {
		end := lineEnd(src, at)
		if s.fenceLen > 0 {
			if closesFence(src[at:end], s.fenceChar, s.fenceLen) {
				s.fenceLen = 0
			}
		} else if !s.line(at, src[at:end]) {
			return Outline{}, false
		}
		at = end + 1
	}
	if !s.endParagraph() {
		return Outline{}, false
	}
	s.identify()
	return s.out, true
}

// outlineScanner is scanOutline's state between lines.
type outlineScanner struct {
	src []byte
	out Outline

	para   []span // the open paragraph's lines, container prefixes left out
	inPara bool

	inList     bool
	listMarker byte // '-', '*' or '+'; '.' or ')' for an ordered list
	contentCol int  // where the last item's content starts

	fenceChar byte
	fenceLen  int // an open fence's length; 0 outside fenced code

	openingDone bool // a block other than a heading was met
}

// span is a part of the source: [start, end).
type span struct{ start, end int }

// line reads one line outside fenced code, starting at offset at.
func (s *outlineScanner) line(at int, line []byte) bool {
	for _, c := range line {
		if c < ' ' {
			return false // tabs (which count as columns), form feeds...
		}
	}
	indent := 0
	for indent < len(line) && line[indent] == ' ' {
		indent++
	}
	if indent == len(line) {
		return s.endParagraph()
	}
	rest := line[indent:]
	if indent >= 4 {
		// Indented code, or a block in a list item: only a paragraph's
		// continuation is plain text.
		if !s.inPara || blockStart(rest) {
			return false
		}
		s.para = append(s.para, span{at + indent, at + len(line)})
		return true
	}
	switch c := rest[0]; {
	case c == '#':
		level := 0
		for level < len(rest) && rest[level] == '#' {
			level++
		}
		if level <= 6 && (level == len(rest) || rest[level] == ' ') {
			return s.heading(at+indent, indent, level, rest[level:])
		}
	case c == '`' || c == '~':
		if ok, isFence := s.fence(c, rest, indent); isFence {
			return ok
		}
	case c == '>' || c == '<' || c == '=':
		return false // block quotes, HTML, setext underlines
	case c == ':':
		if len(rest) == 1 || rest[1] == ' ' {
			return false // a definition
		}
	case c == '-' || c == '*' || c == '+' || c == '_':
		if thematicBreak(rest) || onlyByte(rest, '-') {
			return false
		}
		if c != '_' && len(rest) > 1 && rest[1] == ' ' {
			return s.item(at, indent, c, 2, 1, line)
		}
		if len(rest) == 1 && c != '_' {
			return false // an empty item
		}
	case '0' <= c && c <= '9':
		if ok, isItem := s.orderedItem(at, indent, line); isItem {
			return ok
		}
	}
	return s.text(at, indent, line)
}

// fence reads a line that starts with c, a backtick or a tilde, at
// indent: isFence reports whether it opens a fenced code block, and ok
// whether the scanner can go on.
func (s *outlineScanner) fence(c byte, rest []byte, indent int) (ok, isFence bool) {
	n := 0
	for n < len(rest) && rest[n] == c {
		n++
	}
	if n < 3 {
		return false, false
	}
	if c == '`' && bytes.IndexByte(rest[n:], '`') >= 0 {
		return false, true // not a fence: a code span, as goldmark has it
	}
	if s.inList && indent > 0 {
		return false, true // perhaps in the item, which then shapes its lines
	}
	if !s.endParagraph() {
		return false, true
	}
	s.inList, s.openingDone = false, true
	s.fenceChar, s.fenceLen = c, n
	return true, true
}

// orderedItem reads a line that starts with a digit at indent: isItem
// reports whether it opens an ordered list item, and ok whether the
// scanner can go on.
func (s *outlineScanner) orderedItem(at, indent int, line []byte) (ok, isItem bool) {
	rest := line[indent:]
	n := 0
	for n < len(rest) && '0' <= rest[n] && rest[n] <= '9' {
		n++
	}
	if n > 9 || n >= len(rest) || rest[n] != '.' && rest[n] != ')' || n+1 < len(rest) && rest[n+1] != ' ' {
		return false, false
	}
	if n > 1 && rest[0] == '0' {
		return false, true
	}
	number, _ := strconv.Atoi(string(rest[:n]))
	return s.item(at, indent, rest[n], n+2, number, line), true
}

// text reads a line of paragraph text.
func (s *outlineScanner) text(at, indent int, line []byte) bool {
	if !s.inPara {
		if s.inList && indent < s.contentCol {
			s.inList = false
		}
		s.inPara, s.openingDone = true, true
	}
	s.para = append(s.para, span{at + indent, at + len(line)})
	return true
}

// item reads a line that opens a list item: its marker (width bytes with
// the one space after it) at indent, then text.
func (s *outlineScanner) item(at, indent int, marker byte, width, number int, line []byte) bool {
	content := line[indent+width-1:]
	if len(content) < 2 || content[0] != ' ' || content[1] == ' ' {
		return false // empty, or content set further in
	}
	content = content[1:]
	if blockStart(content) || (content[0] == '[' && len(content) >= 3 && content[2] == ']') {
		return false // a block in the item, or a task box
	}
	ordered := marker == '.' || marker == ')'
	if ordered && number != 1 && s.inPara && !(s.inList && s.listMarker == marker) {
		return false // paragraph text, unless it continues the list
	}
	if !s.endParagraph() {
		return false
	}
	s.inList, s.listMarker, s.contentCol = true, marker, indent+width
	s.inPara, s.openingDone = true, true
	s.para = append(s.para, span{at + indent + width, at + len(line)})
	return true
}

// heading reads an ATX heading at offset pos: after the opening run of
// level '#', rest.
func (s *outlineScanner) heading(pos, indent, level int, rest []byte) bool {
	if !s.endParagraph() {
		return false
	}
	text := bytes.TrimRight(bytes.TrimLeft(rest, " "), " ")
	if bytes.ContainsAny(text, "\\`*_[]!<>&~{}") {
		return false // inline markup, or an id given with {#id}
	}
	// A closing run of '#', as goldmark reads it.
	if n := len(text); n > 0 {
		i := n - 1
		for text[i] == '#' && i > 0 {
			i--
		}
		if i == 0 && text[0] == '#' {
			text = text[:0]
		} else if i != n-1 && text[i] == ' ' {
			text = bytes.TrimRight(text[:i], " ")
		}
	}
	if s.inList && indent < s.contentCol {
		s.inList = false
	}
	if !s.openingDone && s.out.Opening < 2 {
		s.out.Opening++
	}
	s.out.Headings = append(s.out.Headings, OutlineHeading{Level: level, Text: strings.TrimSpace(string(text)), Pos: pos})
	return true
}

// endParagraph reads the links of the open paragraph, if one is open.
func (s *outlineScanner) endParagraph() bool {
	para := s.para
	s.para, s.inPara = s.para[:0], false
	brackets, markup := false, false
	for _, l := range para {
		line := s.src[l.start:l.end]
		brackets = brackets || bytes.IndexByte(line, '[') >= 0
		markup = markup || bytes.IndexByte(line, '\\') >= 0 || bytes.IndexByte(line, '<') >= 0
	}
	if !brackets {
		return true // no link, image or footnote without a '['
	}
	if markup {
		return false // escapes, autolinks, HTML
	}
	// A table, as goldmark's makes one: at the first delimiter row, if
	// the row above has no more cells. Lines above that stay a paragraph;
	// each cell is read on its own, and cells past the header's are dropped.
	for i := 1; i < len(para); i++ {
		cols := delimiterCells(s.src[para[i].start:para[i].end])
		if cols == 0 {
			continue
		}
		if len(rowCells(s.src, para[i-1], -1)) > cols {
			break // goldmark pads a header short of cells, and wants no more
		}
		if !s.links(para[:i-1]) {
			return false
		}
		for j := i - 1; j < len(para); j++ {
			if j == i {
				continue // the delimiter row
			}
			keep := cols
			if j == i-1 {
				keep = -1 // the header keeps every cell
			}
			for _, cell := range rowCells(s.src, para[j], keep) {
				if !s.links([]span{cell}) {
					return false
				}
			}
		}
		return true
	}
	return s.links(para)
}

// links reads the links of inline text: lines of a paragraph, or a cell.
func (s *outlineScanner) links(lines []span) bool {
	if len(lines) == 0 {
		return true
	}
	var code []span
	for _, l := range lines {
		if bytes.IndexByte(s.src[l.start:l.end], '`') >= 0 {
			code = codeSpans(s.src, lines)
			break
		}
	}
	heading := len(s.out.Headings) - 1
	for _, l := range lines {
		for i := l.start; i < l.end; i++ {
			if s.src[i] != '[' {
				continue
			}
			for len(code) > 0 && code[0].end <= i {
				code = code[1:]
			}
			if len(code) > 0 && code[0].start <= i {
				i = code[0].end - 1
				continue
			}
			link, end, ok := simpleLink(s.src, i, l.end)
			if !ok {
				return false
			}
			link.Heading = heading
			link.Image = i > l.start && s.src[i-1] == '!'
			if link.Image {
				link.Pos, link.EmptyText = i-1, false // an image is at its '!'
			}
			s.out.Links = append(s.out.Links, link)
			i = end - 1
		}
	}
	return true
}

// delimiterCells returns the number of columns of a table's delimiter
// row, as goldmark reads one: cells of '-' with a ':' at either end; 0
// when line is not one.
func delimiterCells(line []byte) int {
	dashes := false
	for _, c := range line {
		switch c {
		case '-':
			dashes = true
		case ' ', '|', ':':
		default:
			return 0
		}
	}
	if !dashes || bytes.IndexAny(line, " |:") < 0 {
		return 0 // all dashes: not a delimiter row
	}
	cols := bytes.Split(line, []byte{'|'})
	if len(bytes.TrimSpace(cols[0])) == 0 {
		cols = cols[1:]
	}
	if len(cols) > 0 && len(bytes.TrimSpace(cols[len(cols)-1])) == 0 {
		cols = cols[:len(cols)-1]
	}
	for _, col := range cols {
		col = bytes.TrimSpace(col)
		col = bytes.TrimPrefix(col, []byte(":"))
		col = bytes.TrimSuffix(col, []byte(":"))
		if len(col) == 0 || len(bytes.Trim(col, "-")) > 0 {
			return 0
		}
	}
	return len(cols)
}

// rowCells splits a table row into its cells, as goldmark does, keeping
// the first keep (all when keep < 0).
func rowCells(src []byte, row span, keep int) []span {
	start, end := row.start, row.end
	for start < end && src[start] == ' ' {
		start++
	}
	for end > start && src[end-1] == ' ' {
		end--
	}
	if start < end && src[start] == '|' {
		start++
	}
	if start < end && src[end-1] == '|' {
		end--
	}
	var cells []span
	for start < end && (keep < 0 || len(cells) < keep) {
		k := bytes.IndexByte(src[start:end], '|')
		if k < 0 {
			k = end - start
		}
		cells = append(cells, span{start, start + k})
		start += k + 1
	}
	return cells
}

// simpleLink reads the link whose '[' is at src[i], in a line ending at
// end: [text](dest), text without brackets, code, escapes, HTML, entities
// or cell breaks, dest without white space, parentheses, brackets, angle
// brackets, code, escapes, entities or cell breaks. It returns the
// offset after the ')'.
func simpleLink(src []byte, i, end int) (OutlineLink, int, bool) {
	j := i + 1
	for j < end && strings.IndexByte("[]`\\<&|", src[j]) < 0 {
		j++
	}
	text := src[i+1 : j]
	if j+1 >= end || src[j] != ']' || src[j+1] != '(' || len(text) > 500 ||
		(len(text) > 0 && (text[0] == '^' || len(bytes.TrimLeft(text, " ")) == 0)) {
		return OutlineLink{}, 0, false
	}
	k := j + 2
	for k < end && src[k] > ' ' && strings.IndexByte("()[]<>`\\&|", src[k]) < 0 {
		k++
	}
	if k == end || src[k] != ')' || k == j+2 {
		return OutlineLink{}, 0, false
	}
	return OutlineLink{Dest: string(src[j+2 : k]), EmptyText: len(text) == 0, Pos: i}, k + 1, true
}

// codeSpans finds the code spans of a paragraph's lines as goldmark does:
// a run of backticks opens one, closed by the next run of the same length.
func codeSpans(src []byte, para []span) []span {
	var spans []span
	li, i := 0, para[0].start
	// next returns the next run of backticks from line li, offset i.
	next := func() (start, n int, ok bool) {
		for ; li < len(para); li++ {
			if i < para[li].start {
				i = para[li].start
			}
			end := para[li].end
			if k := bytes.IndexByte(src[i:end], '`'); k >= 0 {
				start = i + k
				n = 0
				for start+n < end && src[start+n] == '`' {
					n++
				}
				i = start + n
				return start, n, true
			}
		}
		return 0, 0, false
	}
	for {
		start, n, ok := next()
		if !ok {
			return spans
		}
		saveLine, saveAt := li, i
		for {
			cs, cn, ok := next()
			if !ok {
				li, i = saveLine, saveAt // no closing run: the backticks are text
				break
			}
			if cn == n {
				spans = append(spans, span{start, cs + cn})
				break
			}
		}
	}
}

// closesFence reports whether line closes a fence of n chars c.
func closesFence(line []byte, c byte, n int) bool {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	if i > 3 {
		return false
	}
	j := i
	for j < len(line) && line[j] == c {
		j++
	}
	return j-i >= n && len(bytes.Trim(line[j:], " \t")) == 0
}

// blockStart reports whether text, at the start of a line, may open a
// block other than a paragraph, underline a setext heading, start a
// definition or be a table's delimiter row.
func blockStart(text []byte) bool {
	run := func(c byte) int {
		n := 0
		for n < len(text) && text[n] == c {
			n++
		}
		return n
	}
	spaceAfter := func(n int) bool { return n == len(text) || text[n] == ' ' }
	switch c := text[0]; {
	case c == '>' || c == '<' || c == '=' || c == '#':
		return true
	case c == '`' || c == '~':
		return run(c) >= 3
	case c == ':' || c == '-' || c == '*' || c == '+':
		if spaceAfter(1) {
			return true
		}
	case '0' <= c && c <= '9':
		n := 0
		for n < len(text) && '0' <= text[n] && text[n] <= '9' {
			n++
		}
		if n < len(text) && (text[n] == '.' || text[n] == ')') && spaceAfter(n+1) {
			return true
		}
	}
	return thematicBreak(text) || onlyByte(text, '-') || delimiterCells(text) > 0
}

// thematicBreak reports whether rest is three or more '*', '-' or '_',
// alone but for spaces.
func thematicBreak(rest []byte) bool {
	c, n := rest[0], 0
	if c != '*' && c != '-' && c != '_' {
		return false
	}
	for _, b := range rest {
		switch b {
		case c:
			n++
		case ' ':
		default:
			return false
		}
	}
	return n >= 3
}

// onlyByte reports whether rest is a run of c followed by spaces at most.
func onlyByte(rest []byte, c byte) bool {
	return len(bytes.TrimRight(bytes.TrimLeft(rest, string(c)), " ")) == 0
}

// identify gives each heading its id, as identifyHeadings does: none has
// an id of its own here.
func (s *outlineScanner) identify() {
	ids := newHeadingIDs(len(s.out.Headings))
	for i := range s.out.Headings {
		h := &s.out.Headings[i]
		h.ID = ids.generate(h.Text)
	}
}
