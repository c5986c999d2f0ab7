package generator

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"

	"govpack/generator/diag"
	"govpack/generator/markdown"
	"govpack/generator/profile"
)

// PlaceholderMarker starts the paragraph that `govpack new` writes into
// every unwritten section. A section that still holds it is not coverage.
const PlaceholderMarker = "TODO(govpack):"

// minCoverageWords is how much text a covering section needs: enough that
// a heading, one sentence of filler or a placeholder does not count.
const minCoverageWords = 25

// finding is a result of a semantic check, which a [[waiver]] may waive:
// it says which profile item or entity it concerns.
type finding struct {
	diag.Diagnostic
	Item   string // the profile item concerned, if any
	Target string // the id of the entity concerned, if any
}

// findings collects the results of the semantic checks.
type findings []finding

func (f *findings) errorf(pos diag.Pos, rule, item, target, format string, args ...any) {
	*f = append(*f, finding{Diagnostic: diag.Errorf(pos, rule, format, args...), Item: item, Target: target})
}

func (f *findings) warnf(pos diag.Pos, rule, item, target, format string, args ...any) {
	*f = append(*f, finding{Diagnostic: diag.Warnf(pos, rule, format, args...), Item: item, Target: target})
}

// coverage is where one profile item is covered.
// sectionWords is what sectionContent found in a section.
type sectionWords struct {
	words       int
	placeholder diag.Pos
}

type coverage struct {
	Item *profile.Item
	Doc  *Document
	Pos  diag.Pos
	// Heading is the covering heading; nil when the whole document covers.
	Heading *Heading
	// Unwritten is set when the covering section is still a placeholder.
	Unwritten bool
}

// checkCoverage reports every profile item that no document covers, that
// two places cover, or whose covering section is empty or a placeholder.
// It returns where each covered item is covered.
func checkCoverage(p *Pack, prof *profile.Profile, diags *diag.List, out *findings) map[string]coverage {
	covered := map[string]coverage{}
	items := map[string]*profile.Item{}
	for i := range prof.Items {
		items[prof.Items[i].ID] = &prof.Items[i]
	}
	claim := func(c coverage) {
		if prev, ok := covered[c.Item.ID]; ok {
			out.errorf(c.Pos, diag.RuleCoverageDuplicate, c.Item.ID, "", "profile item %q is covered twice: here and at %s; cover it in one place and link to it from the other", c.Item.ID, prev.Pos)
			return
		}
		covered[c.Item.ID] = c
	}
	for _, d := range p.Docs {
		for i, id := range d.Front.Covers {
			it, ok := items[id]
			if !ok {
				ids := map[string]bool{}
				for id := range items {
					ids[id] = true
				}
				diags.Errorf(d.Front.At(fmt.Sprintf("covers[%d]", i)), diag.RuleCoverageUnknownItem, "covers %q, which is not an item of profile %q%s", id, prof.ID, suggestFrom(id, ids))
				continue
			}
			claim(coverage{Item: it, Doc: d, Pos: d.Front.At(fmt.Sprintf("covers[%d]", i))})
		}
		for i := range d.Headings {
			h := &d.Headings[i]
			if it, ok := items[h.ID]; ok {
				claim(coverage{Item: it, Doc: d, Pos: h.Pos, Heading: h})
			}
		}
	}
	for i := range prof.Items {
		it := &prof.Items[i]
		c, ok := covered[it.ID]
		if !ok {
			report := out.errorf
			if it.Optional {
				report = out.warnf
			}
			report(settingsPos(p), diag.RuleCoverageMissing, it.ID, "", "profile item %q (%s) is not covered by any document or heading; it must settle %s", it.ID, it.Title, it.Explain)
			continue
		}
		words, placeholder := sectionContent(c)
		switch {
		case placeholder.IsValid():
			// An unwritten item is one finding: its data and
			// responsibilities come with the writing.
			out.errorf(placeholder, diag.RuleCoveragePlaceholder, it.ID, "", "profile item %q is covered by a placeholder; write what it must settle: %s", it.ID, it.Explain)
			c.Unwritten = true
			covered[it.ID] = c
			continue
		case words < minCoverageWords:
			out.errorf(c.Pos, diag.RuleCoverageEmpty, it.ID, "", "profile item %q is covered by a section with %d words; a covering section needs at least %d words of content", it.ID, words, minCoverageWords)
		}
		for _, need := range it.Needs {
			if !hasEntities(&p.Data, need) {
				out.errorf(c.Pos, diag.RuleCoverageNeeds, it.ID, "", "profile item %q needs %s in the governance data, and the pack has none", it.ID, describeKind(need))
			}
		}
		if it.Section != "" && c.Doc.Section != it.Section {
			out.errorf(c.Pos, diag.RuleCoverageSection, it.ID, "", "profile item %q must be covered in section %q, not %q", it.ID, it.Section, c.Doc.Section)
		}
	}
	return covered
}

