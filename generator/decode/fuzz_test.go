package decode

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"govpack/generator/diag"
)

// fuzzSeeds are valid and invalid documents shaped like a pack's TOML.
var fuzzSeeds = []string{
	"title = \"T\"\nquorum = 0.5\n[[member]]\nid = \"a\"\nname = \"A\"\njoined = 2026-03-01\nholders = [\"x\", 'y']\n[theme]\naccent = \"#fff\"\n",
	"title = \"\"\"\nmulti = 1\n[[member]]\n\"\"\"\nlabels = { a = \"b\", c = \"d\" }\nmember = [{ id = \"x\" }, { id = 'y', nmae = 1 }]\n",
	"\uFEFFtitle = 'T'\r\n[[member]]\r\nid = \"a\"\r\n[[member.seat]]\r\nbody = \"b\"\r\n[[member]]\r\nnmae = 2\r\n",
	"a.b.c = 1\n[x.y]\n[[x.y.z]]\n'q' = 2\n\"k\\u00e9y\" = 3\n",
	"title = [\n 1, # c\n [2, 3],\n]\ntheme = {\n  accent = \"x\", # 1.1\n}\n",
	"quorum = nan\ncount = 1.5\neffective = 2026-03-01T10:00:00Z\ntags = 1\n",
	"s = '''it's ''' \nt = \"\"\"a\"\"\"\"\"\nu = \"a\\\"b\" # \"\n",
	"[[member]\n",
	"title = \"x\nnext = 1\n",
	"[a]\nb = 1\n[a]\n",
	"\xff\xfet\x00i\x00",
	"",
}

// FuzzDecode decodes arbitrary input into a pack-shaped struct: it never
// panics or hangs, every position it reports lies inside the file, and
// the result does not depend on map order.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	for _, s := range sampleTOML(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("decode: slow input %q", src)) })
		defer watchdog.Stop()
		var p pack
		diags := Decode("f.toml", src, &p)
		_ = diags.String()
		inside := insideFile(src)
		for _, d := range diags {
			if err := inside(d.Pos); err != nil {
				t.Fatalf("%s: %v", d, err)
			}
		}
		metaPositions(reflect.ValueOf(p), func(where string, pos diag.Pos) {
			if err := inside(pos); err != nil {
				t.Fatalf("%s at %s: %v", where, pos, err)
			}
		})
		var again pack
		if d2 := Decode("f.toml", src, &again); d2.String() != diags.String() {
			t.Fatalf("decoding twice differs:\n%s\n%s", diags, d2)
		}
	})
}

// FuzzScan runs the position scanner on arbitrary bytes, valid TOML or
// not: it never panics, records only positions inside the file, and on
// TOML the parser accepts it finds every key and array element, at a byte
// that can start it.
func FuzzScan(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		src = trimBOM(src)
		lines := diag.NewLineIndex("f.toml", src)
		locs, tooDeep := scan(src, lines)
		inside := insideFile(src)
		for p, pos := range locs {
			if err := inside(pos); err != nil {
				t.Fatalf("%s at %s: %v", p, pos, err)
			}
		}
		if tooDeep >= 0 {
			if err := inside(lines.Pos(tooDeep)); err != nil {
				t.Fatalf("too deep at %s: %v", lines.Pos(tooDeep), err)
			}
			return // Decode does not parse it
		}
		var m map[string]any
		if _, err := toml.Decode(string(src), &m); err != nil {
			return
		}
		starts := lineStarts(src)
		walkPaths(m, "", 0, func(p, key string, isKey bool) {
			pos, ok := locs[p]
			if !ok {
				t.Fatalf("no position for %s", p)
			}
			c := src[starts[pos.Line-1]+pos.Col-1]
			switch {
			case isKey && c != '[' && c != '"' && c != '\'' && (key == "" || c != key[0]):
				t.Fatalf("key %s at %s starts with %q", p, pos, c)
			case !isKey && strings.IndexByte(" \t\r\n,#]", c) >= 0:
				t.Fatalf("element %s at %s starts with %q", p, pos, c)
			}
		})
	})
}

