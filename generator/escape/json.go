package escape

import "unicode/utf8"

// AppendJSON appends s as a quoted JSON string, as encoding/json writes a
// string with SetEscapeHTML(false): a quote and a backslash get a
// backslash, \b \f \n \r \t their short escapes, other bytes below 0x20
// \u00XX, invalid UTF-8 \ufffd (one for each bad byte), and U+2028 and
// U+2029 \u2028 and \u2029, which JavaScript before ES2019 does not allow
// in a string. <, > and & are kept: the search scripts are files, never
// inline in a page. The search texts are tens of megabytes in which few
// bytes need escaping: eight bytes that need none are copied at once.
func AppendJSON(b []byte, s string) []byte {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			w := load64(s, i)
			quote, backslash := w^(ones*'"'), w^(ones*'\\')
			// A byte below 0x20, a quote, a backslash or a byte past
			// ASCII: zero-byte tests that never miss one.
			if (w-ones*0x20)&^w&highs|(quote-ones)&^quote&highs|(backslash-ones)&^backslash&highs|w&highs == 0 {
				i += 8
				continue
			}
		}
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

// load64 returns the eight bytes of s at i, little-endian; the compiler
// makes it one load.
func load64(s string, i int) uint64 {
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}
