package markdown

import "bytes"

// Limits bound what one document may hold, checked by CheckLimits before
// goldmark sees it: goldmark's time grows faster than the input on deeply
// nested containers and on great numbers of footnotes or reference
// definitions, and every link costs govpack memory of its own. A limit of
// zero or less is no limit.
type Limits struct {
	Depth       int // nesting of block quotes and list items, as CheckLimits estimates it
	Links       int // '[' bytes: every link, image, footnote mark and task box opens with one
	Footnotes   int // "[^" pairs: every footnote reference and definition opens with one
	Definitions int // "]:" pairs: every link reference definition's label ends with one
}

// LimitError says which limit a document passes, and where.
type LimitError struct {
	Pos   int    // offset of the byte that passes the limit
	Limit string // "depth", "links", "footnotes" or "definitions"
	Max   int
}

func (e *LimitError) Error() string {
	return "document passes its " + e.Limit + " limit"
}

// CheckLimits reports the first limit src passes, in the order depth,
// links, footnotes, definitions; nil when it keeps to all. Every count is
// at least what goldmark would find (FuzzCheckLimits holds it to that),
// never less: a count that could fall short would let through what the
// limit is there to stop. Its cost is a pass over the bytes.
func CheckLimits(src []byte, l Limits) *LimitError {
	if l.Depth > 0 {
		if at := tooDeep(src, l.Depth); at >= 0 {
			return &LimitError{Pos: at, Limit: "depth", Max: l.Depth}
		}
	}
	for _, c := range [...]struct {
		name, sep string
		max       int
	}{
		{"links", "[", l.Links},
		{"footnotes", "[^", l.Footnotes},
		{"definitions", "]:", l.Definitions},
	} {
		if c.max > 0 && bytes.Count(src, []byte(c.sep)) > c.max {
			return &LimitError{Pos: nth(src, c.sep, c.max), Limit: c.name, Max: c.max}
		}
	}
	return nil
}

// nth returns the offset of the n-th (0-based) sep in src, which has more.
func nth(src []byte, sep string, n int) int {
	at := 0
	for ; n > 0; n-- {
		at += bytes.Index(src[at:], []byte(sep)) + len(sep)
	}
	return at + bytes.Index(src[at:], []byte(sep))
}

// tooDeep returns the offset where the nesting of src passes max, or -1.
//
// A container is opened on a line that continues every container around
// it: each block quote by a '>' on the line, each list item by the
// columns it is indented by (its marker and the space after it at least:
// two columns), or by its marker on the line itself. So the depth a line
// can open is at most the '>' in its prefix (the spaces, tabs, '>' and
// list markers it starts with) and half its other columns, rounded up.
// Only a line whose prefix holds a '>' or a marker opens anything. A tab
// counts four columns, the most it can be. Laziness, fences and the like
// can only make goldmark's depth smaller than this.
func tooDeep(src []byte, max int) int {
	for at := 0; at < len(src); {
		end := lineEnd(src, at)
		if i := prefixPasses(src[at:end], max); i >= 0 {
			return at + i
		}
		at = end + 1
	}
	return -1
}

// prefixPasses returns the offset in line of the '>' or list marker at
// which the depth line's prefix can open passes max, or -1.
func prefixPasses(line []byte, max int) int {
	quotes, cols := 0, 0
	for i := 0; i < len(line); {
		start := i
		switch c := line[i]; {
		case c == ' ':
			cols++
			i++
			continue
		case c == '\t':
			cols += 4
			i++
			continue
		case c == '>':
			quotes++
			i++
			if i < len(line) && line[i] == ' ' {
				i++ // part of the marker, as CommonMark has it
			}
		default:
			w := listMarker(line[i:])
			if w == 0 {
				return -1
			}
			cols += w
			if i+w == len(line) {
				cols++ // an empty item: "-" alone is as deep as "- "
			}
			i += w
		}
		if quotes+(cols+1)/2 > max {
			return start
		}
	}
	return -1
}

// listMarker returns the width of the list marker line starts with ("-",
// "*", "+", or up to nine digits and '.' or ')'), when a space, a tab or
// the end of the line follows it; 0 otherwise.
func listMarker(line []byte) int {
	w := 0
	switch {
	case len(line) > 0 && (line[0] == '-' || line[0] == '*' || line[0] == '+'):
		w = 1
	default:
		for w < len(line) && w < 9 && line[w] >= '0' && line[w] <= '9' {
			w++
		}
		if w == 0 || w == len(line) || (line[w] != '.' && line[w] != ')') {
			return 0
		}
		w++
	}
	if w < len(line) && line[w] != ' ' && line[w] != '\t' {
		return 0
	}
	return w
}

// lineEnd returns the offset of the newline ending the line at offset at
// of src, or len(src) for the last line without one.
func lineEnd(src []byte, at int) int {
	if end := bytes.IndexByte(src[at:], '\n'); end >= 0 {
		return at + end
	}
	return len(src)
}