// settingsPos is where findings about the pack as a whole point: the
// profile setting, or the top of govpack.toml.
func settingsPos(p *Pack) diag.Pos {
	if pos := p.Settings.At("profile"); pos.Line > 0 {
		return pos
	}
	return diag.Pos{File: SettingsFile, Line: 1, Col: 1}
}

// sectionContent counts the words of a covering section (headings left
// out) and finds a placeholder marker in it.
func sectionContent(c coverage) (words int, placeholder diag.Pos) {
	d := c.Doc
	key := ""
	if c.Heading != nil {
		key = c.Heading.ID
	}
	// A document linked as in the last build, which rendered it, has the
	// same text: link texts are the only words linking changes.
	if !d.rendered {
		d.sections = nil
	}
	if s, ok := d.sections[key]; ok {
		return s.words, s.placeholder
	}
	defer func() {
		if d.sections == nil {
			d.sections = map[string]sectionWords{}
		}
		d.sections[key] = sectionWords{words, placeholder}
	}()
	var start ast.Node = d.tree().FirstChild()
	level := 0
	if c.Heading != nil {
		start = c.Heading.node.NextSibling()
		level = c.Heading.Level
	}
	for n := start; n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			if level > 0 && h.Level <= level {
				break
			}
			continue
		}
		text := blockText(n, d.Source)
		if strings.Contains(text, PlaceholderMarker) && !placeholder.IsValid() {
			placeholder = d.pos(n.Pos())
		}
		words += countWords(strings.ReplaceAll(text, PlaceholderMarker, ""))
	}
	return words, placeholder
}

// blockText returns the readable text of a block: inline text, code,
// and a space after each block so that table cells and list items do not
// run together.
func blockText(n ast.Node, src []byte) string {
	var b bytes.Buffer
	writeBlockText(&b, n, src)
	return b.String()
}

// writeBlockText writes the text of n to b, as blockText returns it.
func writeBlockText(b *bytes.Buffer, n ast.Node, src []byte) {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			// Blocks (paragraphs, list items, table cells) end a word;
			// inline nodes do not: "decision" and the "," after a link
			// are one word apart in the source, not two.
			if c.Type() == ast.TypeBlock {
				b.WriteByte(' ')
			}
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *markdown.Highlighted:
			lines := c.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(src))
			}
		case *ast.Text:
			b.Write(c.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
}

