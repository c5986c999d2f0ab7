package decode

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"time"

	"govpack/generator/diag"
)

var (
	metaType = reflect.TypeFor[Meta]()
	dateType = reflect.TypeFor[Date]()
)

// field is one TOML key of a target struct.
type field struct {
	name     string
	required bool
	index    int
}

// Key is a TOML key of a struct type Decode fills.
type Key struct {
	Name  string // the key as written in TOML
	Index int    // of the struct field that holds it
}

// Keys lists the TOML keys of struct type t, in field order: the fields
// tagged with a key name, never the Meta that records positions. Code that
// walks a decoded struct key by key (merging, comparing) reads them here,
// so it skips exactly what Decode skips.
func Keys(t reflect.Type) []Key {
	fs, _ := fields(t)
	keys := make([]Key, len(fs))
	for i, f := range fs {
		keys[i] = Key{f.name, f.index}
	}
	return keys
}

// fields lists the TOML keys of struct type t and the index of its Meta
// field (-1 when it has none). checkType has vetted t.
func fields(t reflect.Type) (keys []field, meta int) {
	meta = -1
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type == metaType {
			meta = i
			continue
		}
		tag := f.Tag.Get("toml")
		if tag == "" || tag == "-" {
			continue
		}
		name, opt, _ := strings.Cut(tag, ",")
		keys = append(keys, field{name: name, required: opt == "required", index: i})
	}
	return keys, meta
}

// checkType panics when struct type t, or a struct it holds, has a field
// Decode cannot fill. Checking the whole type up front, rather than when a
// key shows up, makes a bad Go struct fail on every input, not only on the
// input that happens to use the bad field.
func checkType(t reflect.Type, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	names := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, tagged := f.Tag.Lookup("toml")
		if f.Type == metaType || !tagged || tag == "-" {
			continue
		}
		bad := func(why string) {
			panic(fmt.Sprintf("decode: field %s.%s (%s): %s", t, f.Name, tag, why))
		}
		if !f.IsExported() {
			bad("unexported field with a toml tag")
		}
		name, opt, _ := strings.Cut(tag, ",")
		switch {
		case name == "":
			bad("empty key name")
		case opt != "" && opt != "required":
			bad("unknown tag option " + opt)
		case names[name]:
			bad("key used twice")
		}
		names[name] = true
		if sub := elemStruct(f.Type); sub != nil {
			checkType(sub, seen)
		} else if !scalar(f.Type) {
			bad("unsupported type " + f.Type.String())
		}
	}
}

// elemStruct returns the struct type a table-like field holds: T, *T or []T.
func elemStruct(t reflect.Type) reflect.Type {
	if t == dateType {
		return nil
	}
	switch {
	case t.Kind() == reflect.Struct:
		return t
	case (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice) && t.Elem().Kind() == reflect.Struct && t.Elem() != dateType && t.Elem() != metaType:
		return t.Elem()
	}
	return nil
}

// scalar reports whether t is a supported non-table field type.
func scalar(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Float64:
		return true
	case reflect.Slice:
		return t.Elem().Kind() == reflect.String
	case reflect.Map:
		return t.Key().Kind() == reflect.String && t.Elem().Kind() == reflect.String
	}
	return t == dateType
}

type decoder struct {
	locs  map[string]diag.Pos // from scan
	diags diag.List
}

// place is a table being decoded.
type place struct {
	path  string   // scanner path, see childPath
	name  string   // dotted name as the user writes it; "" for the root
	array bool     // an element of an array of tables
	pos   diag.Pos // where the table sits
}

// String names the table as the user wrote it: [theme], [[member]].
func (p place) String() string {
	if p.array {
		return "[[" + p.name + "]]"
	}
	return "[" + p.name + "]"
}

// in is " in [[member]]" for a message about a key of p, or "" at the root.
func (p place) in() string {
	if p.name == "" {
		return ""
	}
	return " in " + p.String()
}

// child is the place of the table at key k of p.
func (d *decoder) child(p place, k string, array bool) place {
	c := place{path: childPath(p.path, k), name: keyName(k), array: array}
	if p.name != "" {
		c.name = p.name + "." + c.name
	}
	c.pos = d.at(c.path, p.pos)
	return c
}

// at returns the position recorded for path, or fallback.
func (d *decoder) at(path string, fallback diag.Pos) diag.Pos {
	if p, ok := d.locs[path]; ok {
		return p
	}
	return fallback
}

