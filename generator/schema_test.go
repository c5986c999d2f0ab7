package generator

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"govpack/generator/decode"
)

// TestSchemasMatchTheDecoder writes, from each JSON Schema, a TOML file
// holding every key the schema lists with a value of the schema's type,
// and decodes it with the strict decoder into a fresh target: the decoder
// must accept every key and value (the schema promises nothing the decoder
// rejects), and every field the decoder can fill must come out set (the
// decoder accepts no key the schema leaves out). Leaving out a required
// key must be an error, as the schema says.
func TestSchemasMatchTheDecoder(t *testing.T) {
	files := Schemas()
	for _, f := range SchemaFiles {
		var s map[string]any
		if err := json.Unmarshal(files[f.Name], &s); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if s["$schema"] != decode.SchemaDialect || s["title"] == "" {
			t.Errorf("%s: $schema %v, title %v", f.Name, s["$schema"], s["title"])
		}
		src := tomlFromSchema(s, "", "")
		target := reflect.New(reflect.TypeOf(f.Target).Elem())
		if diags := decode.Decode("x.toml", []byte(src), target.Interface()); len(diags) > 0 {
			t.Errorf("%s: the decoder rejects a file the schema accepts:\n%s\n%s", f.Name, diags, src)
		}
		for _, unset := range zeroFields(target.Elem(), "") {
			t.Errorf("%s: key %q is accepted by the decoder but missing from the schema", f.Name, unset)
		}
		for _, req := range requiredKeys(s) {
			var without []string
			for _, line := range strings.Split(src, "\n") {
				if !strings.HasPrefix(line, req+" = ") {
					without = append(without, line)
				}
			}
			target := reflect.New(reflect.TypeOf(f.Target).Elem())
			diags := decode.Decode("x.toml", []byte(strings.Join(without, "\n")), target.Interface())
			if !strings.Contains(diags.String(), fmt.Sprintf("missing required key %q", req)) {
				t.Errorf("%s: leaving out required key %q gives %q", f.Name, req, diags)
			}
		}
	}
}

// TestSchemaDescriptions: every key described once, no description for a
// key that does not exist.
func TestSchemaDescriptions(t *testing.T) {
	used := map[string]bool{}
	for _, f := range SchemaFiles {
		var s map[string]any
		json.Unmarshal(Schemas()[f.Name], &s)
		var walk func(s map[string]any, prefix string)
		walk = func(s map[string]any, prefix string) {
			props, _ := s["properties"].(map[string]any)
			for k, v := range props {
				p := v.(map[string]any)
				if d, _ := p["description"].(string); d == "" {
					t.Errorf("%s: %s%s has no description", f.Name, prefix, k)
				}
				used[f.docs+prefix+k] = true
				if items, ok := p["items"].(map[string]any); ok {
					walk(items, prefix+k+".")
				}
				walk(p, prefix+k+".")
			}
		}
		walk(s, "")
	}
	for k := range keyDocs {
		if !used[k] {
			t.Errorf("keyDocs describes %q, which no schema has", k)
		}
	}
}

// tomlFromSchema writes a TOML table holding every property of object
// schema s: scalars first, then tables and arrays of tables under header
// path prefix.
func tomlFromSchema(s map[string]any, prefix, header string) string {
	var b strings.Builder
	b.WriteString(header)
	props, _ := s["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	var tables []string
	for _, k := range names {
		p := props[k].(map[string]any)
		switch {
		case p["type"] == "array":
			tables = append(tables, tomlFromSchema(p["items"].(map[string]any), prefix+k+".", "[["+prefix+k+"]]\n"))
		case p["type"] == "object" && p["properties"] != nil:
			tables = append(tables, tomlFromSchema(p, prefix+k+".", "["+prefix+k+"]\n"))
		case p["type"] == "object":
			tables = append(tables, "["+prefix+k+"]\n\"some/rule\" = \"warning\"\n")
		case p["format"] == "date":
			fmt.Fprintf(&b, "%s = 2026-03-01\n", k)
		case p["type"] == "string":
			fmt.Fprintf(&b, "%s = \"x\"\n", k)
		case p["type"] == "integer":
			fmt.Fprintf(&b, "%s = 1\n", k)
		case p["type"] == "number":
			fmt.Fprintf(&b, "%s = 0.5\n", k)
		case p["type"] == "boolean":
			fmt.Fprintf(&b, "%s = true\n", k)
		case slices.Equal(toStrings(p["type"]), []string{"string", "array"}):
			fmt.Fprintf(&b, "%s = [\"x\"]\n", k)
		default:
			panic(fmt.Sprintf("no TOML value for %s%s: %v", prefix, k, p))
		}
	}
	for _, tb := range tables {
		b.WriteString(tb)
	}
	return b.String()
}

// requiredKeys lists the keys some table of schema s requires.
func requiredKeys(s map[string]any) []string {
	out := toStrings(s["required"])
	props, _ := s["properties"].(map[string]any)
	for _, v := range props {
		p := v.(map[string]any)
		if items, ok := p["items"].(map[string]any); ok {
			out = append(out, requiredKeys(items)...)
		}
		out = append(out, requiredKeys(p)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// zeroFields lists the TOML keys of struct value v (and of the tables it
// holds) left unset after decoding.
func zeroFields(v reflect.Value, prefix string) []string {
	var out []string
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("toml"), ",")
		if name == "" || name == "-" {
			continue
		}
		f := v.Field(i)
		switch {
		case f.IsZero():
			out = append(out, prefix+name)
		case f.Kind() == reflect.Pointer && f.Elem().Kind() == reflect.Struct:
			out = append(out, zeroFields(f.Elem(), prefix+name+".")...)
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Struct:
			out = append(out, zeroFields(f.Index(0), prefix+name+".")...)
		case f.Kind() == reflect.Struct && f.Type() != reflect.TypeFor[decode.Date]():
			out = append(out, zeroFields(f, prefix+name+".")...)
		}
	}
	return out
}

// TestSchemaNamePatterns: the keys whose values become file names carry the
// pattern check enforces, and the pattern accepts exactly what check does.
func TestSchemaNamePatterns(t *testing.T) {
	files := Schemas()
	lookup := func(file string, path ...string) map[string]any {
		var s map[string]any
		if err := json.Unmarshal(files[file], &s); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, key := range path {
			s, _ = s["properties"].(map[string]any)[key].(map[string]any)
			if items, ok := s["items"].(map[string]any); ok {
				s = items
			}
		}
		return s
	}
	samples := []string{"bank-a", "a", "0", "-a", "A", "a/b", "../x", "a.b", "2.1.0", "1.0.0-rc.1+b_2", ".x", "质押", "a b", strings.Repeat("a", 64), strings.Repeat("a", 65)}
	check := func(key string, s map[string]any, valid func(string) bool) {
		re, err := regexp.Compile(fmt.Sprint(s["pattern"]))
		if err != nil || s["maxLength"] != float64(maxIDLen) {
			t.Fatalf("%s: pattern %v (%v), maxLength %v", key, s["pattern"], err, s["maxLength"])
		}
		for _, v := range samples {
			if schema, checked := re.MatchString(v) && len(v) <= maxIDLen, valid(v); schema != checked {
				t.Errorf("%s %q: the schema accepts it %v, check %v", key, v, schema, checked)
			}
		}
	}
	for _, k := range dataIDs(&Data{}) {
		check(k.kind+".id", lookup("govpack-data.schema.json", k.kind, "id"), validID)
	}
	check("version", lookup("govpack.schema.json", "version"), validVersion)
}
