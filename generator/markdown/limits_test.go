package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

func TestCheckLimits(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		l         Limits
		limit     string
		pos       int
	}{
		{"within", "# T\n\n> - a\n>   - b\n", Limits{Depth: 3, Links: 1}, "", 0},
		{"quotes", "> > > x\n", Limits{Depth: 2}, "depth", 4},
		{"items on a line", "- - - x\n", Limits{Depth: 2}, "depth", 4},
		{"items by indent", "- a\n  - b\n    - c\n", Limits{Depth: 2}, "depth", 14},
		{"ordered", "1. 2) x\n", Limits{Depth: 1}, "depth", 3},
		{"indent alone opens nothing", "          text\n", Limits{Depth: 2}, "", 0},
		{"not a marker", "-x\n", Limits{Depth: 1}, "", 0},
		{"links", "[a](b) [c](d) ![e](f)\n", Limits{Links: 2}, "links", 15},
		{"footnotes", "x[^1] y[^2]\n\n[^1]: a\n", Limits{Footnotes: 2}, "footnotes", 13},
		{"definitions", "[a]: /a\n[b]: /b\n", Limits{Definitions: 1}, "definitions", 10},
		{"no limit", strings.Repeat("> ", 500) + strings.Repeat("[", 500), Limits{}, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckLimits([]byte(tc.src), tc.l)
			switch {
			case tc.limit == "" && err != nil:
				t.Fatalf("%s limit passed at %d", err.Limit, err.Pos)
			case tc.limit == "":
			case err == nil:
				t.Fatalf("no limit passed; want %s", tc.limit)
			case err.Limit != tc.limit || err.Pos != tc.pos:
				t.Fatalf("%s limit passed at %d; want %s at %d", err.Limit, err.Pos, tc.limit, tc.pos)
			}
		})
	}
}

// found counts what goldmark makes of src, the counts CheckLimits must
// never fall short of.
type found struct{ depth, links, footnotes, definitions int }

func parseCounts(src []byte) found {
	var f found
	pc := parser.NewContext()
	doc := New(false).md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	f.definitions = len(pc.References())
	depth := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		d := 1
		if !entering {
			d = -1
		}
		switch n.(type) {
		case *ast.Blockquote, *ast.ListItem:
			depth += d
			f.depth = max(f.depth, depth)
		case *ast.Link, *ast.Image:
			f.links += max(d, 0)
		case *east.FootnoteLink, *east.Footnote:
			f.footnotes += max(d, 0)
		}
		return ast.WalkContinue, nil
	})
	return f
}

// FuzzCheckLimits holds CheckLimits to counting at least what goldmark
// finds, and to positions inside the source.
func FuzzCheckLimits(f *testing.F) {
	for _, s := range []string{
		"> - a\n>   - b\n>     > c\n",
		"- a\nlazy\n  - b\n    - c\n",
		"1. x\n   1. y\n\t- z\n",
		"[a]: /u\n[b]:\n/v\n\n[a] [b] [^n]\n\n[^n]: note\n",
		">>>> x\n* * *\n-\n  - y\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		want := parseCounts(src)
		for _, c := range []struct {
			name  string
			n     int
			limit Limits
		}{
			{"depth", want.depth, Limits{Depth: want.depth - 1}},
			{"links", want.links, Limits{Links: want.links - 1}},
			{"footnotes", want.footnotes, Limits{Footnotes: want.footnotes - 1}},
			{"definitions", want.definitions, Limits{Definitions: want.definitions - 1}},
		} {
			if c.n < 2 {
				continue // a limit of 0 is none
			}
			err := CheckLimits(src, c.limit)
			if err == nil || err.Limit != c.name {
				t.Fatalf("goldmark finds %d (%s) in %q; CheckLimits with a limit of %d: %v", c.n, c.name, src, c.n-1, err)
			}
			if err.Pos < 0 || err.Pos >= len(src) {
				t.Fatalf("%s limit passed at %d, outside the %d bytes of %q", err.Limit, err.Pos, len(src), src)
			}
		}
	})
}

// BenchmarkCheckLimits scans the sample pack's documents, for the cost of
// the scan against what parsing them costs (BenchmarkParseSample).
func BenchmarkCheckLimits(b *testing.B) {
	src := sampleDocs(b)
	b.SetBytes(int64(len(src)))
	l := Limits{Depth: 100, Links: 20000, Footnotes: 5000, Definitions: 5000}
	for b.Loop() {
		if err := CheckLimits(src, l); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseSample(b *testing.B) {
	src := sampleDocs(b)
	b.SetBytes(int64(len(src)))
	c := New(false)
	for b.Loop() {
		c.Parse(src)
	}
}

// sampleDocs is the sample pack's documents, one after the other.
func sampleDocs(b *testing.B) []byte {
	names, err := filepath.Glob("../../content/*/*.md")
	if err != nil || len(names) == 0 {
		b.Fatal("no sample documents", err)
	}
	var src []byte
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		src = append(append(src, data...), '\n')
	}
	return src
}
