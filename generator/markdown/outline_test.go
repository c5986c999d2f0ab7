package markdown

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	"*x*\n|---|---|\n: def\n-\n", // a table, then a setext heading: not a definition
}

// describeOutline lists an outline, one line per entry.
func describeOutline(o Outline) string {
	var b strings.Builder
	fmt.Fprintf(&b, "opens with %d headings\n", o.Opening)
	for _, h := range o.Headings {
		fmt.Fprintf(&b, "h%d #%s %q at %d\n", h.Level, h.ID, h.Text, h.Pos)
	}
	for _, l := range o.Links {
		fmt.Fprintf(&b, "link %q image=%v empty=%v at %d after heading %d\n", l.Dest, l.Image, l.EmptyText, l.Pos, l.Heading)
	}
	return b.String()
}

// checkOutline compares the outlines of src: Parse's, the skimming
// parse's, the scanner's where it reads src, and Outline's.
func checkOutline(t *testing.T, conv *Converter, src []byte) (scanned bool) {
	t.Helper()
	full := describeOutline(OutlineOf(conv.Parse(src), src))
	if got := describeOutline(OutlineOf(conv.outlineTree(src), src)); got != full {
		t.Errorf("%q: skimmed\n%s\nparsed\n%s", src, got, full)
	}
	o, scanned := scanOutline(src)
	if got := describeOutline(o); scanned && got != full {
		t.Errorf("%q: scanned\n%s\nparsed\n%s", src, got, full)
	}
	if got := describeOutline(conv.Outline(src)); got != full {
		t.Errorf("%q: Outline\n%s\nparsed\n%s", src, got, full)
	}
	return scanned
}

func TestOutlineHasParsesHeadingsAndLinks(t *testing.T) {
	conv := New(false)
	for _, src := range outlineCases {
		checkOutline(t, conv, []byte(src))
	}
}

// scannedCases are documents the scanner must read itself: the forms
// governance documents are mostly written in.
var scannedCases = []string{
	"# Title\n\n## Article 2 — Upgrades and sanctions\n\nText (see [the committee](body:committee-1)) and [](term:t-1).\nMore text, ![a figure](fig.png) and `code [not](link)`.\n\n### 2.1 Incidents ###\n\n1. An item [x](a.md).\n2. Another, `a`\n   continued [y](b.md#c)\n\n- one\n- two [z](member:m)\n\n  second paragraph [w](w.md)\n",
	"| Name | Role |\n|------|:----:|\n| a | [chair](role:chair) |\n| [c](member:c) | `code [x](y)` | dropped [z](z.md) |\n\n```toml\n[not]\nlink = \"[x](y)\"\n```\n\n~~~\n# not a heading\n~~~\n## After\ntext\n#hashtag and 2026 budget\n",
	"## Same\n\n## Same\n\n## \n\n# ###\n\n##\n\n## Article 7 — Decision-making\n\n## § 4.1 Fees\n\n**Note:** a [link](x.md) *here*.\n",
	"Para one\n  # heading interrupts\n- item interrupts\ncontinues lazily [l](x.md)\n1. ordered interrupts\n2. and continues\n\n3. after a blank line\n",
}

func TestScanOutlineReadsPlainDocuments(t *testing.T) {
	conv := New(false)
	for _, src := range scannedCases {
		if !checkOutline(t, conv, []byte(src)) {
			t.Errorf("%q: the scanner left it to goldmark", src)
		}
	}
}

// TestOutlineSkimsParagraphs checks that Outline does leave the text of a
// link-free paragraph unparsed (the point of it), and only that.
func TestOutlineSkimsParagraphs(t *testing.T) {
	src := []byte("A *plain* paragraph.\n\nA [linked](x.md) one.\n\n- a *tight* item\n")
	var children []int
	_ = ast.Walk(New(false).outlineTree(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && (n.Kind() == ast.KindParagraph || n.Kind() == ast.KindTextBlock) {
			children = append(children, n.ChildCount())
		}
		return ast.WalkContinue, nil
	})
	if fmt.Sprint(children) != "[0 3 0]" {
		t.Errorf("inline children of the paragraphs and item: %v, want [0 3 0]", children)
	}
}

// TestScanOutlineReadsTheSample holds the scanner to Parse on every
// document of the sample pack, and checks it reads them all itself: they
// are written as governance documents are, not for the scanner.
func TestScanOutlineReadsTheSample(t *testing.T) {
	conv := New(false)
	docs := 0
	err := filepath.WalkDir("../../content", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".md") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if rest, ok := bytes.CutPrefix(src, []byte("+++\n")); ok {
			if _, body, ok := bytes.Cut(rest, []byte("\n+++\n")); ok {
				src = body
			}
		}
		docs++
		if !checkOutline(t, conv, src) {
			t.Errorf("%s: the scanner left it to goldmark", p)
		}
		return nil
	})
	if err != nil || docs < 40 {
		t.Fatalf("read %d documents of the sample: %v", docs, err)
	}
}

// FuzzOutline holds the skimming parse and the scanner to Parse's
// headings and links on any input.
func FuzzOutline(f *testing.F) {
	for _, src := range append(outlineCases, scannedCases...) {
		f.Add([]byte(src))
	}
	conv := New(false)
	f.Fuzz(func(t *testing.T, src []byte) {
		checkOutline(t, conv, src)
	})
}

// outlineLines are lines FuzzOutlineForms builds documents from: the forms
// the scanner reads and forms near them it must leave to goldmark.
var outlineLines = []string{
	"", "", "", "# Title", "## 7.2 Quorum", "### Same ###", "#", "## a #", "  ## b", "#x", "## Same",
	"text with [a link](x.md) and [](member:m).", "plain text", "  indented text", "    four spaces", "      six", "   three",
	"- item [l](a.md)", "* item", "+ item", "1. one", "2. two", "3) three", "  - nested", "   1. x", "10. ten", "0. zero", "-", "- ", "1.",
	"```go", "```", "~~~", "  ```", "````", "`code [x](y)` and `", "``a`b`` [c](d)", "text `x` [l](m)", "`[a](b)`",
	"| a | b |", "|---|---|", "a | b", "--- | ---", "|:-:|", "| [a](b) | [c](d) | [e](f) |", "x | `[y](z) |` [w](v)", ":-- | --:", "|", "|-||-|", "![img](p.png)", "[a](b) `", "`", "- [ ] task", "- [x](y) item",
	"**bold** [x](y)", "*x*", "_y_", "2026 budget", "1.5 million", "---", "===", "***", "- - -", "> q", "<div>", ": def",
	"[ref]: x", "[ref]", "[a] (b)", "[a](b c)", "[a](<b>)", "[^1]", "x [ ](y)", "x [a](b)(c) [d](e)", "![](e)",
	"text\\", "a &amp; [b](c)", "x ![a](b)](c)", "[a](b)[c](d)", "  continued [m](n)", "     - deep",
}

// FuzzOutlineForms holds the scanner to Parse on documents built from
// outlineLines, which random bytes rarely reach.
func FuzzOutlineForms(f *testing.F) {
	f.Add([]byte{3, 0, 4, 11, 0, 17, 18, 19, 0, 30, 11, 31, 0, 24})
	f.Add([]byte{11, 17, 2, 12, 20, 13, 37, 11, 38, 0, 5, 44, 45})
	conv := New(false)
	f.Fuzz(func(t *testing.T, picks []byte) {
		var b strings.Builder
		for _, p := range picks {
			b.WriteString(outlineLines[int(p)%len(outlineLines)])
			b.WriteByte('\n')
		}
		checkOutline(t, conv, []byte(b.String()))
	})
}
