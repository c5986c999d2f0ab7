package generator

import (
	"bytes"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"govpack/generator/markdown"
)

// termIndex finds the defined terms of the glossary in prose. Names and
// aliases are filed under their first word, lowercased, so a text is
// scanned once, word by word, with one map lookup per word: linear in the
// text whatever the size of the glossary.
type termIndex struct {
	byWord map[string][]termName
	byID   map[string]*Term
	// starts holds the first two bytes (lower-cased) of every key of
	// byWord two bytes or longer, and short the keys of one byte: a word
	// is looked up only when a key it may match (itself, or without "s"
	// or "es") starts so. Most words are not.
	starts *[1 << 16 / 64]uint64
	short  [256]bool
}

// termName is one name or alias of a term.
type termName struct {
	name string // as written in the glossary
	term *Term
}

func newTermIndex(terms []Term) *termIndex {
	ix := &termIndex{byWord: map[string][]termName{}, byID: map[string]*Term{}, starts: new([1 << 16 / 64]uint64)}
	for i := range terms {
		t := &terms[i]
		ix.byID[t.ID] = t
		for _, name := range append([]string{t.Name}, t.Aliases...) {
			name = strings.TrimSpace(name)
			first := firstWord(name)
			if first == "" || t.ID == "" {
				continue
			}
			ix.byWord[first] = append(ix.byWord[first], termName{name: name, term: t})
			if len(first) >= 2 {
				k := int(first[0])<<8 | int(first[1])
				ix.starts[k/64] |= 1 << (k % 64)
			} else {
				ix.short[first[0]] = true
			}
		}
	}
	// Longest name first, so "letter of credit" wins over "letter";
	// then by name, so the output does not depend on the file order.
	for _, names := range ix.byWord {
		sort.SliceStable(names, func(i, j int) bool {
			if len(names[i].name) != len(names[j].name) {
				return len(names[i].name) > len(names[j].name)
			}
			return names[i].name < names[j].name
		})
	}
	return ix
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// firstWord returns the lowercased letters and digits that start s, or ""
// when s does not start with one.
func firstWord(s string) string {
	return strings.ToLower(s[:wordEnd(s, 0)])
}

// termMatch is a defined term found in a text, at bytes [start, end).
type termMatch struct {
	start, end int
	term       *Term
}

// find returns the terms in s not yet in used, the first use of each,
// and adds them to used. A name matches case-insensitively on word
// boundaries, also with a plural "s" or "es" ("peers" for "Peer"). The
// longest name at a place wins even when its term is already used, so a
// second "letter of credit" does not link the shorter term "letter".
func (ix *termIndex) find(s string, used map[*Term]bool) []termMatch {
	var out []termMatch
	var lower [64]byte // most words: lower-cased without an allocation
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if !asciiWordByte(c) {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(s[i:]); !isWordRune(r) {
			i += size
			continue
		}
		// i starts a word: words are skipped whole, never entered.
		end := wordEnd(s, i)
		if ix.mayStart(s[i:end]) {
			if m, ok := ix.matchAt(s, i, lowerWord(lower[:0], s[i:end])); ok {
				if !used[m.term] {
					used[m.term] = true
					out = append(out, m)
				}
				end = m.end
			}
		}
		i = end
	}
	return out
}

// wordEnd returns where the word of letters and digits at s[i:] ends.
func wordEnd(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if !asciiWordByte(c) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			return i
		}
		i += size
	}
	return i
}

// asciiWordByte is isWordRune for an ASCII byte: a table, where the
// comparisons mispredicted at every change between letters and the rest
// (glossary linking reads all prose).
func asciiWordByte(c byte) bool { return asciiWordBytes[c] }

var asciiWordBytes = func() (t [256]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// mayStart reports whether a name can start with word (see starts).
func (ix *termIndex) mayStart(word string) bool {
	if len(word) < 2 || word[0] >= utf8.RuneSelf || word[1] >= utf8.RuneSelf {
		return true
	}
	first, second := asciiLower(word[0]), asciiLower(word[1])
	k := int(first)<<8 | int(second)
	switch {
	case ix.starts[k/64]&(1<<(k%64)) != 0:
		return true
	case len(word) == 2: // "as", which may be "a" and a plural "s"
		return second == 's' && ix.short[first]
	case len(word) == 3: // "aes", which may be "a" and a plural "es"
		return second == 'e' && asciiLower(word[2]) == 's' && ix.short[first]
	}
	return false
}

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lowerWord returns w lower-cased as strings.ToLower does, in buf when w
// is ASCII.
func lowerWord(buf []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return []byte(strings.ToLower(w))
		}
		buf = append(buf, asciiLower(c))
	}
	return buf
}

// matchAt returns the longest name that matches at s[i:], whose first
// word, lowercased, is word.
func (ix *termIndex) matchAt(s string, i int, word []byte) (termMatch, bool) {
	var best termMatch
	// The word itself, and without a plural "s" or "es".
	keys := 1
	if bytes.HasSuffix(word, []byte("s")) {
		keys++
		if bytes.HasSuffix(word, []byte("es")) {
			keys++
		}
	}
	for k := 0; k < keys; k++ {
		for _, n := range ix.byWord[string(word[:len(word)-k])] {
			end := i + len(n.name)
			if end > len(s) || !strings.EqualFold(s[i:end], n.name) {
				continue
			}
			for _, suffix := range []string{"", "s", "es"} {
				after := end + len(suffix)
				if !strings.HasPrefix(s[end:], suffix) || after <= best.end {
					continue
				}
				if r, _ := utf8.DecodeRuneInString(s[after:]); after == len(s) || !isWordRune(r) {
					best = termMatch{start: i, end: after, term: n.term}
				}
			}
		}
	}
	return best, best.term != nil
}