// rootPos is where the root table sits: its first key.
func (d *decoder) rootPos(m map[string]any, file string) diag.Pos {
	var best diag.Pos
	for k := range m {
		if p, ok := d.locs[childPath("", k)]; ok && (!best.IsValid() || before(p, best)) {
			best = p
		}
	}
	if !best.IsValid() {
		best = diag.Pos{File: file, Line: 1, Col: 1}
	}
	return best
}

func before(a, b diag.Pos) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
}

// table decodes the TOML table m, at p, into the struct rv.
func (d *decoder) table(m map[string]any, p place, rv reflect.Value) {
	keys, metaIdx := fields(rv.Type())
	if metaIdx >= 0 {
		rv.Field(metaIdx).Set(reflect.ValueOf(d.meta(m, p)))
	}
	byName := make(map[string]field, len(keys))
	for _, f := range keys {
		byName[f.name] = f
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names) // diagnostics in a stable order
	for _, k := range names {
		f, ok := byName[k]
		if !ok {
			d.unknown(k, p, keys)
			continue
		}
		d.value(m[k], k, p, rv.Field(f.index))
	}
	for _, f := range keys {
		if !f.required {
			continue
		}
		v, ok := m[f.name]
		if s, isStr := v.(string); ok && (!isStr || strings.TrimSpace(s) != "") {
			continue
		}
		pos := p.pos
		if ok { // present but empty: point at the empty value's key
			pos = d.at(childPath(p.path, f.name), p.pos)
		}
		if p.name == "" {
			d.diags.Errorf(pos, diag.RuleTOMLMissingKey, "missing required key %q", f.name)
		} else {
			d.diags.Errorf(pos, diag.RuleTOMLMissingKey, "%s is missing required key %q", p, f.name)
		}
	}
}

// meta collects the positions of table m and of its keys and elements.
func (d *decoder) meta(m map[string]any, p place) Meta {
	meta := Meta{Pos: p.pos, Keys: make(map[string]diag.Pos, len(m))}
	for k, v := range m {
		path := childPath(p.path, k)
		if pos, ok := d.locs[path]; ok {
			meta.Keys[k] = pos
		}
		n := 0
		switch v := v.(type) {
		case []any:
			n = len(v)
		case []map[string]any:
			n = len(v)
		}
		for i := range n {
			if pos, ok := d.locs[elemPath(path, i)]; ok {
				meta.Keys[fmt.Sprintf("%s[%d]", k, i)] = pos
			}
		}
	}
	return meta
}

