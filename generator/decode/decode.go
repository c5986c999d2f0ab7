// Package decode decodes TOML into Go structs strictly and records where
// every key sits, so later checks can point at the exact key.
//
// BurntSushi/toml parses the syntax; decode maps the result onto structs
// itself, so that an unknown key, a wrong type or a missing key is reported
// with the position of the offending key (its own line, even in the third
// [[member]] of a file), and every problem is reported, not the first.
//
// Positions are 1-based lines and 1-based byte columns. A leading byte order
// mark is dropped before anything is counted; CRLF line endings count as
// LF (the CR is the last byte of its line).
package decode

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"govpack/generator/diag"
)

// Meta records where a TOML table and its keys sit. Decode fills a struct
// field of type Meta tagged `toml:"-"`.
type Meta struct {
	Pos  diag.Pos            // the table header, or the first key of a table without one
	Keys map[string]diag.Pos // each key by name; array elements as "name[i]"
}

// At returns the position of key (or "key[i]"), falling back to key, then
// to the table.
func (m Meta) At(key string) diag.Pos {
	if p, ok := m.Keys[key]; ok {
		return p
	}
	if i := strings.IndexByte(key, '['); i > 0 {
		if p, ok := m.Keys[key[:i]]; ok {
			return p
		}
	}
	return m.Pos
}

// Date is a TOML local date.
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

// Rules reported by Decode.
const (
	RuleSyntax     = "toml/syntax"
	RuleUnknownKey = "toml/unknown-key"
	RuleType       = "toml/type"
	RuleMissingKey = "toml/missing-key"
)

var (
	metaType = reflect.TypeOf(Meta{})
	dateType = reflect.TypeOf(Date{})
)

// Decode parses src, the contents of file (a slash path relative to the
// pack, used in positions), and stores it into v, a pointer to a struct.
// It reports every problem it finds, not just the first.
func Decode(file string, src []byte, v any) diag.List {
	src = trimBOM(src)
	lines := diag.NewLineIndex(file, src)
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			pos := diag.Pos{File: file, Line: max(pe.Position.Line, 1), Col: max(pe.Position.Col, 1)}
			if pe.Position.Start >= 0 && pe.Position.Start <= len(src) && pe.Position.Line > 0 {
				pos = lines.Pos(pe.Position.Start)
			}
			return diag.List{diag.Errorf(pos, RuleSyntax, "%s", parseMessage(pe.Message))}
		}
		return diag.List{diag.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, RuleSyntax, "%s", parseMessage(err.Error()))}
	}
	d := &decoder{file: file, locs: scan(src, lines)}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		panic("decode: Decode needs a pointer to a struct")
	}
	d.table(raw, "", "", rv.Elem())
	return d.diags
}

func trimBOM(src []byte) []byte {
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		return src[3:]
	}
	return src
}

// parseMessage turns the parser's message into a diagnostic message:
// lowercase start, no "toml: " prefix, no trailing period.
func parseMessage(s string) string {
	s = strings.TrimPrefix(s, "toml: ")
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(strings.TrimSpace(s), ".")
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' && (len(s) < 2 || s[1] < 'A' || s[1] > 'Z') {
		s = strings.ToLower(s[:1]) + s[1:]
	}
	if s == "" {
		s = "invalid TOML"
	}
	return s
}

type decoder struct {
	file  string
	locs  map[string]diag.Pos
	diags diag.List
}

// pos returns the position recorded for a path, or the file's start.
func (d *decoder) pos(path string) diag.Pos {
	if p, ok := d.locs[path]; ok {
		return p
	}
	return diag.Pos{File: d.file, Line: 1, Col: 1}
}

type field struct {
	name     string
	required bool
	index    int
}

// fields lists the TOML keys of a struct type and its Meta field.
func fields(t reflect.Type) (keys []field, meta int) {
	meta = -1
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("toml")
		if f.Type == metaType {
			meta = i
			continue
		}
		if tag == "" || tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		keys = append(keys, field{name: name, required: opts == "required", index: i})
	}
	return keys, meta
}

