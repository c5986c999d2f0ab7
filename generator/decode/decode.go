// Package decode decodes TOML into Go structs strictly and records where
// every key sits, so later checks can point at the exact key.
//
// BurntSushi/toml parses the syntax into a generic map; decode maps that
// map onto structs itself, so that an unknown key, a wrong type or a missing
// required key is reported at the offending key (its own line, even in the
// third [[member]] of a file), and every problem is reported, not the first.
// The parser cannot say where a key sits (its MetaData has no public
// position API and reuses positions across [[x]] elements), so a small
// scanner over the source records the positions.
//
// # Targets
//
// Decode fills the exported fields tagged `toml:"name"` or
// `toml:"name,required"`; untagged fields and fields tagged `toml:"-"` are
// left alone. A field may be a string, bool, int, int64, float64 (TOML
// integers are accepted too), [Date], []string (a single string counts as a
// one-element list, so `members = "all"` works), a struct (a table), a
// pointer to a struct (an optional table, nil when absent), a slice of
// structs (an array of tables, [[x]] or an inline array of inline tables)
// or map[string]string. A field of type [Meta] receives the positions of
// its table. Any other field type is a programming error: Decode panics on
// it whatever the input, so a test run with any input finds it.
//
// # Positions
//
// Positions are 1-based lines and 1-based byte columns, as in package diag.
// A leading UTF-8 byte order mark is dropped before anything is counted, so
// the first character after it is line 1, column 1, as editors show it. A
// tab counts as one byte. CRLF line endings need nothing special: the CR is
// the last byte of its line, and a line ends at its LF.
//
// A key sits at its first character; each part of a dotted key a.b.c sits
// at its own first character. A table sits at its header (the "[" of
// [theme] or [[member]]); a table made by a dotted key or an inline table
// sits at the key that makes it; a table that is an element of an inline
// array sits at its "{"; the root table sits at its first key, or at 1:1
// when the file is empty. A super-table named only inside a header, such as
// a in [a.b], sits at that header.
package decode

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"govpack/generator/diag"
)

// Meta records where a TOML table and its keys sit. Decode fills a struct
// field of type Meta (conventionally embedded, tagged `toml:"-"`).
type Meta struct {
	Pos  diag.Pos            // the table (see the package comment)
	Keys map[string]diag.Pos // each key by name; array elements as "name[i]", 0-based
}

// At returns the position of key, or of element "key[i]", falling back to
// key, then to the table, so a check always has somewhere to point.
func (m Meta) At(key string) diag.Pos {
	if p, ok := m.Keys[key]; ok {
		return p
	}
	if i := strings.LastIndexByte(key, '['); i > 0 && strings.HasSuffix(key, "]") {
		if p, ok := m.Keys[key[:i]]; ok {
			return p
		}
	}
	return m.Pos
}

// Date is a TOML local date such as 2026-03-01. A date-time is not a Date:
// governance dates have no time of day, and accepting one would hide a
// typo'd value.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// String formats d as 2006-01-02, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Decode parses src, the contents of file (a slash path relative to the
// pack, used in positions), and stores it into v, a pointer to a struct.
// It reports every problem it finds, not just the first, in file order; a
// syntax error is the one exception, as nothing after it can be trusted.
func Decode(file string, src []byte, v any) diag.List {
	return decode(file, src, v, false)
}

// DecodePlain is Decode always with the full parser, never the fast path
// for simple documents: the same result, to check that it is.
func DecodePlain(file string, src []byte, v any) diag.List {
	return decode(file, src, v, true)
}

func decode(file string, src []byte, v any, plain bool) diag.List {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("decode: Decode needs a non-nil pointer to a struct, not %T", v))
	}
	checkType(rv.Elem().Type(), map[reflect.Type]bool{})

	src = trimBOM(src)
	lines := diag.NewLineIndex(file, src)
	if bytes.HasPrefix(src, []byte("\xff\xfe")) || bytes.HasPrefix(src, []byte("\xfe\xff")) {
		// The parser would skip a UTF-16 byte order mark and shift every
		// position; say what is wrong instead.
		return diag.List{diag.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, diag.RuleTOMLSyntax, "file starts with a UTF-16 byte order mark; TOML files must be UTF-8")}
	}
	// Scan first: the scanner copes with any input, and it spares the
	// parser nesting deep enough to exhaust memory.
	locs, tooDeep := scan(src, lines)
	if tooDeep >= 0 {
		return diag.List{diag.Errorf(lines.Pos(tooDeep), diag.RuleTOMLSyntax, "keys and values nest more than %d levels deep", maxDepth)}
	}
	var raw map[string]any
	simple := false
	if !plain {
		raw, simple = parseSimple(src)
	}
	if !simple {
		if _, err := toml.Decode(string(src), &raw); err != nil {
			return diag.List{syntaxError(file, src, lines, err)}
		}
	}
	d := &decoder{locs: locs}
	d.table(raw, place{pos: d.rootPos(raw, file)}, rv.Elem())
	d.diags.Sort() // in file order, as a reader goes through the file
	return d.diags
}

func trimBOM(src []byte) []byte {
	return bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
}

// syntaxError maps a parse error to a diagnostic. The error's byte offset
// is used rather than its Line and Col: the parser computes those two
// separately and they disagree at line ends (an unclosed [[node] on line 1
// comes back as line 2, column 7), while the offset is exact.
func syntaxError(file string, src []byte, lines *diag.LineIndex, err error) diag.Diagnostic {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return diag.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, diag.RuleTOMLSyntax, "%s", parseMessage(err.Error()))
	}
	var pos diag.Pos
	if p := pe.Position; p.Start >= 0 && p.Start <= len(src) {
		pos = lines.Pos(p.Start)
	} else {
		pos = clampPos(file, src, p.Line, p.Col)
	}
	return diag.Errorf(pos, diag.RuleTOMLSyntax, "%s", parseMessage(pe.Message))
}

// clampPos returns line:col moved inside src, for a parse error whose
// offset is unusable.
func clampPos(file string, src []byte, line, col int) diag.Pos {
	all := bytes.Split(src, []byte("\n"))
	line = min(max(line, 1), len(all))
	col = min(max(col, 1), len(all[line-1])+1)
	return diag.Pos{File: file, Line: line, Col: col}
}

// parseMessage turns the parser's message into a diagnostic message:
// first line only, no "toml: " prefix, lowercase start (unless the first
// word is an acronym), no trailing period.
func parseMessage(s string) string {
	s = strings.TrimPrefix(s, "toml: ")
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(strings.TrimSpace(s), ".")
	if s != "" && isUpper(s[0]) && (len(s) < 2 || !isUpper(s[1])) {
		s = strings.ToLower(s[:1]) + s[1:]
	}
	if s == "" {
		s = "invalid TOML"
	}
	return s
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
