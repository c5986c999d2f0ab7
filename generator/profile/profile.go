// Package profile reads governance profiles: the pillars and items a
// complete pack must cover. Profiles are data: the built-in ones are TOML
// files embedded in the binary, in the same format a consultancy writes its own.
package profile

import (
	"embed"
	"fmt"
	"strings"

	"govpack/generator/decode"
	"govpack/generator/diag"
)

//go:embed *.toml
var builtin embed.FS

// Profile is a list of pillars and the items each requires.
type Profile struct {
	decode.Meta `toml:"-"`
	ID          string `toml:"id,required"`
	Title       string `toml:"title,required"`
	// Extends names a built-in profile this one starts from: its pillars
	// and items, which this profile's own re-word (same id), add to, or
	// Drop.
	Extends string   `toml:"extends"`
	Drop    []string `toml:"drop"`
	Pillars []Pillar `toml:"pillar"`
	Items   []Item   `toml:"item"`
	// Severity sets "error" or "warning" per rule id, for the rules a
	// profile governs (coverage/, gov/, concentration/, ratify/).
	Severity map[string]string `toml:"severity"`
}

// Pillar groups items.
type Pillar struct {
	decode.Meta `toml:"-"`
	ID          string `toml:"id,required"`
	Title       string `toml:"title,required"`
}

// Item is something a pack must settle.
type Item struct {
	decode.Meta `toml:"-"`
	ID          string   `toml:"id,required"`
	Pillar      string   `toml:"pillar"` // required, unless re-wording an item of the base profile
	Title       string   `toml:"title"`  // required, likewise
	Explain     string   `toml:"explain"`
	Section     string   `toml:"section"`  // the site section the item must sit in, if any
	Needs       []string `toml:"needs"`    // entity kinds the item requires, e.g. "decision"
	Optional    bool     `toml:"optional"` // reported as a warning when missing
}

// Builtin returns the built-in profile called name.
func Builtin(name string) (*Profile, bool) {
	src, err := builtin.ReadFile(name + ".toml")
	if err != nil {
		return nil, false
	}
	p, diags := Parse(name+".toml", src)
	if diags.HasErrors() {
		panic(fmt.Sprintf("built-in profile %s: %s", name, diags))
	}
	return p, true
}

// Governs reports whether rule is one of the governance rules whose
// severity a profile may set: the findings about what the pack says,
// rather than about how its sources are written.
func Governs(rule string) bool {
	for _, family := range []string{"coverage/", "gov/", "concentration/", "ratify/"} {
		if strings.HasPrefix(rule, family) {
			return true
		}
	}
	return false
}

// BuiltinSource returns the TOML of the built-in profile called name, the
// starting point of a consultancy's own profile.
func BuiltinSource(name string) ([]byte, bool) {
	src, err := builtin.ReadFile(name + ".toml")
	return src, err == nil
}

// BuiltinNames lists the built-in profiles.
func BuiltinNames() map[string]bool {
	names := map[string]bool{}
	entries, _ := builtin.ReadDir(".")
	for _, e := range entries {
		names[strings.TrimSuffix(e.Name(), ".toml")] = true
	}
	return names
}

// Parse decodes a profile file and checks that its items name known pillars
// and that ids are unique.
func Parse(file string, src []byte) (*Profile, diag.List) {
	var p Profile
	diags := decode.Decode(file, src, &p)
	pillars := map[string]bool{}
	for _, pl := range p.Pillars {
		if pillars[pl.ID] {
			diags.Errorf(pl.At("id"), diag.RuleProfileDuplicateID, "duplicate pillar id %q", pl.ID)
		}
		pillars[pl.ID] = true
	}
	items := map[string]bool{}
	for _, it := range p.Items {
		if items[it.ID] {
			diags.Errorf(it.At("id"), diag.RuleProfileDuplicateID, "duplicate item id %q", it.ID)
		}
		items[it.ID] = true
	}
	if p.Extends != "" {
		base, ok := Builtin(p.Extends)
		if !ok {
			diags.Errorf(p.At("extends"), diag.RuleProfileUnknown, "extends %q, which is not a built-in profile", p.Extends)
		} else {
			extend(&p, base, &diags)
		}
	}
	for k, v := range p.Severity {
		if v != "error" && v != "warning" {
			diags.Errorf(p.At("severity"), diag.RuleProfileSeverity, "severity of %q must be \"error\" or \"warning\", not %q", k, v)
		}
		if !Governs(k) {
			diags.Errorf(p.At("severity"), diag.RuleProfileSeverity, "a profile sets the severity of governance rules only (coverage/, gov/, concentration/, ratify/), not %q", k)
		}
	}
	pillars = map[string]bool{}
	for _, pl := range p.Pillars {
		pillars[pl.ID] = true
	}
	for _, it := range p.Items {
		switch {
		case it.Title == "":
			diags.Errorf(it.Pos, diag.RuleTOMLMissingKey, "[[item]] %q is missing required key \"title\"", it.ID)
		case it.Pillar == "":
			diags.Errorf(it.Pos, diag.RuleTOMLMissingKey, "[[item]] %q is missing required key \"pillar\"", it.ID)
		case !pillars[it.Pillar]:
			diags.Errorf(it.At("pillar"), diag.RuleProfileUnknownPillar, "item %q names unknown pillar %q", it.ID, it.Pillar)
		}
	}
	return &p, diags
}

// extend merges the base profile under p: base pillars and items first, in
// their order; p's items with a base id re-word them field by field; p's
// other items follow; Drop removes items.
func extend(p *Profile, base *Profile, diags *diag.List) {
	pillars := append([]Pillar(nil), base.Pillars...)
	for _, pl := range p.Pillars {
		replaced := false
		for i := range pillars {
			if pillars[i].ID == pl.ID {
				pillars[i], replaced = pl, true
			}
		}
		if !replaced {
			pillars = append(pillars, pl)
		}
	}
	items := append([]Item(nil), base.Items...)
	for _, it := range p.Items {
		found := false
		for i := range items {
			if items[i].ID != it.ID {
				continue
			}
			found = true
			b := &items[i]
			b.Meta = it.Meta
			if it.Title != "" {
				b.Title = it.Title
			}
			if it.Pillar != "" {
				b.Pillar = it.Pillar
			}
			if it.Explain != "" {
				b.Explain = it.Explain
			}
			if it.Section != "" {
				b.Section = it.Section
			}
			if it.Needs != nil {
				b.Needs = it.Needs
			}
			if _, set := it.Keys["optional"]; set {
				b.Optional = it.Optional
			}
		}
		if !found {
			items = append(items, it)
		}
	}
	for i, id := range p.Drop {
		kept := items[:0]
		dropped := false
		for _, it := range items {
			if it.ID == id {
				dropped = true
				continue
			}
			kept = append(kept, it)
		}
		items = kept
		if !dropped {
			diags.Errorf(p.At(fmt.Sprintf("drop[%d]", i)), diag.RuleProfileUnknownItem, "drop names %q, which profile %q does not have", id, base.ID)
		}
	}
	p.Pillars, p.Items = pillars, items
}

// Item returns the item with the given id.
func (p *Profile) Item(id string) (*Item, bool) {
	for i := range p.Items {
		if p.Items[i].ID == id {
			return &p.Items[i], true
		}
	}
	return nil, false
}
