package markdown

import (
	"fmt"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
)

// outlineCases are documents where skimming could go wrong: setext
// headings (whose text is the paragraph's), definition lists (which read
// their terms from the paragraph), tables, link reference definitions,
// footnotes, task lists and containers.
var outlineCases = []string{
	"# Title\n\nplain text\n\n## 7.2 Quorum {#q}\n\nmore [a](member:b) text\n",
	"Setext *one*\n===\n\nSetext two\n---\n\ntext\n",
	"> Quoted setext\n> ===\n\n- item setext\n  ---\n",
	"para\n  ===  \n\n   indented para\n---\n",
	"term one\nterm two\n: definition with [link](body:x)\n\nother term\n: plain definition\n\nthird\n: d\n",
	"| a | b |\n|---|---|\n| [x](a.md) | y |\n| plain | ![img](p.png) |\n\nafter\n",
	"[ref]: target.md\nno link here\n\n[ref] and [full][ref] and [collapsed][]\n\n[collapsed]: c.md\n",
	"note[^1] here\n\n[^1]: the note, [linked](member:a)\n    continued\n",
	"- [ ] task\n- [x] done [x](y.md)\n- plain\n\n1. first\n2. second\n",
	"plain paragraph\n- list interrupts\n- [with](link.md)\n\n<div>\nhtml [not](a link)\n</div>\n",
	"lazy\ncontinuation [l](x.md)\n> quote\nlazy line\n\n    indented code [not](link)\n",
	"```go\n[not](link)\n```\n\n## Heading with [link](x.md) inside\n\n`code [not](link)` and [](member:a)\n",
	"text  \nhard break\\\nand more\n\n***\n\n___\n\n- - -\n",
}

// describeOutline lists what loading takes from a tree, in reading
// order: whether it starts with a heading, headings (level, id, text, offset) without their children, and
// links and images (destination, whether the text is empty, offset).
func describeOutline(doc ast.Node, src []byte) string {
	var b strings.Builder
	if _, ok := doc.FirstChild().(*ast.Heading); ok {
		b.WriteString("first is a heading\n") // the title, when the front matter has none
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			id, _ := HeadingID(n)
			fmt.Fprintf(&b, "h%d #%s %q at %d\n", n.Level, id, PlainText(n, src), n.Pos())
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			fmt.Fprintf(&b, "link %q empty=%v at %d\n", n.Destination, n.ChildCount() == 0, n.Pos())
		case *ast.Image:
			fmt.Fprintf(&b, "image %q at %d\n", n.Destination, n.Pos())
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

func TestOutlineHasParsesHeadingsAndLinks(t *testing.T) {
	conv := New(false)
	for _, src := range outlineCases {
		full := describeOutline(conv.Parse([]byte(src)), []byte(src))
		if got := describeOutline(conv.Outline([]byte(src)), []byte(src)); got != full {
			t.Errorf("%q:\noutline\n%s\nparse\n%s", src, got, full)
		}
	}
}

// TestOutlineSkimsParagraphs checks that Outline does leave the text of a
// link-free paragraph unparsed (the point of it), and only that.
func TestOutlineSkimsParagraphs(t *testing.T) {
	src := []byte("A *plain* paragraph.\n\nA [linked](x.md) one.\n\n- a *tight* item\n")
	var children []int
	_ = ast.Walk(New(false).Outline(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && (n.Kind() == ast.KindParagraph || n.Kind() == ast.KindTextBlock) {
			children = append(children, n.ChildCount())
		}
		return ast.WalkContinue, nil
	})
	if fmt.Sprint(children) != "[0 3 0]" {
		t.Errorf("inline children of the paragraphs and item: %v, want [0 3 0]", children)
	}
}

// FuzzOutline holds Outline to Parse's headings and links on any input.
func FuzzOutline(f *testing.F) {
	for _, src := range outlineCases {
		f.Add([]byte(src))
	}
	conv := New(false)
	f.Fuzz(func(t *testing.T, src []byte) {
		full := describeOutline(conv.Parse(src), src)
		if got := describeOutline(conv.Outline(src), src); got != full {
			t.Errorf("outline\n%s\nparse\n%s", got, full)
		}
	})
}