func countWords(s string) int {
	return len(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
}

// checkGovernance reports inconsistent governance data: out-of-range
// fractions, members in no body, bodies without members, responsibilities
// nobody holds.
func checkGovernance(p *Pack, v *views, prof *profile.Profile, covered map[string]coverage, out *findings) {
	d := &p.Data
	for _, dec := range d.Decisions {
		if dec.Quorum < 0 || dec.Quorum > 1 {
			out.errorf(dec.At("quorum"), diag.RuleGovRange, "", dec.ID, "quorum %v of decision %q is outside 0..1; write a fraction such as 0.5", dec.Quorum, dec.ID)
		}
		if dec.Threshold <= 0 || dec.Threshold > 1 {
			out.errorf(dec.At("threshold"), diag.RuleGovRange, "", dec.ID, "threshold %v of decision %q is outside 0..1; write a fraction such as 0.6667", dec.Threshold, dec.ID)
		}
	}
	inBody := map[string]bool{}
	for i := range d.Bodies {
		b := &d.Bodies[i]
		members := v.bodyMembers(b)
		if len(members) == 0 {
			out.errorf(b.At("members"), diag.RuleGovEmptyBody, "", b.ID, "body %q has no members", b.ID)
		}
		for _, m := range members {
			inBody[m] = true
		}
	}
	for _, m := range d.Members {
		if !inBody[m.ID] && len(d.Bodies) > 0 {
			out.errorf(m.At("id"), diag.RuleGovMemberWithoutBody, "", m.ID, "member %q belongs to no body", m.ID)
		}
	}
	served := map[string]bool{}
	for _, r := range d.Responsibilities {
		if len(v.holders(r.Holders)) == 0 {
			out.errorf(r.At("holders"), diag.RuleGovUnheld, r.Item, r.ID, "responsibility %q is held by nobody: its holders name no member", r.ID)
			continue
		}
		served[r.Item] = true
	}
	for _, it := range prof.Items {
		// A missing or unwritten item is reported once, by coverage.
		if c, ok := covered[it.ID]; !ok || c.Unwritten {
			continue
		}
		if !it.Optional && !served[it.ID] {
			out.errorf(settingsPos(p), diag.RuleGovUnheld, it.ID, "", "no member holds a responsibility for profile item %q (%s): add a [[responsibility]] with item = %q", it.ID, it.Title, it.ID)
		}
	}
}

func hasEntities(d *Data, kind string) bool {
	switch kind {
	case "member":
		return len(d.Members) > 0
	case "body":
		return len(d.Bodies) > 0
	case "role":
		return len(d.Roles) > 0
	case "right":
		return len(d.Rights) > 0
	case "responsibility":
		return len(d.Responsibilities) > 0
	case "decision":
		return len(d.Decisions) > 0
	case "consensus":
		return d.Consensus != nil
	case "node":
		return len(d.Nodes) > 0
	case "data_class":
		return len(d.DataClasses) > 0
	case "term":
		return len(d.Terms) > 0
	case "amendment":
		return len(d.Amendments) > 0
	}
	return true
}

func describeKind(kind string) string {
	if kind == "consensus" {
		return "a [consensus] table"
	}
	return "at least one [[" + kind + "]]"
}

// checkConcentration reports a single party that controls the alliance:
// one member whose vote alone passes a decision, a veto only one member
// holds, a member running enough consensus nodes to halt or control the
// chain.
func checkConcentration(p *Pack, v *views, out *findings) {
	for _, dv := range v.decisions() {
		dec := dv.Decision
		if dv.Seats == 0 || dec.Threshold <= 0 || dec.Threshold > 1 {
			continue
		}
		switch {
		case dv.Seats == 1:
			out.errorf(dec.At("body"), diag.RuleConcentrationDecision, "", dec.ID, "one member decides %q alone: body %q has a single seat", dec.ID, dec.Body)
		case dec.Basis == "all" && dv.VotesAll <= 1:
			out.errorf(dec.At("threshold"), diag.RuleConcentrationDecision, "", dec.ID, "one member can pass %q alone: 1 yes vote of %d seats meets the %s threshold", dec.ID, dv.Seats, percent(dec.Threshold))
		case dec.Basis != "all" && dv.VotesMin <= 1:
			out.errorf(dec.At("threshold"), diag.RuleConcentrationDecision, "", dec.ID, "one member can pass %q alone: with the minimum quorum of %d present, 1 yes vote meets the %s threshold of votes cast", dec.ID, dv.Present, percent(dec.Threshold))
		}
		if len(dec.Veto) == 1 {
			out.errorf(dec.At("veto"), diag.RuleConcentrationVeto, "", dec.ID, "member %q alone holds a veto over %q: no other member can block it the same way", dec.Veto[0], dec.ID)
		}
	}
	plan := v.nodePlan()
	n := plan.Consensual
	for _, op := range plan.Operators {
		c := op.Nodes
		id := op.ID
		pos := diag.Pos{}
		for _, node := range p.Data.Nodes {
			if node.Operator == id && (node.Type == "validator" || node.Type == "orderer") {
				pos = node.At("operator")
			}
		}
		switch {
		case plan.FaultModel == "byzantine" && op.Control:
			out.errorf(pos, diag.RuleConcentrationNodes, "", id, "member %q runs %d of %d consensus nodes: under %s it alone reaches the two-thirds quorum and controls the chain", id, c, n, plan.Consensus.Algorithm)
		case plan.FaultModel == "byzantine" && op.Halt:
			out.errorf(pos, diag.RuleConcentrationNodes, "", id, "member %q runs %d of %d consensus nodes: under %s (n ≥ 3f+1, f = %d) one third or more can halt the chain", id, c, n, plan.Consensus.Algorithm, plan.Tolerated)
		case op.Control:
			out.errorf(pos, diag.RuleConcentrationNodes, "", id, "member %q runs %d of %d consensus nodes: a majority, so under %s it alone commits blocks and controls the chain", id, c, n, algorithmName(plan))
		case op.Halt:
			out.errorf(pos, diag.RuleConcentrationNodes, "", id, "member %q runs %d of %d consensus nodes: under %s (crash faults, majority quorum) half or more can halt the chain", id, c, n, algorithmName(plan))
		}
	}
}

func algorithmName(plan nodeView) string {
	if plan.Consensus == nil {
		return "a crash-fault algorithm"
	}
	return plan.Consensus.Algorithm
}
