package markdown

import (
	"bytes"
	"reflect"
	"testing"
)

// TestPlainConverterUsesTheLibraries guards Config.Plain against a fast
// path left on, which would make the plain build prove nothing: chroma's
// own lexers, goldmark's parse for outlines, and the same HTML.
func TestPlainConverterUsesTheLibraries(t *testing.T) {
	plain, fast := NewWith(Config{Plain: true}), New(false)
	if !plain.Plain() || fast.Plain() {
		t.Fatalf("Plain() = %v, %v; want true, false", plain.Plain(), fast.Plain())
	}
	for _, lang := range []string{"go", "toml", "yaml", "json", "bash"} {
		inner := reflect.ValueOf(plain.lexer(lang)).Elem().Field(0).Interface() // chroma.Coalesce's lexer
		if _, ok := inner.(*filteredLexer); ok {
			t.Errorf("%s: a plain converter highlights with the filtered lexer", lang)
		}
	}
	src := []byte("# Title\n\nPlain text, no link.\n\n## 2.1 Quorum\n\nSee [the charter](charter.html).\n\n```go\nfunc f() {}\n```\n")
	if _, ok := scanOutline(src); !ok {
		t.Fatal("the scanner does not read the document: the test needs one it reads")
	}
	if got, want := plain.Outline(src), OutlineOf(plain.Parse(src), src); !reflect.DeepEqual(got, want) {
		t.Errorf("plain outline %+v, want %+v", got, want)
	}
	if got, want := fast.Outline(src), plain.Outline(src); !reflect.DeepEqual(got, want) {
		t.Errorf("outline %+v, plain %+v", got, want)
	}
	render := func(c *Converter) []byte {
		doc := c.Parse(src)
		if errs := c.Highlight(doc, src); errs != nil {
			t.Fatal(errs)
		}
		var b bytes.Buffer
		if err := c.Render(&b, src, doc); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if got, want := render(plain), render(fast); !bytes.Equal(got, want) {
		t.Errorf("plain HTML:\n%s\nwant:\n%s", got, want)
	}
}
