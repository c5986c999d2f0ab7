package decode

import (
	"fmt"
	"reflect"
)

// SchemaDialect is the JSON Schema dialect Schema writes. Schema uses only
// keywords that draft-04 already had (type, properties, required,
// additionalProperties, items, minLength, maxLength, pattern, format,
// description), so editors whose validators stop at draft-04, such as
// Taplo's, read it too.
const SchemaDialect = "http://json-schema.org/draft-07/schema#"

// Schema returns the JSON Schema of the TOML files Decode accepts into v, a
// pointer to a struct: the same keys, types and required keys, derived
// from the same struct tags, so the two cannot drift apart. describe gives
// each key's description from its dotted path ("title", "theme.logo",
// "member.id" for a key of [[member]]); it must return one for every key.
// The result marshals to JSON with encoding/json (maps in sorted order).
func Schema(v any, describe func(path string) string) map[string]any {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("decode: Schema needs a pointer to a struct, not %T", v))
	}
	checkType(t.Elem(), map[reflect.Type]bool{})
	s := objectSchema(t.Elem(), "", describe)
	s["$schema"] = SchemaDialect
	return s
}

// objectSchema is the schema of a table decoded into struct type t, whose
// keys sit under prefix.
func objectSchema(t reflect.Type, prefix string, describe func(string) string) map[string]any {
	keys, _ := fields(t)
	props := map[string]any{}
	var required []string
	for _, f := range keys {
		path := prefix + f.name
		ft := t.Field(f.index).Type
		var s map[string]any
		switch {
		case ft.Kind() == reflect.Slice && elemStruct(ft) != nil:
			s = map[string]any{"type": "array", "items": objectSchema(ft.Elem(), path+".", describe)}
		case elemStruct(ft) != nil:
			s = objectSchema(elemStruct(ft), path+".", describe)
		default:
			s = scalarSchema(ft)
		}
		s["description"] = describe(path)
		if f.required {
			required = append(required, f.name)
			if s["type"] == "string" {
				s["minLength"] = 1 // Decode rejects an empty required string
			}
		}
		props[f.name] = s
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// scalarSchema is the schema of a non-table field type.
func scalarSchema(t reflect.Type) map[string]any {
	switch {
	case t == dateType:
		// Taplo and other editors present TOML dates to JSON Schema as
		// strings; "date" is the format of a local date.
		return map[string]any{"type": "string", "format": "date"}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"} // integers are numbers too
	case t.Kind() == reflect.Slice:
		// A single string counts as a one-element list.
		return map[string]any{"type": []string{"string", "array"}, "items": map[string]any{"type": "string"}}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}}
	}
	panic("decode: unsupported type " + t.String()) // checkType has vetted t
}