func (d *decoder) unknown(key string, p place, known []field) {
	names := make([]string, len(known))
	for i, f := range known {
		names[i] = f.name
	}
	msg := fmt.Sprintf("unknown key %q%s", key, p.in())
	if s := Nearest(key, names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	d.diags.Errorf(d.at(childPath(p.path, key), p.pos), diag.RuleTOMLUnknownKey, "%s", msg)
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
	return "a value"
}

// value stores v, the TOML value at key of table p, into rv.
func (d *decoder) value(v any, key string, p place, rv reflect.Value) {
	t := rv.Type()
	var want string // what v should have been; "" when it was decoded or reported
	switch k := t.Kind(); {
	case t == dateType || k == reflect.String || k == reflect.Bool || k == reflect.Int || k == reflect.Int64 || k == reflect.Float64:
		want = setScalar(v, rv)
	case k == reflect.Slice && t.Elem().Kind() == reflect.String:
		want = d.stringList(v, key, p, rv)
	case k == reflect.Map:
		want = d.stringMap(v, key, p, rv)
	case k == reflect.Struct || k == reflect.Pointer:
		want = d.subTable(v, key, p, rv)
	case k == reflect.Slice:
		want = d.tableArray(v, key, p, rv)
	default:
		panic(fmt.Sprintf("decode: unsupported field type %s for key %q", t, key)) // checkType lets none through
	}
	if want != "" {
		d.diags.Errorf(d.at(childPath(p.path, key), p.pos), diag.RuleTOMLType, "key %q%s must be %s, not %s", key, p.in(), want, typeName(v))
	}
}

// setScalar sets rv, a date, string, boolean, integer or number, from v,
// or says what v should have been.
func setScalar(v any, rv reflect.Value) (want string) {
	t := rv.Type()
	switch {
	case t == dateType:
		if tm, ok := v.(time.Time); ok && tm.Location().String() == "date-local" {
			rv.Set(reflect.ValueOf(Date{Year: tm.Year(), Month: tm.Month(), Day: tm.Day()}))
			return ""
		}
		return "a date such as 2026-03-01"
	case t.Kind() == reflect.String:
		if s, ok := v.(string); ok {
			rv.SetString(s)
			return ""
		}
		return "a string"
	case t.Kind() == reflect.Bool:
		if b, ok := v.(bool); ok {
			rv.SetBool(b)
			return ""
		}
		return "a boolean"
	case t.Kind() == reflect.Float64:
		switch n := v.(type) {
		case int64:
			rv.SetFloat(float64(n))
			return ""
		case float64:
			// nan and inf parse, but no governance quantity is either,
			// and they would slip through every range check.
			if !math.IsNaN(n) && !math.IsInf(n, 0) {
				rv.SetFloat(n)
				return ""
			}
			return "a finite number"
		}
		return "a number"
	}
	if n, ok := v.(int64); ok && !rv.OverflowInt(n) {
		rv.SetInt(n)
		return ""
	}
	return "an integer"
}

// stringList sets rv, a list of strings, from a string or an array of
// them; each element that is not a string is reported where it is.
func (d *decoder) stringList(v any, key string, p place, rv reflect.Value) (want string) {
	t := rv.Type()
	switch v := v.(type) {
	case string:
		out := reflect.MakeSlice(t, 1, 1)
		out.Index(0).SetString(v)
		rv.Set(out)
		return ""
	case []any:
		path := childPath(p.path, key)
		pos := d.at(path, p.pos)
		out := reflect.MakeSlice(t, 0, len(v))
		ok := true
		for i, e := range v {
			s, isStr := e.(string)
			if !isStr {
				d.diags.Errorf(d.at(elemPath(path, i), pos), diag.RuleTOMLType, "element %d of key %q%s must be a string, not %s", i+1, key, p.in(), typeName(e))
				ok = false
				continue
			}
			out = reflect.Append(out, reflect.ValueOf(s).Convert(t.Elem()))
		}
		if ok {
			rv.Set(out)
		}
		return ""
	}
	return "a string or an array of strings"
}

// stringMap sets rv, a map of strings, from a table; each value that is
// not a string is reported at its key.
func (d *decoder) stringMap(v any, key string, p place, rv reflect.Value) (want string) {
	m, ok := v.(map[string]any)
	if !ok {
		return "a table"
	}
	t := rv.Type()
	c := d.child(p, key, false)
	out := reflect.MakeMapWithSize(t, len(m))
	for k, e := range m {
		s, isStr := e.(string)
		if !isStr {
			d.diags.Errorf(d.at(childPath(c.path, k), c.pos), diag.RuleTOMLType, "key %q in %s must be a string, not %s", k, c, typeName(e))
			continue
		}
		out.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), reflect.ValueOf(s).Convert(t.Elem()))
	}
	rv.Set(out)
	return ""
}

// subTable decodes a table into rv, a struct or a pointer to one.
func (d *decoder) subTable(v any, key string, p place, rv reflect.Value) (want string) {
	m, ok := v.(map[string]any)
	if !ok {
		return "a table"
	}
	if rv.Kind() == reflect.Pointer {
		ptr := reflect.New(rv.Type().Elem())
		d.table(m, d.child(p, key, false), ptr.Elem())
		rv.Set(ptr)
		return ""
	}
	d.table(m, d.child(p, key, false), rv)
	return ""
}

// tableArray decodes an array of tables into rv, a slice of structs; each
// element that is not a table is reported where it is.
func (d *decoder) tableArray(v any, key string, p place, rv reflect.Value) (want string) {
	c := d.child(p, key, true)
	var elems []any
	switch v := v.(type) {
	case []map[string]any:
		for _, e := range v {
			elems = append(elems, e)
		}
	case []any:
		elems = v
	default:
		return "an array of tables, written " + c.String()
	}
	t := rv.Type()
	out := reflect.MakeSlice(t, 0, len(elems))
	for i, e := range elems {
		ep := c
		ep.path = elemPath(c.path, i) // the element's own index, even after a bad element
		ep.pos = d.at(ep.path, c.pos)
		m, ok := e.(map[string]any)
		if !ok {
			d.diags.Errorf(ep.pos, diag.RuleTOMLType, "element %d of key %q%s must be a table, not %s", i+1, key, p.in(), typeName(e))
			continue
		}
		out = reflect.Append(out, reflect.Zero(t.Elem()))
		d.table(m, ep, out.Index(out.Len()-1))
	}
	rv.Set(out)
	return ""
}