// table decodes the TOML table m, found at path (e.g. "member[2]") and
// shown to users as display (e.g. "[[member]]"), into the struct rv.
func (d *decoder) table(m map[string]any, path, display string, rv reflect.Value) {
	keys, metaIdx := fields(rv.Type())
	prefix := path
	if prefix != "" {
		prefix += "."
	}
	if metaIdx >= 0 {
		meta := Meta{Keys: map[string]diag.Pos{}}
		if p, ok := d.locs[path]; ok && path != "" {
			meta.Pos = p
		}
		first := diag.Pos{}
		for k := range m {
			if p, ok := d.locs[prefix+k]; ok {
				meta.Keys[k] = p
				if !first.IsValid() || p.Line < first.Line || p.Line == first.Line && p.Col < first.Col {
					first = p
				}
				if arr, ok := m[k].([]any); ok {
					for i := range arr {
						if p, ok := d.locs[fmt.Sprintf("%s%s[%d]", prefix, k, i)]; ok {
							meta.Keys[fmt.Sprintf("%s[%d]", k, i)] = p
						}
					}
				}
			}
		}
		if !meta.Pos.IsValid() {
			meta.Pos = first
		}
		if !meta.Pos.IsValid() {
			meta.Pos = diag.Pos{File: d.file, Line: 1, Col: 1}
		}
		rv.Field(metaIdx).Set(reflect.ValueOf(meta))
	}
	byName := map[string]field{}
	for _, f := range keys {
		byName[f.name] = f
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		f, ok := byName[k]
		if !ok {
			d.unknown(k, path, display, keys)
			continue
		}
		d.value(m[k], prefix+k, k, display, rv.Field(f.index))
	}
	for _, f := range keys {
		val, ok := m[f.name]
		if !f.required {
			continue
		}
		if s, isStr := val.(string); !ok || isStr && strings.TrimSpace(s) == "" {
			pos := d.tablePos(path, m)
			if ok {
				pos = d.pos(prefix + f.name)
			}
			if display == "" {
				d.diags.Errorf(pos, RuleMissingKey, "missing required key %q", f.name)
			} else {
				d.diags.Errorf(pos, RuleMissingKey, "%s is missing required key %q", display, f.name)
			}
		}
	}
}

// tablePos is where a table starts: its header, or its first key.
func (d *decoder) tablePos(path string, m map[string]any) diag.Pos {
	if p, ok := d.locs[path]; ok && path != "" {
		return p
	}
	prefix := path
	if prefix != "" {
		prefix += "."
	}
	best := diag.Pos{}
	for k := range m {
		if p, ok := d.locs[prefix+k]; ok && (!best.IsValid() || p.Line < best.Line || p.Line == best.Line && p.Col < best.Col) {
			best = p
		}
	}
	if best.IsValid() {
		return best
	}
	return diag.Pos{File: d.file, Line: 1, Col: 1}
}

func (d *decoder) unknown(key, path, display string, known []field) {
	prefix := path
	if prefix != "" {
		prefix += "."
	}
	msg := fmt.Sprintf("unknown key %q", key)
	if display != "" {
		msg += " in " + display
	}
	if s := nearest(key, known); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	d.diags.Errorf(d.pos(prefix+key), RuleUnknownKey, "%s", msg)
}

// nearest returns the known key closest to key, if it is close enough to
// be a typo.
func nearest(key string, known []field) string {
	names := make([]string, len(known))
	for i, f := range known {
		names[i] = f.name
	}
	return Nearest(key, names)
}