// insideFile returns a check that a position lies in src: a line that
// exists, a column no further than just past the line's last byte.
func insideFile(src []byte) func(diag.Pos) error {
	lines := bytes.Split(trimBOM(src), []byte("\n"))
	return func(p diag.Pos) error {
		switch {
		case p.File != "f.toml":
			return fmt.Errorf("file %q", p.File)
		case p.Line < 1 || p.Line > len(lines):
			return fmt.Errorf("line outside the file (%d lines)", len(lines))
		case p.Col < 1 || p.Col > len(lines[p.Line-1])+1:
			return fmt.Errorf("column outside line %q", lines[p.Line-1])
		}
		return nil
	}
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// walkPaths calls fn for every key and array element of a parsed
// document, by scanner path, down to the depth the scanner follows.
func walkPaths(v any, p string, depth int, fn func(path, key string, isKey bool)) {
	if depth >= maxDepth {
		return
	}
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			c := childPath(p, k)
			fn(c, k, true)
			walkPaths(e, c, depth+1, fn)
		}
	case []map[string]any:
		for i, e := range v {
			c := elemPath(p, i)
			fn(c, "", false)
			walkPaths(e, c, depth+1, fn)
		}
	case []any:
		for i, e := range v {
			c := elemPath(p, i)
			fn(c, "", false)
			walkPaths(e, c, depth+1, fn)
		}
	}
}

// metaPositions calls fn for every position held by a Meta in v.
func metaPositions(v reflect.Value, fn func(where string, pos diag.Pos)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			metaPositions(v.Elem(), fn)
		}
	case reflect.Slice:
		for i := range v.Len() {
			metaPositions(v.Index(i), fn)
		}
	case reflect.Struct:
		if m, ok := v.Interface().(Meta); ok {
			if m.Pos == (diag.Pos{}) && m.Keys == nil {
				return // a table the input does not have
			}
			fn("table", m.Pos)
			for k, p := range m.Keys {
				fn(k, p)
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				metaPositions(v.Field(i), fn)
			}
		}
	}
}

// sampleTOML returns the TOML files of the sample pack, as seeds in the
// shape real packs have; none when the sample is not there.
func sampleTOML(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	root := os.DirFS("../../content")
	_ = fs.WalkDir(root, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(name) != ".toml" {
			return nil
		}
		if b, err := fs.ReadFile(root, name); err == nil {
			out = append(out, b)
		}
		return nil
	})
	return out
}

// FuzzParseSimple holds parseSimple to the full parser: whatever it
// accepts, toml.Decode accepts and reads the same.
func FuzzParseSimple(f *testing.F) {
	for _, s := range append(fuzzSeeds,
		"#++\ntitle = \"Document 0\"\nweight = 0\ncovers = [\"target-consensus\"]\n",
		"a = -12 # c\nb = true\nc = false\r\nd = []\ne = [ \"x\" , \"y\", ]\n\tf = \"\"\n",
		"a = 01\n", "a = +0\n", "a = 1_000\n", "a = 1e5\n", "a = \"x\" y\n", "a = \"\"\"x\"\"\"\n", "a = [\"x\"\n", "a = \"\\u00e9\"\n",
		"a = 1\na = 2\n", "a.b = 1\n", "\"a\" = 1\n", "a = \"x\"#c\x01\n", "a = 999999999999999999\n",
	) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		got, ok := parseSimple(src)
		if !ok {
			return
		}
		var want map[string]any
		if _, err := toml.Decode(string(src), &want); err != nil {
			t.Fatalf("parseSimple accepts what toml.Decode refuses (%v): %q", err, src)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("parseSimple read %#v, toml.Decode %#v, from %q", got, want, src)
		}
	})
}
