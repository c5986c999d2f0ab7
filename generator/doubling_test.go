package generator_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"govpack/generator"
)

// doublingClasses are documents of n repeated parts, each a form govpack
// or goldmark might take more than linear time on. BenchmarkDoubling
// builds each at n, 2n, 4n...: the time of a size over the time of the
// one before should stay near 2.
var doublingClasses = []struct {
	name string
	part func(i int) string
}{
	{"same-heading", func(int) string { return "## Same heading\n\n" }},
	{"headings", func(i int) string { return fmt.Sprintf("## Heading %d\n\nText.\n\n", i) }},
	{"explicit-ids", func(i int) string { return fmt.Sprintf("## Same heading {#same-heading-%d}\n\n## Same heading\n\n", i) }},
	{"attributes", func(int) string { return "## Styled {.wide style=\"x\"}\n\n" }},
	{"doc-links", func(i int) string { return fmt.Sprintf("[to %d](other.md#target) ", i) }},
	{"anchor-links", func(i int) string { return fmt.Sprintf("## H%d\n\n[back](#h%d)\n\n", i, i) }},
	{"bad-anchors", func(i int) string { return fmt.Sprintf("## Section %d\n\n[see](#sectoin-%d)\n\n", i, i) }},
	{"bad-entities", func(i int) string { return fmt.Sprintf("[](member:nobody-%d) ", i) }},
	{"entity-links", func(int) string { return "[](member:a) " }},
	{"footnotes", func(i int) string { return fmt.Sprintf("Claim[^n%d].\n\n[^n%d]: Note.\n\n", i, i) }},
	{"definitions", func(i int) string { return fmt.Sprintf("[r%d]: other.md\n", i) }},
	{"reference-uses", func(int) string { return "[ref] " }},
	{"terms", func(int) string { return "The quorum decides. " }},
	{"emphasis", func(int) string { return "*a* **b** " }},
	{"brackets", func(int) string { return "[" }},
	{"nested-quotes", func(int) string { return strings.Repeat("> ", 90) + "x\n" }},
	{"nested-lists", func(i int) string { return strings.Repeat("  ", i%90) + "- item\n" }},
	{"table-rows", func(int) string { return "| a | b | c |\n" }},
	{"code-lines", func(int) string { return "    code line\n" }},
	{"nul", func(int) string { return "a\x00b " }},
	{"greek-headings", greekHeading},
}

// doublingPack is a pack whose document a/doc.md holds n parts.
func doublingPack(part func(int) string, n int) fstest.MapFS {
	var doc strings.Builder
	doc.WriteString("# Doc\n\n")
	if strings.HasPrefix(part(0), "| a") {
		doc.WriteString("| a | b | c |\n|---|---|---|\n")
	}
	for i := range n {
		doc.WriteString(part(i))
	}
	doc.WriteString("\n\n[ref]: other.md\n")
	return fstest.MapFS{
		"govpack.toml":  {Data: []byte("title = \"T\"\nprofile = \"profile.toml\"\n")},
		"profile.toml":  {Data: []byte("id = \"p\"\ntitle = \"P\"\n")},
		"data.toml":     {Data: []byte("[[member]]\nid = \"a\"\nname = \"A\"\nkind = \"founding\"\n\n[[term]]\nname = \"Quorum\"\ndefinition = \"Seats present.\"\n")},
		"a/other.md":    {Data: []byte("# Other\n\n## Target\n")},
		"a/doc.md":      {Data: []byte(doc.String())},
		"a/section.md":  {Data: []byte("# Section\n")},
		"a/another.md":  {Data: []byte("# Another\n")},
		"a/yet.md":      {Data: []byte("# Yet\n")},
		"a/last.md":     {Data: []byte("# Last\n")},
		"a/sub/leaf.md": {Data: []byte("# Leaf\n")},
	}
}

// BenchmarkDoubling builds a pack of one document of each class, at
// sizes doubling from 1,000 parts to 16,000.
func BenchmarkDoubling(b *testing.B) {
	for _, c := range doublingClasses {
		for n := 1000; n <= 16000; n *= 2 {
			fsys := doublingPack(c.part, n)
			b.Run(fmt.Sprintf("%s/%d", c.name, n), func(b *testing.B) {
				if d := generator.Check(fsys, generator.Options{}).Diagnostics.String(); strings.Contains(d, "[doc/limit]") {
					b.Skip("refused:", d)
				}
				for b.Loop() {
					generator.Build(fsys, generator.Options{})
				}
			})
		}
	}
}

// allocsDoubling returns how many times more building the pack of part
// at 2n parts allocates than at n: a count of operations, the same on
// any machine, where a time would not be.
func allocsDoubling(part func(int) string, n int) float64 {
	run := func(n int) func() {
		fsys := doublingPack(part, n)
		return func() { generator.Build(fsys, generator.Options{}) }
	}
	return testing.AllocsPerRun(1, run(2*n)) / testing.AllocsPerRun(1, run(n))
}

// Links to headings that do not exist were each compared with every
// heading of their document, for a "did you mean".
func TestUnresolvedAnchorsLinear(t *testing.T) {
	part := func(i int) string { return fmt.Sprintf("## Section %d\n\n[see](#sectoin-%d)\n\n", i, i) }
	if r := allocsDoubling(part, 500); r > 2.3 {
		t.Errorf("twice the unresolved anchors allocate %.2f times as much", r)
	}
}

// greekHeading is a heading of four Greek letters spelling i: every one
// has a different id, and the same anchor text on the print page.
func greekHeading(i int) string {
	const letters = "αβγδεζηθικλμνξοπρστυφχψω"
	r := []rune(letters)
	word := []rune{r[i%24], r[i/24%24], r[i/576%24], r[i/13824%24]}
	return "## " + string(word) + "\n\n"
}

// Headings in Greek all have the same anchor text on the print page, and
// each counted up from 2 past the ones before it.
func TestPrintAnchorsLinear(t *testing.T) {
	if r := allocsDoubling(greekHeading, 1000); r > 2.3 {
		t.Errorf("twice the Greek headings allocate %.2f times as much", r)
	}
}