// linkTerms links the first use of each defined term in the prose of d to
// its glossary entry. Headings, links, images, code and raw HTML are left
// alone; a term the document links itself (term:id) is not linked again,
// and its first such link shows the definition too.
//
// It returns what puts the tree back as it was, for a document that a
// later build links and checks again from the same tree.
func linkTerms(d *Document, ix *termIndex) (undo func()) {
	if len(ix.byWord) == 0 {
		return func() {}
	}
	tl := termLinker{ix: ix, used: map[*Term]bool{},
		glossary: relURL(d.URL, "governance/glossary.html"), prefix: "tip-" + markdown.Slug(d.ID) + "-"}
	explicit, texts := tl.uses(d.tree())
	var undos []func()
	for _, e := range explicit {
		undos = append(undos, tl.explicit(e))
	}
	// The source seen as a string, not copied: it is only read, and no
	// text of it outlives this call.
	src := unsafe.String(unsafe.SliceData(d.Source), len(d.Source))
	for _, t := range texts {
		prose := src[t.Segment.Start:t.Segment.Stop]
		if t.Segment.Padding > 0 {
			prose = string(t.Segment.Value(d.Source))
		}
		if matches := ix.find(prose, tl.used); len(matches) > 0 {
			undos = append(undos, tl.inText(t, matches))
		}
	}
	return func() {
		for i := len(undos) - 1; i >= 0; i-- {
			undos[i]()
		}
	}
}

// termLinker links one document's uses of glossary terms.
type termLinker struct {
	ix       *termIndex
	used     map[*Term]bool // terms whose first use is linked already
	glossary string         // the glossary page, relative to the document's
	prefix   string         // of the tooltips' ids, unique to the document
}

// explicitTerm is a link written to a term, the first of that term.
type explicitTerm struct {
	link *ast.Link
	term *Term
}

// uses walks tree for the links written to terms (each term's first) and
// the texts in which terms may be found.
func (tl termLinker) uses(tree ast.Node) (explicit []explicitTerm, texts []*ast.Text) {
	_ = ast.Walk(tree, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			// An explicit term: link is the first use; the first one of
			// each term gets the definition too.
			if _, frag, ok := strings.Cut(string(n.Destination), "#"); ok && hasClass(n, "ref-term") {
				if t := tl.ix.byID[frag]; t != nil && !tl.used[t] {
					tl.used[t] = true
					explicit = append(explicit, explicitTerm{n, t})
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.Heading, *ast.AutoLink, *ast.Image, *ast.CodeSpan, *ast.RawHTML, *markdown.Term:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			texts = append(texts, n)
		}
		return ast.WalkContinue, nil
	})
	return explicit, texts
}

// explicit puts a term node with its definition in place of a link
// written to the term, and returns how to put the link back.
func (tl termLinker) explicit(e explicitTerm) (undo func()) {
	term := &markdown.Term{Href: string(e.link.Destination), TipID: tl.prefix + e.term.ID, Definition: e.term.Definition}
	moveChildren(term, e.link)
	parent, link := e.link.Parent(), e.link
	parent.ReplaceChild(parent, link, term)
	return func() {
		moveChildren(link, term)
		parent.ReplaceChild(parent, term, link)
	}
}

// inText splits text t around the terms found in it, each made a term
// node, and returns how to join it again.
func (tl termLinker) inText(t *ast.Text, matches []termMatch) (undo func()) {
	seg := t.Segment
	parent := t.Parent()
	at := seg.Start
	var inserted []ast.Node
	for _, m := range matches {
		start, end := seg.Start+m.start, seg.Start+m.end
		if start > at {
			before := ast.NewTextSegment(text.NewSegment(at, start))
			parent.InsertBefore(parent, t, before)
			inserted = append(inserted, before)
		}
		term := &markdown.Term{Href: tl.glossary + "#" + m.term.ID, TipID: tl.prefix + m.term.ID, Definition: m.term.Definition}
		term.AppendChild(term, ast.NewTextSegment(text.NewSegment(start, end)))
		parent.InsertBefore(parent, t, term)
		inserted = append(inserted, term)
		at = end
	}
	// The original node keeps the rest of the text and its line break.
	t.Segment = text.NewSegment(at, seg.Stop)
	return func() {
		for _, n := range inserted {
			parent.RemoveChild(parent, n)
		}
		t.Segment = seg
	}
}

// moveChildren moves the children of from to the end of to.
func moveChildren(to, from ast.Node) {
	for c := from.FirstChild(); c != nil; {
		next := c.NextSibling()
		to.AppendChild(to, c)
		c = next
	}
}

func hasClass(n ast.Node, class string) bool {
	v, ok := n.AttributeString("class")
	if !ok {
		return false
	}
	b, _ := v.([]byte)
	for _, c := range strings.Fields(string(b)) {
		if c == class {
			return true
		}
	}
	return false
}
