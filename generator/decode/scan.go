package decode

import (
	"fmt"
	"strings"

	"govpack/generator/diag"
)

// scan records the position of every table header, key and array element
// of a TOML document, by path: "member[2]" is the third [[member]] header,
// "member[2].holders[1]" the second element of its holders. It runs on
// input the parser accepted, so it can be lenient, but it must end and
// never panic on any input.
func scan(src []byte, lines *diag.LineIndex) map[string]diag.Pos {
	s := &scanner{src: src, lines: lines, locs: map[string]diag.Pos{}, arrays: map[string]int{}}
	s.run()
	return s.locs
}

type scanner struct {
	src    []byte
	i      int
	lines  *diag.LineIndex
	locs   map[string]diag.Pos
	arrays map[string]int // path of an array of tables → index of its last element
	table  string         // path of the current table
}

func (s *scanner) record(path string, off int) {
	if _, ok := s.locs[path]; !ok {
		s.locs[path] = s.lines.Pos(off)
	}
}

func (s *scanner) peek(k int) byte {
	if s.i+k < len(s.src) {
		return s.src[s.i+k]
	}
	return 0
}

func (s *scanner) run() {
	for s.i < len(s.src) {
		start := s.i
		s.skipSpace(false)
		switch c := s.peek(0); {
		case s.i >= len(s.src):
		case c == '\n' || c == '\r':
			s.i++
		case c == '#':
			s.skipLine()
		case c == '[':
			s.header()
		default:
			s.keyValue(s.table)
			s.skipLine()
		}
		if s.i == start {
			s.i++ // always make progress
		}
	}
}

// skipSpace skips blanks, and newlines and comments too when multiline.
func (s *scanner) skipSpace(multiline bool) {
	for s.i < len(s.src) {
		switch c := s.src[s.i]; {
		case c == ' ' || c == '\t':
			s.i++
		case multiline && (c == '\n' || c == '\r'):
			s.i++
		case multiline && c == '#':
			s.skipLine()
		default:
			return
		}
	}
}

func (s *scanner) skipLine() {
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.i++
	}
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// header reads [table] or [[array.of.tables]].
func (s *scanner) header() {
	off := s.i
	double := s.peek(1) == '['
	s.i++
	if double {
		s.i++
	}
	s.skipSpace(false)
	parts := s.key()
	s.skipLine()
	if len(parts) == 0 {
		return
	}
	cur := ""
	for _, p := range parts[:len(parts)-1] {
		cur = join(cur, p.name)
		if idx, ok := s.arrays[cur]; ok {
			cur = fmt.Sprintf("%s[%d]", cur, idx)
		}
	}
	full := join(cur, parts[len(parts)-1].name)
	if double {
		idx := 0
		if last, ok := s.arrays[full]; ok {
			idx = last + 1
		}
		s.arrays[full] = idx
		full = fmt.Sprintf("%s[%d]", full, idx)
	}
	s.record(full, off)
	s.table = full
}

type keyPart struct {
	name string
	off  int
}

// key reads a possibly dotted, possibly quoted key.
func (s *scanner) key() []keyPart {
	var parts []keyPart
	for s.i < len(s.src) {
		s.skipSpace(false)
		off := s.i
		var name string
		switch s.peek(0) {
		case '"':
			name = s.basicString()
		case '\'':
			name = s.literalString()
		default:
			start := s.i
			for s.i < len(s.src) && isBareKey(s.src[s.i]) {
				s.i++
			}
			name = string(s.src[start:s.i])
		}
		if s.i == off {
			return parts
		}
		parts = append(parts, keyPart{name: name, off: off})
		s.skipSpace(false)
		if s.peek(0) != '.' {
			return parts
		}
		s.i++
	}
	return parts
}

func isBareKey(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// keyValue reads key = value inside the table at prefix.
func (s *scanner) keyValue(prefix string) {
	parts := s.key()
	if len(parts) == 0 {
		return
	}
	path := prefix
	for _, p := range parts {
		path = join(path, p.name)
		s.record(path, parts[0].off)
	}
	s.skipSpace(false)
	if s.peek(0) != '=' {
		return
	}
	s.i++
	s.skipSpace(false)
	s.value(path)
}

// value reads one value, recording array elements and inline-table keys.
func (s *scanner) value(path string) {
	switch c := s.peek(0); c {
	case '"':
		s.basicString()
	case '\'':
		s.literalString()
	case '[':
		s.i++
		for n := 0; s.i < len(s.src); n++ {
			s.skipSpace(true)
			if s.peek(0) == ']' {
				s.i++
				return
			}
			elem := fmt.Sprintf("%s[%d]", path, n)
			s.record(elem, s.i)
			start := s.i
			s.value(elem)
			s.skipSpace(true)
			if s.peek(0) == ',' {
				s.i++
			} else if s.peek(0) != ']' && s.i == start {
				s.i++
			}
		}
	case '{':
		s.i++
		for s.i < len(s.src) {
			s.skipSpace(false)
			switch s.peek(0) {
			case '}':
				s.i++
				return
			case ',':
				s.i++
				continue
			case '\n', 0:
				return
			}
			start := s.i
			s.keyValue(path)
			if s.i == start {
				s.i++
			}
		}
	default:
		for s.i < len(s.src) {
			c := s.src[s.i]
			if c == ',' || c == ']' || c == '}' || c == '\n' || c == '#' || c == '\r' {
				return
			}
			s.i++
		}
	}
}

// basicString reads "..." or """...""" and returns its raw contents.
func (s *scanner) basicString() string {
	if strings.HasPrefix(string(s.src[s.i:min(s.i+3, len(s.src))]), `"""`) {
		s.i += 3
		start := s.i
		for s.i < len(s.src) {
			if s.src[s.i] == '\\' {
				s.i += 2
				continue
			}
			if strings.HasPrefix(string(s.src[s.i:min(s.i+3, len(s.src))]), `"""`) {
				end := s.i
				s.i += 3
				for s.peek(0) == '"' { // up to two quotes may end the content
					s.i++
				}
				return string(s.src[start:end])
			}
			s.i++
		}
		s.i = min(s.i, len(s.src))
		return ""
	}
	s.i++
	start := s.i
	for s.i < len(s.src) && s.src[s.i] != '"' && s.src[s.i] != '\n' {
		if s.src[s.i] == '\\' {
			s.i++
		}
		s.i++
	}
	s.i = min(s.i, len(s.src))
	end := s.i
	if s.peek(0) == '"' {
		s.i++
	}
	return unescape(string(s.src[start:end]))
}

// literalString reads '...' or ”'...”'.
func (s *scanner) literalString() string {
	if strings.HasPrefix(string(s.src[s.i:min(s.i+3, len(s.src))]), "'''") {
		s.i += 3
		rest := string(s.src[s.i:])
		end := strings.Index(rest, "'''")
		if end < 0 {
			s.i = len(s.src)
			return ""
		}
		s.i += end + 3
		for s.peek(0) == '\'' {
			s.i++
		}
		return rest[:end]
	}
	s.i++
	start := s.i
	for s.i < len(s.src) && s.src[s.i] != '\'' && s.src[s.i] != '\n' {
		s.i++
	}
	end := s.i
	if s.peek(0) == '\'' {
		s.i++
	}
	return string(s.src[start:end])
}

// unescape resolves the escapes a quoted key may hold; keys with unusual
// escapes only lose their position, never their decoding.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	r := strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\t`, "\t", `\n`, "\n", `\r`, "\r", `\b`, "\b", `\f`, "\f")
	return r.Replace(s)
}
