package decode

import (
	"bytes"
	"strconv"
	"strings"

	"govpack/generator/diag"
)

// A path names a place in a TOML document: each key quoted, each array
// element indexed, as in ."member"[2]."holders"[1] for the second holder
// of the third [[member]]. Quoting keeps a key that contains a dot or a
// bracket apart from nesting, so two places never share a path.

// childPath is the path of key k of the table at path.
func childPath(path, k string) string { return path + "." + strconv.Quote(k) }

// elemPath is the path of element i of the array at path.
func elemPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// keyName writes a key as a user would in a table name: bare when it can
// be, quoted otherwise.
func keyName(k string) string {
	if k == "" {
		return `""`
	}
	for i := 0; i < len(k); i++ {
		if !isBareKey(k[i]) {
			return strconv.Quote(k)
		}
	}
	return k
}

func isBareKey(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// maxDepth bounds how deep keys and values may nest, counted in path
// components (each key and each array element is one). No governance data
// comes near it; the bound is there because the parser's time and memory
// grow with the square of the depth (a dotted key of 20,000 parts takes
// gigabytes), and because the scanner recurses on nesting.
const maxDepth = 200

// scan records the position of every table, key and array element of a
// TOML document by path (see childPath). Decode runs it only on input the
// parser accepted, so it can be lenient: it knows just enough TOML to find
// where keys start and where values end (strings of all four kinds,
// arrays and inline tables across lines, comments). On any input, valid or
// not, it ends and does not panic: every loop consumes at least one byte
// per turn.
//
// tooDeep is the offset of the first key or value nested deeper than
// maxDepth, or -1; nothing below that depth is recorded.
func scan(src []byte, lines *diag.LineIndex) (locs map[string]diag.Pos, tooDeep int) {
	s := &scanner{src: src, lines: lines, locs: map[string]diag.Pos{}, count: map[string]int{}, tooDeep: -1}
	s.document()
	return s.locs, s.tooDeep
}

type scanner struct {
	src   []byte
	i     int // offset of the next byte to read; never above len(src)
	lines *diag.LineIndex
	locs  map[string]diag.Pos
	count map[string]int // path of an array of tables → elements so far
	table string         // path of the table that keys belong to
	level int            // components in table
	// tooDeep is where nesting first exceeds maxDepth, or -1.
	tooDeep int
}

// deep reports whether level components are too many, noting where.
func (s *scanner) deep(level, off int) bool {
	if level <= maxDepth {
		return false
	}
	if s.tooDeep < 0 {
		s.tooDeep = off
	}
	return true
}

// define records where path is defined. Valid TOML defines a path once;
// a later definition wins over a mention so that [a] after [a.b] sits at
// its own header.
func (s *scanner) define(path string, off int) { s.locs[path] = s.lines.Pos(off) }

// mention records path only if nothing has yet: the implicit a of a.b = 1
// or of [a.b] sits where it first appears.
func (s *scanner) mention(path string, off int) {
	if _, ok := s.locs[path]; !ok {
		s.define(path, off)
	}
}

func (s *scanner) peek() byte {
	if s.i < len(s.src) {
		return s.src[s.i]
	}
	return 0
}

func (s *scanner) advance(n int) { s.i = min(s.i+n, len(s.src)) }

// has reports whether the input continues with prefix.
func (s *scanner) has(prefix string) bool {
	return len(s.src)-s.i >= len(prefix) && string(s.src[s.i:s.i+len(prefix)]) == prefix
}

// document reads top-level lines: headers, key/value pairs, comments.
func (s *scanner) document() {
	for s.i < len(s.src) {
		start := s.i
		s.blanks()
		switch s.peek() {
		case '\n', '\r':
			s.advance(1)
		case '#':
			s.skipLine()
		case '[':
			s.header()
			s.skipLine()
		default:
			s.keyValue(s.table, s.level)
			s.skipLine()
		}
		if s.i == start {
			s.advance(1)
		}
	}
}

// blanks skips spaces and tabs.
func (s *scanner) blanks() {
	for s.i < len(s.src) && (s.src[s.i] == ' ' || s.src[s.i] == '\t') {
		s.i++
	}
}

// space skips blanks, line ends and comments, as inside arrays and (since
// TOML 1.1) inline tables.
func (s *scanner) space() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		case '#':
			s.skipLine()
		default:
			return
		}
	}
}

// skipLine moves to the line end (the '\n' itself is left for the caller).
func (s *scanner) skipLine() {
	if j := bytes.IndexByte(s.src[s.i:], '\n'); j >= 0 {
		s.i += j
	} else {
		s.i = len(s.src)
	}
}

// header reads [table] or [[array.of.tables]] and makes it current.
func (s *scanner) header() {
	off := s.i
	s.advance(1)
	double := s.peek() == '['
	if double {
		s.advance(1)
	}
	parts := s.key()
	if len(parts) == 0 || s.deep(len(parts), parts[min(len(parts)-1, maxDepth)].off) {
		return
	}
	path := ""
	for j, p := range parts {
		path = childPath(path, p.name)
		s.mention(path, off)
		if j < len(parts)-1 {
			// [a.b] after [[a]] is a table in a's last element.
			if n, ok := s.count[path]; ok {
				path = elemPath(path, n-1)
			}
			continue
		}
		if double {
			n := s.count[path]
			s.count[path] = n + 1
			path = elemPath(path, n)
		}
		s.define(path, off)
	}
	s.table, s.level = path, len(parts)
}

