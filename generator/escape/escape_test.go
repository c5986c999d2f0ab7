package escape

import (
	"bytes"
	"encoding/json"
	"html"
	"html/template"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// awkward are strings with every byte the escapers treat apart, in runs
// longer and shorter than eight bytes.
var awkward = []string{
	"", "plain text of a clause", `<a href="x">&amp;'+'</a>`, "a\"b\\c\nd\te\x00f\x1fg\x7f\b\f\r",
	"\xff\xfe é \u2028\u2029 日本", "12345678\"2345678\\", "abcdefg\x01abcdefgh\xe2\x80\xa8z",
	"javascript:alert(1)", "JavaScript:x", "mailto:a@b.example", "HTTPS://x.example/a b?c=d&e=f#g",
	"a/b:c", "docs/x.html#%41%zz%4", "%", "100%", "[x]!$*,;=@'()", "\u00e9\u212a\x00", "\xc0\xbc<",
}

// write returns what esc writes of s.
func write(esc func(*strings.Builder, string), s string) string {
	var b strings.Builder
	esc(&b, s)
	return b.String()
}

func htmlOf(b *strings.Builder, s string)     { HTML(b, s) }
func templateOf(b *strings.Builder, s string) { Template(b, s) }
func urlOf(b *strings.Builder, s string)      { URL(b, s) }
func urlPartOf(b *strings.Builder, s string)  { URLPart(b, s) }

// executed returns what html/template writes of s between prefix and
// suffix, where the template holds prefix{{.}}suffix.
func executed(t *testing.T, prefix, suffix, s string) string {
	var b strings.Builder
	if err := template.Must(template.New("").Parse(prefix+"{{.}}"+suffix)).Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	got, ok := strings.CutPrefix(b.String(), prefix)
	if got, ok2 := strings.CutSuffix(got, suffix); ok && ok2 {
		return got
	}
	t.Fatalf("%q: html/template wrote %q", s, b.String())
	return ""
}

// HTML is html.EscapeString, byte for byte, whatever the bytes.
func FuzzHTML(f *testing.F) {
	for _, s := range awkward {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := write(htmlOf, s), html.EscapeString(s); got != want {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	})
}

// Template is what html/template writes of a string in text and in a
// quoted attribute; against html/template.HTMLEscapeString it differs in
// '+' only, written &#43;.
func FuzzTemplate(f *testing.F) {
	for _, s := range awkward {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := write(templateOf, s)
		if want := executed(t, "", "", s); got != want {
			t.Errorf("%q: %q, html/template writes %q in text", s, got, want)
		}
		if want := executed(t, `<p title="`, `">`, s); got != want {
			t.Errorf("%q: %q, html/template writes %q in an attribute", s, got, want)
		}
		if want := strings.ReplaceAll(template.HTMLEscapeString(s), "+", "&#43;"); got != want {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	})
}

// escapes are percent escapes, to compare encodings that differ in the
// case of their hex digits.
var escapes = regexp.MustCompile(`%[0-9a-fA-F]{2}`)

// URL and URLPart write what html/template writes of a string in an href
// and in its fragment. Against net/url, a URL part is url.QueryEscape in
// lowercase hex, with a space %20 rather than +; a URL that had no
// escapes of its own reads back with url.PathUnescape.
func FuzzURL(f *testing.F) {
	for _, s := range awkward {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := write(urlOf, s), executed(t, `<a href="`, `">`, s); got != want {
			t.Errorf("URL %q: %q, html/template writes %q", s, got, want)
		}
		if got, want := write(urlPartOf, s), executed(t, `<a href="#`, `">`, s); got != want {
			t.Errorf("URLPart %q: %q, html/template writes %q", s, got, want)
		}
		part := escapes.ReplaceAllStringFunc(encodeURL(s, false), strings.ToUpper)
		if want := strings.ReplaceAll(url.QueryEscape(s), "+", "%20"); part != want {
			t.Errorf("part %q: %q, net/url writes %q", s, part, want)
		}
		whole := encodeURL(s, true)
		if back, err := url.PathUnescape(whole); err != nil {
			t.Errorf("%q: %q has a bad escape: %v", s, whole, err)
		} else if !strings.Contains(s, "%") && back != s {
			t.Errorf("%q: %q reads back as %q", s, whole, back)
		}
	})
}

// The intended differences from net/url, spelled out.
func TestURLPartAgainstNetURL(t *testing.T) {
	for s, want := range map[string]string{"a b": "a%20b", "é": "%c3%a9", "a+b": "a%2bb", "x/y?z": "x%2fy%3fz"} {
		if got := encodeURL(s, false); got != want {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	}
	for s, want := range map[string]string{"a b/%41%zz": "a%20b/%41%25zz", "javascript:x": "#ZgotmplZ", "Mailto:a@b": "Mailto:a@b", "a&b+c": "a&amp;b&#43;c"} {
		if got := write(urlOf, s); got != want {
			t.Errorf("URL %q: %q, want %q", s, got, want)
		}
	}
}

// The search scripts' strings are what encoding/json makes of them
// (without HTML escaping), whatever the bytes and wherever they start
// against the eight-byte steps: a fast path that skipped a byte needing
// an escape would break the script.
func FuzzAppendJSON(f *testing.F) {
	for _, s := range awkward {
		f.Add(s)
	}
	f.Add("<script>&amp;</script>")
	f.Fuzz(func(t *testing.T, s string) {
		for _, s := range []string{s, s[len(s)/2:], s[min(len(s), 3):]} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(s); err != nil {
				t.Fatal(err)
			}
			got := AppendJSON([]byte("x"), s)
			if string(got[1:]) != strings.TrimSuffix(want.String(), "\n") || got[0] != 'x' {
				t.Errorf("%q: %s, want %s", s, got, want.String())
			}
		}
	})
}
