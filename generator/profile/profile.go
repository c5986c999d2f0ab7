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
	ID          string   `toml:"id,required"`
	Title       string   `toml:"title,required"`
	Pillars     []Pillar `toml:"pillar"`
	Items       []Item   `toml:"item"`
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
	Pillar      string   `toml:"pillar,required"`
	Title       string   `toml:"title,required"`
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
			diags.Errorf(pl.At("id"), "profile/duplicate-id", "duplicate pillar id %q", pl.ID)
		}
		pillars[pl.ID] = true
	}
	items := map[string]bool{}
	for _, it := range p.Items {
		if items[it.ID] {
			diags.Errorf(it.At("id"), "profile/duplicate-id", "duplicate item id %q", it.ID)
		}
		items[it.ID] = true
		if it.Pillar != "" && !pillars[it.Pillar] {
			diags.Errorf(it.At("pillar"), "profile/unknown-pillar", "item %q names unknown pillar %q", it.ID, it.Pillar)
		}
	}
	return &p, diags
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