type keyPart struct {
	name string
	off  int
}

// key reads a possibly dotted, possibly quoted key.
func (s *scanner) key() []keyPart {
	var parts []keyPart
	for s.i < len(s.src) {
		s.blanks()
		off := s.i
		var name string
		switch s.peek() {
		case '"':
			name = unescape(s.basicString())
		case '\'':
			name = s.literalString()
		default:
			for s.i < len(s.src) && isBareKey(s.src[s.i]) {
				s.i++
			}
			name = string(s.src[off:s.i])
		}
		if s.i == off {
			break
		}
		parts = append(parts, keyPart{name: name, off: off})
		s.blanks()
		if s.peek() != '.' {
			break
		}
		s.advance(1)
	}
	return parts
}

// keyValue reads key = value, the key relative to the table at table,
// which has level components.
func (s *scanner) keyValue(table string, level int) {
	parts := s.key()
	if len(parts) == 0 {
		return
	}
	if s.deep(level+len(parts), parts[min(len(parts)-1, max(maxDepth-level, 0))].off) {
		s.skipLine()
		return
	}
	path := table
	for j, p := range parts {
		path = childPath(path, p.name)
		if j < len(parts)-1 {
			s.mention(path, p.off)
		} else {
			s.define(path, p.off)
		}
	}
	s.blanks()
	if s.peek() != '=' {
		return
	}
	s.advance(1)
	s.blanks()
	s.value(path, level+len(parts))
}

// value reads one value at path, which has level components, recording
// array elements and the keys of inline tables.
func (s *scanner) value(path string, level int) {
	switch s.peek() {
	case '"':
		s.basicString()
	case '\'':
		s.literalString()
	case '[':
		if s.deep(level+1, s.i) {
			s.skipLine()
			return
		}
		s.advance(1)
		for n := 0; s.i < len(s.src); {
			s.space()
			switch s.peek() {
			case ']':
				s.advance(1)
				return
			case ',': // only in invalid input: a comma with no value
				s.advance(1)
				continue
			}
			start := s.i
			elem := elemPath(path, n)
			s.define(elem, s.i)
			s.value(elem, level+1)
			n++
			if s.i == start {
				s.advance(1)
			}
			s.space()
			if s.peek() == ',' {
				s.advance(1)
			}
		}
	case '{':
		s.advance(1)
		for s.i < len(s.src) {
			s.space()
			switch s.peek() {
			case '}':
				s.advance(1)
				return
			case ',':
				s.advance(1)
				continue
			}
			start := s.i
			s.keyValue(path, level)
			if s.i == start {
				s.advance(1)
			}
		}
	default: // number, boolean, date, time: up to the next delimiter (dates may hold a space)
		for s.i < len(s.src) && strings.IndexByte(",]}#\r\n", s.src[s.i]) < 0 {
			s.i++
		}
	}
}

// basicString reads "..." or """...""" and returns its raw contents.
func (s *scanner) basicString() string {
	if s.has(`"""`) {
		s.advance(3)
		start := s.i
		for s.i < len(s.src) {
			switch {
			case s.src[s.i] == '\\':
				s.advance(2)
			case s.has(`"""`):
				end := s.i
				s.advance(3)
				// """a""""" ends with the last three quotes; up to two
				// quotes before them belong to the contents.
				for k := 0; k < 2 && s.peek() == '"'; k++ {
					s.advance(1)
					end++
				}
				return string(s.src[start:end])
			default:
				s.i++
			}
		}
		return string(s.src[start:])
	}
	s.advance(1)
	start := s.i
	for s.i < len(s.src) && s.src[s.i] != '"' && s.src[s.i] != '\n' {
		if s.src[s.i] == '\\' && s.i+1 < len(s.src) && s.src[s.i+1] != '\n' {
			s.i++
		}
		s.i++
	}
	end := s.i
	if s.peek() == '"' {
		s.advance(1)
	}
	return string(s.src[start:end])
}

// literalString reads a literal string, one-line or multi-line, and
// returns its contents.
func (s *scanner) literalString() string {
	if s.has("'''") {
		s.advance(3)
		start := s.i
		j := bytes.Index(s.src[s.i:], []byte("'''"))
		if j < 0 {
			s.i = len(s.src)
			return string(s.src[start:])
		}
		s.advance(j + 3)
		end := start + j
		for k := 0; k < 2 && s.peek() == '\''; k++ {
			s.advance(1)
			end++
		}
		return string(s.src[start:end])
	}
	s.advance(1)
	start := s.i
	for s.i < len(s.src) && s.src[s.i] != '\'' && s.src[s.i] != '\n' {
		s.i++
	}
	end := s.i
	if s.peek() == '\'' {
		s.advance(1)
	}
	return string(s.src[start:end])
}

// unescape resolves the escapes of a basic string, for quoted keys. An
// escape it cannot read stays as written: the key then only loses its
// position, which falls back to its table's.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case '"', '\\':
			b.WriteByte(e)
		case 'x', 'u', 'U':
			n := 2 // hex digits
			switch e {
			case 'u':
				n = 4
			case 'U':
				n = 8
			}
			if i+n < len(s) {
				if r, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32); err == nil {
					b.WriteRune(rune(r))
					i += n
					break
				}
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String()
}
