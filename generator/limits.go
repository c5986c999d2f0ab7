package generator

import (
	"govpack/generator/diag"
	"govpack/generator/markdown"
)

// DefaultLimits are the limits of a pack whose [limits] table leaves them
// out. A governance document runs to tens of KB (the sample pack's largest
// is 7 KB), nests a few levels and has tens of links and notes: each
// default is a hundred times that or more. Each is also low enough that
// a document at it builds in seconds and a few hundred MB: a 1 MiB page
// of nothing but headings or emphasis takes 400 MB to build, where 4 MiB
// took 1.5 GB; goldmark's time grows with the square of the footnotes, or
// of the definitions in a row, so 5,000 of either cost a tenth of a
// second where 20,000 cost seconds.
func DefaultLimits() Limits {
	return Limits{DocumentBytes: 1 << 20, Depth: 100, Links: 20000, Footnotes: 5000, Definitions: 5000}
}

// resolve fills the limits l leaves out with their defaults and reports
// a limit that is not a positive number, which then keeps its default.
func (l *Limits) resolve(diags *diag.List) {
	def := DefaultLimits()
	for _, f := range [...]struct {
		key      string
		val, def *int
	}{
		{"document_bytes", &l.DocumentBytes, &def.DocumentBytes},
		{"depth", &l.Depth, &def.Depth},
		{"links", &l.Links, &def.Links},
		{"footnotes", &l.Footnotes, &def.Footnotes},
		{"definitions", &l.Definitions, &def.Definitions},
	} {
		_, set := l.Keys[f.key]
		if set && *f.val <= 0 {
			diags.Errorf(l.At(f.key), diag.RuleTOMLValue, "limits.%s must be a positive number, not %d", f.key, *f.val)
		}
		if !set || *f.val <= 0 {
			*f.val = *f.def
		}
	}
}

// values are the limits as numbers, which compare with ==.
func (l Limits) values() [5]int {
	return [5]int{l.DocumentBytes, l.Depth, l.Links, l.Footnotes, l.Definitions}
}

// markdown returns the limits the Markdown parser checks.
func (l Limits) markdown() markdown.Limits {
	return markdown.Limits{Depth: l.Depth, Links: l.Links, Footnotes: l.Footnotes, Definitions: l.Definitions}
}

// checkLimits reports the first limit the document file src passes, and
// whether it keeps to all of them; body, at offset in src, is its Markdown.
func checkLimits(lines *diag.LineIndex, src, body []byte, offset int, l Limits, diags *diag.List) bool {
	if len(src) > l.DocumentBytes {
		diags.Errorf(lines.Pos(l.DocumentBytes), diag.RuleDocLimit, "document is larger than %d bytes (limits.document_bytes in %s)", l.DocumentBytes, SettingsFile)
		return false
	}
	err := markdown.CheckLimits(body, l.markdown())
	if err == nil {
		return true
	}
	what := map[string]string{
		"depth":       "block quotes and list items nest more than %d deep",
		"links":       "document has more than %d links, images and footnote marks (each '[' counts)",
		"footnotes":   "document has more than %d footnote references and definitions (each \"[^\" counts)",
		"definitions": "document has more than %d link reference definitions (each \"]:\" counts)",
	}[err.Limit]
	diags.Errorf(lines.Pos(offset+err.Pos), diag.RuleDocLimit, what+" (limits.%s in %s)", err.Max, err.Limit, SettingsFile)
	return false
}
