package generator

import (
	"fmt"
	"strconv"
	"strings"

	"govpack/generator/diag"
	"govpack/generator/markdown"
)

// reportDropped warns of each heading attribute parsing left out of d.
func reportDropped(d *Document, dropped []markdown.DroppedAttribute, diags *diag.List) {
	for _, a := range dropped {
		pos := d.pos(a.Pos)
		if a.Theme {
			diags.Warnf(pos, diag.RuleDocAttribute, "heading id %q is dropped: the theme uses it for an element of its own; the heading gets a generated id", a.Value)
			continue
		}
		names := make([]string, len(a.Names))
		for i, n := range a.Names {
			names[i] = strconv.Quote(n)
		}
		what := "attribute " + names[0]
		if a.Count > 1 {
			what = "attributes " + strings.Join(names, ", ")
		}
		if a.Count > len(names) {
			what += fmt.Sprintf(" (%d in all)", a.Count)
		}
		diags.Warnf(pos, diag.RuleDocAttribute, "heading %s dropped: without unsafe_html in %s a heading keeps only its id", what, SettingsFile)
	}
}
