package escape

import (
	"io"
	"strings"
)

// URL writes u into a quoted attribute such as href as html/template
// does: a URL with a scheme other than http, https or mailto (a
// javascript: link) becomes "#ZgotmplZ"; bytes RFC 3986 does not allow
// are percent-encoded, reserved characters and valid %XX escapes kept;
// and the result is escaped as Template escapes.
func URL(w io.StringWriter, u string) {
	if scheme, _, ok := strings.Cut(u, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		u = "#ZgotmplZ"
	}
	Template(w, encodeURL(u, true))
}

// URLPart writes s as a value inside a URL's query or fragment in a
// quoted attribute, as html/template does: every byte but the unreserved
// ones (letters, digits, - . _ ~) is percent-encoded, so s cannot end the
// part it is in; then it is escaped as Template escapes.
func URLPart(w io.StringWriter, s string) {
	Template(w, encodeURL(s, false))
}

// encodeURL percent-encodes, in lowercase hex as html/template does, what
// RFC 3986 does not allow in a URL; with normalize, reserved characters
// and existing escapes are kept.
func encodeURL(u string, normalize bool) string {
	keep := func(i int) bool {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~", c) >= 0:
			return true
		case normalize && strings.IndexByte("!#$&*+,/:;=?@[]", c) >= 0:
			return true
		}
		return normalize && c == '%' && i+2 < len(u) && isHex(u[i+1]) && isHex(u[i+2])
	}
	i := 0
	for i < len(u) && keep(i) {
		i++
	}
	if i == len(u) {
		return u // the common case: nothing to encode
	}
	n := []byte(u[:i])
	for ; i < len(u); i++ {
		if keep(i) {
			n = append(n, u[i])
		} else {
			n = append(n, '%', hexDigits[u[i]>>4], hexDigits[u[i]&15])
		}
	}
	return string(n)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

const hexDigits = "0123456789abcdef"
