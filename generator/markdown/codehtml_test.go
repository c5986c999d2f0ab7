package markdown

import (
	"bytes"
	"io/fs"
	"os"
	"regexp"
	"testing"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// codeLanguages are the languages the sample pack and the benchmark packs
// highlight, and a few more with other kinds of tokens.
var codeLanguages = []string{"go", "toml", "yaml", "json", "bash", "python", "html", "sql", "diff", "text"}

// chromaHTML is the HTML chroma's own formatter writes for code.
func chromaHTML(t testing.TB, lang, code string) (want, got []byte) {
	lexer := lexers.Get(lang)
	if lexer == nil {
		t.Fatalf("no lexer for %s", lang)
	}
	var w, g bytes.Buffer
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		t.Skipf("chroma cannot tokenise: %v", err)
	}
	if err := chromahtml.New(chromahtml.WithClasses(true)).Format(&w, styles.Fallback, it); err != nil {
		t.Fatal(err)
	}
	it, _ = chroma.Coalesce(lexer).Tokenise(nil, code)
	writeCode(&g, it)
	return w.Bytes(), g.Bytes()
}

func TestWriteCodeIsChromas(t *testing.T) {
	t.Parallel()
	codes := sampleCode(t)
	for _, lang := range codeLanguages {
		for _, code := range codes {
			if want, got := chromaHTML(t, lang, code); !bytes.Equal(got, want) {
				t.Errorf("%s %q:\n got %s\nwant %s", lang, code, got, want)
			}
		}
	}
}

func FuzzWriteCode(f *testing.F) {
	f.Add(uint8(0), "func f() {\n\treturn \"<x>\"\n}\n")
	f.Add(uint8(1), "[a]\nb = 1 # c\n\n")
	f.Add(uint8(6), "<p class='x'>&amp;</p>")
	f.Fuzz(func(t *testing.T, lang uint8, code string) {
		l := codeLanguages[int(lang)%len(codeLanguages)]
		if want, got := chromaHTML(t, l, code); !bytes.Equal(got, want) {
			t.Fatalf("%s %q:\n got %s\nwant %s", l, code, got, want)
		}
	})
}

// sampleCode returns a few awkward snippets and every code block of the
// sample pack.
func sampleCode(t *testing.T) []string {
	codes := []string{"", "\n", "\n\n", "x", "x\n", "a\n\nb", "<&'\">\n", "line\r\nnext\r\n", "\"unterminated", "key = \"v\" # c\n[t]\n", "\v\u00e9\u212a \x00\t"}
	block := regexp.MustCompile("(?s)```[a-z]+\n(.*?)```")
	err := fs.WalkDir(os.DirFS("../../content"), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || len(name) < 3 || name[len(name)-3:] != ".md" {
			return err
		}
		src, err := fs.ReadFile(os.DirFS("../../content"), name)
		for _, m := range block.FindAllSubmatch(src, -1) {
			codes = append(codes, string(m[1]))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) < 20 {
		t.Fatalf("found %d code blocks in the sample; the test reads too little", len(codes))
	}
	return codes
}

// BenchmarkWriteCode writes the tokens of the benchmark languages' blocks
// as HTML: the formatting and escaping alone, without lexing.
func BenchmarkWriteCode(b *testing.B) {
	var tokens []chroma.Token
	for _, lang := range []string{"go", "toml", "yaml", "json"} {
		it, err := chroma.Coalesce(lexers.Get(lang)).Tokenise(nil, benchCode[lang])
		if err != nil {
			b.Fatal(err)
		}
		tokens = append(tokens, it.Tokens()...)
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		writeCode(&buf, chroma.Literator(tokens...))
	}
}