// Nearest returns the candidate closest to s by edit distance when it is
// close enough to be a typo of s, or "". Ties go to the first candidate in
// sorted order, so suggestions are stable.
func Nearest(s string, candidates []string) string {
	best, bestDist := "", max(2, len(s)/3)+1
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestDist || d == bestDist && best != "" && c < best {
			best, bestDist = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// typeName names a decoded TOML value's type in users' words.
func typeName(v any) string {
	switch v := v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case time.Time:
		switch v.Location().String() {
		case "date-local":
			return "a date"
		case "time-local":
			return "a time"
		}
		return "a date-time"
	case []map[string]any:
		return "an array of tables"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

// value stores the TOML value v, found at path under key, into rv.
func (d *decoder) value(v any, path, key, display string, rv reflect.Value) {
	want := ""
	switch {
	case rv.Type() == dateType:
		if t, ok := v.(time.Time); ok && t.Location().String() == "date-local" {
			rv.Set(reflect.ValueOf(Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}))
			return
		}
		want = "a date such as 2026-03-01"
	case rv.Kind() == reflect.String:
		if s, ok := v.(string); ok {
			rv.SetString(s)
			return
		}
		want = "a string"
	case rv.Kind() == reflect.Bool:
		if b, ok := v.(bool); ok {
			rv.SetBool(b)
			return
		}
		want = "a boolean"
	case rv.Kind() == reflect.Int || rv.Kind() == reflect.Int64:
		if n, ok := v.(int64); ok && !rv.OverflowInt(n) {
			rv.SetInt(n)
			return
		}
		want = "an integer"
	case rv.Kind() == reflect.Float64:
		switch n := v.(type) {
		case float64:
			if !math.IsNaN(n) && !math.IsInf(n, 0) {
				rv.SetFloat(n)
				return
			}
			want = "a finite number"
		case int64:
			rv.SetFloat(float64(n))
			return
		default:
			want = "a number"
		}
	case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.String:
		switch arr := v.(type) {
		case string:
			rv.Set(reflect.ValueOf([]string{arr}))
			return
		case []any:
			out := make([]string, 0, len(arr))
			ok := true
			for i, e := range arr {
				s, isStr := e.(string)
				if !isStr {
					d.diags.Errorf(d.pos(fmt.Sprintf("%s[%d]", path, i)), RuleType, "element %d of key %q%s must be a string, not %s", i+1, key, in(display), typeName(e))
					ok = false
					continue
				}
				out = append(out, s)
			}
			if ok {
				rv.Set(reflect.ValueOf(out))
			}
			return
		}
		want = "an array of strings"
	case rv.Kind() == reflect.Map && rv.Type().Key().Kind() == reflect.String && rv.Type().Elem().Kind() == reflect.String:
		if m, ok := v.(map[string]any); ok {
			out := reflect.MakeMapWithSize(rv.Type(), len(m))
			for k, e := range m {
				s, isStr := e.(string)
				if !isStr {
					d.diags.Errorf(d.pos(path+"."+k), RuleType, "key %q in %s must be a string, not %s", k, tableDisplay(path), typeName(e))
					continue
				}
				out.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(s))
			}
			rv.Set(out)
			return
		}
		want = "a table of strings"
	case rv.Kind() == reflect.Struct:
		if m, ok := v.(map[string]any); ok {
			d.table(m, path, tableDisplay(path), rv)
			return
		}
		want = "a table"
	case rv.Kind() == reflect.Pointer && rv.Type().Elem().Kind() == reflect.Struct:
		if m, ok := v.(map[string]any); ok {
			p := reflect.New(rv.Type().Elem())
			d.table(m, path, tableDisplay(path), p.Elem())
			rv.Set(p)
			return
		}
		want = "a table"
	case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Struct:
		var tables []map[string]any
		switch arr := v.(type) {
		case []map[string]any:
			tables = arr
		case []any:
			for i, e := range arr {
				m, ok := e.(map[string]any)
				if !ok {
					d.diags.Errorf(d.pos(fmt.Sprintf("%s[%d]", path, i)), RuleType, "element %d of %q must be a table, not %s", i+1, key, typeName(e))
					continue
				}
				tables = append(tables, m)
			}
		default:
			want = "an array of tables, written [[" + key + "]]"
		}
		if want == "" {
			out := reflect.MakeSlice(rv.Type(), len(tables), len(tables))
			for i, m := range tables {
				p := fmt.Sprintf("%s[%d]", path, i)
				d.table(m, p, "[["+stripIndices(path)+"]]", out.Index(i))
			}
			rv.Set(reflect.AppendSlice(rv, out))
			return
		}
	default:
		panic(fmt.Sprintf("decode: unsupported field type %s for key %q", rv.Type(), key))
	}
	d.diags.Errorf(d.pos(path), RuleType, "key %q%s must be %s, not %s", key, in(display), want, typeName(v))
}

func in(display string) string {
	if display == "" {
		return ""
	}
	return " in " + display
}

// tableDisplay names a table as written: "theme" → "[theme]".
func tableDisplay(path string) string { return "[" + stripIndices(path) + "]" }

// stripIndices turns "a[2].b" into "a.b".
func stripIndices(path string) string {
	var b strings.Builder
	skip := false
	for _, c := range path {
		switch {
		case c == '[':
			skip = true
		case c == ']':
			skip = false
		case !skip:
			b.WriteRune(c)
		}
	}
	return b.String()
}
