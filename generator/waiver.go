package generator

import (
	"fmt"
	"strings"

	"govpack/generator/diag"
	"govpack/generator/profile"
)

// waivable lists the rule families a [[waiver]] may waive: findings about
// the governance, never about broken sources or references.
var waivable = []string{"coverage/", "gov/", "concentration/", diag.RuleRatifyThreshold}

// applyWaivers marks the findings that a [[waiver]] matches as waived,
// carrying the waiver's reason, and reports waivers that match nothing or
// cannot match anything. It returns the items waived as a whole.
func applyWaivers(p *Pack, prof *profile.Profile, found findings) (diag.List, map[string]*Waiver) {
	var out diag.List
	used := make([]bool, len(p.Data.Waivers))
	waivedItems := map[string]*Waiver{}
	for i := range p.Data.Waivers {
		w := &p.Data.Waivers[i]
		switch {
		case w.Item == "" && w.Rule == "":
			out.Errorf(w.Pos, diag.RuleWaiverInvalid, "a [[waiver]] needs an item or a rule to waive")
			used[i] = true
		case w.Item != "":
			if _, ok := prof.Item(w.Item); !ok {
				out.Errorf(w.At("item"), diag.RuleWaiverInvalid, "waiver names item %q, which is not an item of profile %q", w.Item, prof.ID)
				used[i] = true
			}
		case !isWaivable(w.Rule):
			out.Errorf(w.At("rule"), diag.RuleWaiverInvalid, "rule %q cannot be waived; only rules under coverage/, gov/ and concentration/, and ratify/threshold, can", w.Rule)
			used[i] = true
		}
	}
	for fi, f := range found {
		d := &found[fi].Diagnostic
		for i := range p.Data.Waivers {
			w := &p.Data.Waivers[i]
			if !waives(w, f) {
				continue
			}
			used[i] = true
			d.Severity = diag.Waived
			d.Note = "waived: " + w.Reason
			if w.AgreedBy != "" {
				d.Note += "; agreed by " + w.AgreedBy
			}
			if f.Item != "" && strings.HasPrefix(f.Rule, "coverage/") {
				waivedItems[f.Item] = w
			}
			break
		}
	}
	for i := range p.Data.Waivers {
		w := &p.Data.Waivers[i]
		if w.Item != "" && !used[i] {
			// An item waiver also records that the item does not apply,
			// even when nothing was found missing.
			waivedItems[w.Item] = w
			if _, ok := prof.Item(w.Item); ok {
				continue
			}
		}
		if !used[i] {
			out.Warnf(w.Pos, diag.RuleWaiverUnused, "waiver %s matches no finding; remove it, or correct its %s", describeWaiver(w), waiverKeys(w))
		}
	}
	return out, waivedItems
}

func isWaivable(rule string) bool {
	for _, prefix := range waivable {
		if strings.HasPrefix(rule, prefix) {
			return true
		}
	}
	return false
}

// waives reports whether w matches finding f: by item (any finding about
// the item), or by rule, narrowed by target to one entity.
func waives(w *Waiver, f finding) bool {
	if w.Item != "" && w.Item != f.Item {
		return false
	}
	if w.Rule != "" && w.Rule != f.Rule {
		return false
	}
	if w.Target != "" && w.Target != f.Target && w.Target != f.Item {
		return false
	}
	return w.Item != "" || w.Rule != ""
}

func describeWaiver(w *Waiver) string {
	var parts []string
	if w.Item != "" {
		parts = append(parts, fmt.Sprintf("of item %q", w.Item))
	}
	if w.Rule != "" {
		parts = append(parts, fmt.Sprintf("of rule %q", w.Rule))
	}
	if w.Target != "" {
		parts = append(parts, fmt.Sprintf("for %q", w.Target))
	}
	return strings.Join(parts, " ")
}

func waiverKeys(w *Waiver) string {
	if w.Target != "" {
		return "rule, item or target"
	}
	return "rule or item"
}

// Coverage is the profile coverage of a pack, pillar by pillar.
type Coverage struct {
	Profile *profile.Profile
	Pillars []PillarCoverage
}

// PillarCoverage is the coverage of one pillar.
type PillarCoverage struct {
	Pillar                   profile.Pillar
	Items                    []ItemCoverage
	Covered, Waived, Missing int
}

// ItemCoverage says whether and where one profile item is covered.
type ItemCoverage struct {
	Item   *profile.Item
	Status string // "covered", "waived" or "missing"
	Where  Link   // the covering document or heading
	Reason string // the waiver's reason, when waived
}

// coverageReport summarises coverage once findings are known: an item is
// covered when a document covers it and no finding about it remains.
func coverageReport(prof *profile.Profile, covered map[string]coverage, found findings, waived map[string]*Waiver) Coverage {
	open := map[string]bool{}
	for _, f := range found {
		if strings.HasPrefix(f.Rule, "coverage/") && f.Severity != diag.Waived {
			open[f.Item] = true
		}
	}
	rep := Coverage{Profile: prof}
	for _, pl := range prof.Pillars {
		pc := PillarCoverage{Pillar: pl}
		for i := range prof.Items {
			it := &prof.Items[i]
			if it.Pillar != pl.ID {
				continue
			}
			ic := ItemCoverage{Item: it, Status: "missing"}
			if c, ok := covered[it.ID]; ok {
				ic.Where = Link{Title: c.Doc.Title, URL: c.Doc.URL}
				if c.Heading != nil {
					ic.Where = Link{Title: c.Heading.Text, URL: c.Doc.URL + "#" + c.Heading.ID, Note: c.Doc.Title}
				}
			}
			switch w := waived[it.ID]; {
			case w != nil:
				ic.Status, ic.Reason = "waived", w.Reason
				pc.Waived++
			case ic.Where.URL != "" && !open[it.ID]:
				ic.Status = "covered"
				pc.Covered++
			default:
				pc.Missing++
			}
			pc.Items = append(pc.Items, ic)
		}
		rep.Pillars = append(rep.Pillars, pc)
	}
	return rep
}

// Summary is the one-line coverage summary check ends with.
func (c Coverage) Summary() string {
	var covered, waived, missing int
	for _, pc := range c.Pillars {
		covered += pc.Covered
		waived += pc.Waived
		missing += pc.Missing
	}
	return fmt.Sprintf("profile %s: %d items covered, %d waived, %d missing", c.Profile.ID, covered, waived, missing)
}
