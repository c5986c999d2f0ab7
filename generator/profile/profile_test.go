package profile

import (
	"strings"
	"testing"
)

func TestBuiltinAlliance(t *testing.T) {
	p, ok := Builtin("alliance")
	if !ok {
		t.Fatal("no alliance profile")
	}
	if len(p.Pillars) != 4 || len(p.Items) != 20 {
		t.Fatalf("alliance has %d pillars and %d items, want 4 and 20", len(p.Pillars), len(p.Items))
	}
	for _, it := range p.Items {
		if it.Explain == "" {
			t.Errorf("item %s explains nothing", it.ID)
		}
	}
	if _, ok := p.Item("node-planning-and-control"); !ok {
		t.Error("missing node-planning-and-control")
	}
}

func TestParseReportsProblems(t *testing.T) {
	src := "id = \"x\"\ntitle = \"X\"\n[[pillar]]\nid = \"p\"\ntitle = \"P\"\n[[item]]\nid = \"a\"\npillar = \"q\"\ntitle = \"A\"\n[[item]]\nid = \"a\"\npillar = \"p\"\ntitle = \"A again\"\n"
	_, diags := Parse("p.toml", []byte(src))
	got := diags.String()
	for _, want := range []string{
		`p.toml:8:1: error: item "a" names unknown pillar "q" [profile/unknown-pillar]`,
		`p.toml:11:1: error: duplicate item id "a" [profile/duplicate-id]`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
}

// FuzzParse parses arbitrary profile files: no panic, positions inside.
func FuzzParse(f *testing.F) {
	src, _ := builtin.ReadFile("alliance.toml")
	f.Add(src)
	f.Add([]byte("id = \"x\"\n[[item]]\nid = 3\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		_, diags := Parse("p.toml", src)
		lines := strings.Split(string(src), "\n")
		for _, d := range diags {
			if d.Pos.Line > len(lines) {
				t.Fatalf("%s: beyond the end of the file", d)
			}
		}
	})
}

// TestBuiltinISO23635 pins the shape of the profile drawn from ISO/TS
// 23635:2022: the nine principles of clause 4.2, the three framework areas
// of clauses 5.4 to 5.6, and clauses 6.1 and 6.2, each item naming its clause.
func TestBuiltinISO23635(t *testing.T) {
	p, ok := Builtin("iso23635")
	if !ok {
		t.Fatal("no iso23635 profile")
	}
	perPillar := map[string]int{}
	for _, it := range p.Items {
		perPillar[it.Pillar]++
		if it.Explain == "" || !strings.Contains(it.Title, "(") {
			t.Errorf("item %s: explain %q, title %q (must name its clause)", it.ID, it.Explain, it.Title)
		}
	}
	if len(p.Pillars) != 3 || perPillar["principles"] != 9 || perPillar["framework"] != 3 || perPillar["system-type"] != 2 {
		t.Errorf("pillars %d, items per pillar %v; want 3 pillars of 9, 3 and 2 items", len(p.Pillars), perPillar)
	}
	if !BuiltinNames()["iso23635"] || !BuiltinNames()["alliance"] {
		t.Errorf("built-in names: %v", BuiltinNames())
	}
}
