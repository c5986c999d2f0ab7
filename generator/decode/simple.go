package decode

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// parseSimple parses a document that is only bare keys set to basic
// strings without escapes, decimal integers, booleans and one-line
// arrays of such strings, with comments and blank lines: a document's
// front matter, nearly always. It returns what toml.Decode would, and
// false for anything else, which is left to the full parser (and its
// diagnostics). A pack loads thousands of front matters; the full parser
// costs several times the rest of decoding one.
func parseSimple(src []byte) (map[string]any, bool) {
	if !utf8.Valid(src) {
		return nil, false
	}
	out := map[string]any{}
	for len(src) > 0 {
		var line []byte
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
			line = bytes.TrimSuffix(line, []byte{'\r'}) // CRLF
		} else {
			line, src = src, nil
		}
		line = trimBlank(line)
		if len(line) == 0 || line[0] == '#' {
			if !plainText(line) {
				return nil, false
			}
			continue
		}
		k := 0
		for k < len(line) && isBareKeyByte(line[k]) {
			k++
		}
		key, rest := string(line[:k]), trimBlank(line[k:])
		if k == 0 || len(rest) == 0 || rest[0] != '=' {
			return nil, false
		}
		if _, dup := out[key]; dup {
			return nil, false
		}
		v, rest, ok := simpleValue(trimBlank(rest[1:]))
		if !ok {
			return nil, false
		}
		if rest = trimBlank(rest); len(rest) > 0 && (rest[0] != '#' || !plainText(rest)) {
			return nil, false
		}
		out[key] = v
	}
	return out, true
}

// simpleValue reads a value parseSimple accepts at the start of s.
func simpleValue(s []byte) (any, []byte, bool) {
	switch {
	case len(s) == 0:
		return nil, nil, false
	case s[0] == '"':
		return simpleString(s)
	case s[0] == '[':
		list := []any{}
		s = trimBlank(s[1:])
		for len(s) > 0 && s[0] != ']' {
			v, rest, ok := simpleString(s)
			if !ok {
				return nil, nil, false
			}
			list = append(list, v)
			s = trimBlank(rest)
			if len(s) > 0 && s[0] == ',' {
				s = trimBlank(s[1:])
			} else if len(s) == 0 || s[0] != ']' {
				return nil, nil, false
			}
		}
		if len(s) == 0 {
			return nil, nil, false
		}
		return list, s[1:], true
	}
	end := 0
	for end < len(s) && s[end] != ' ' && s[end] != '\t' && s[end] != '#' {
		end++
	}
	word, rest := s[:end], s[end:]
	switch string(word) {
	case "true":
		return true, rest, true
	case "false":
		return false, rest, true
	}
	digits := bytes.TrimPrefix(bytes.TrimPrefix(word, []byte{'+'}), []byte{'-'})
	if len(digits) == 0 || len(digits) > 18 || (digits[0] == '0' && len(digits) > 1) || len(word)-len(digits) > 1 {
		return nil, nil, false // no digits, a leading zero, or out of int64's easy reach
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return nil, nil, false // a float, a date, a hexadecimal or spaced number
		}
	}
	n, err := strconv.ParseInt(string(word), 10, 64)
	return n, rest, err == nil
}

// simpleString reads a basic string with no escape at the start of s.
func simpleString(s []byte) (any, []byte, bool) {
	if len(s) == 0 || s[0] != '"' || bytes.HasPrefix(s, []byte(`"""`)) {
		return nil, nil, false
	}
	end := bytes.IndexByte(s[1:], '"')
	if end < 0 {
		return nil, nil, false
	}
	body := s[1 : 1+end]
	if bytes.IndexByte(body, '\\') >= 0 || !plainText(body) {
		return nil, nil, false
	}
	return string(body), s[end+2:], true
}

// plainText reports whether s holds no control character but tab, which
// TOML allows neither in strings nor in comments.
func plainText(s []byte) bool {
	for _, c := range s {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

func trimBlank(s []byte) []byte { return bytes.Trim(s, " \t") }

func isBareKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}
