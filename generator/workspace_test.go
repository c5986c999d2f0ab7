package generator_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"govpack/generator"
)

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644}
	}
	return fsys
}

var basePack = map[string]string{
	"govpack.toml":       "title = \"Base\"\nconsortium = \"Shared Alliance\"\nprofile = \"p.toml\"\n[theme]\naccent = \"#8b1f3d\"\nfooter = \"Prepared by Example Consulting\"\nlogo = \"static/logo.svg\"\n",
	"p.toml":             "id = \"p\"\ntitle = \"P\"\n",
	"charter/a.md":       "# Inherited\n\nFrom the base.\n",
	"charter/b.md":       "# Replaced\n\nThe base's text.\n",
	"data/members.toml":  "[[member]]\nid = \"bank-a\"\nname = \"Bank A\"\nkind = \"founding\"\n\n[[member]]\nid = \"bank-b\"\nname = \"Base name of B\"\nkind = \"founding\"\n\n[[body]]\nid = \"assembly\"\nname = \"Assembly\"\nmembers = \"all\"\n",
	"static/logo.svg":    "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
	"ratifications.toml": "this is not TOML and must never be read",
	"history/1.0.0/x.md": "# Old\n",
}

// A client pack over a base: documents by path, entities by kind and id,
// settings key by key; the base's ratifications and history stay out.
func TestOverlayInherits(t *testing.T) {
	client := mapFS(map[string]string{
		"govpack.toml":     "title = \"Client\"\n[theme]\nclient = \"Harbour Bank\"\n",
		"charter/b.md":     "# Replaced\n\nThe client's text.\n",
		"data/client.toml": "[[member]]\nid = \"bank-b\"\nname = \"Client name of B\"\nkind = \"founding\"\n\n[[member]]\nid = \"bank-c\"\nname = \"Bank C\"\nkind = \"ordinary\"\n",
	})
	o := generator.NewOverlay(client, mapFS(basePack), "../base")
	if err := fstest.TestFS(o, "govpack.toml", "p.toml", "charter/a.md", "charter/b.md", "data/members.toml", "data/client.toml", "static/logo.svg"); err != nil {
		t.Fatal(err)
	}
	res := generator.Build(o, generator.Options{})
	if res.Output == nil {
		t.Fatalf("no site:\n%s", res.Diagnostics)
	}
	s := res.Pack.Settings
	if s.Title != "Client" || s.Consortium != "Shared Alliance" || s.Theme.Client != "Harbour Bank" || s.Theme.Accent != "#8b1f3d" || s.Profile != "p.toml" {
		t.Errorf("settings not merged key by key: %+v", s)
	}
	var names []string
	for _, m := range res.Pack.Data.Members {
		names = append(names, m.ID+"="+m.Name)
	}
	if got := strings.Join(names, ", "); got != "bank-a=Bank A, bank-b=Client name of B, bank-c=Bank C" {
		t.Errorf("members: %s", got)
	}
	for page, want := range map[string]string{
		"charter/a.html": "From the base.",
		"charter/b.html": "The client",
		"index.html":     "Harbour Bank",
		"logo.svg":       "<svg",
	} {
		if !strings.Contains(string(res.Output[page]), want) {
			t.Errorf("%s lacks %q", page, want)
		}
	}
	if strings.Contains(string(res.Output["charter/b.html"]), "The base") {
		t.Error("the base's charter/b.md was not replaced")
	}
	if _, ok := res.Output["governance/redlines/1.0.0.html"]; ok {
		t.Error("the base's history was inherited")
	}
	for name, want := range map[string]string{"charter/a.md": "../base/charter/a.md", "charter/b.md": "charter/b.md", "data/members.toml": "../base/data/members.toml", "../base/govpack.toml": "../base/govpack.toml"} {
		if got := o.Where(name); got != want {
			t.Errorf("Where(%q) = %q, want %q", name, got, want)
		}
	}
}

// A problem in an inherited file or setting is reported where it is,
// relative to the pack's directory.
func TestOverlayDiagnostics(t *testing.T) {
	base := map[string]string{}
	for k, v := range basePack {
		base[k] = v
	}
	base["govpack.toml"] = "title = \"Base\"\nprofile = \"p.toml\"\n[theme]\naccent = \"navy\"\n"
	base["charter/a.md"] = "# A\n\nSee [x](member:nobody).\n"
	client := mapFS(map[string]string{"govpack.toml": "title = \"Client\"\nversoin = \"1\"\n"})
	o := generator.NewOverlay(client, mapFS(base), "../base")
	res := generator.Check(o, generator.Options{})
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, d.Pos.File+":"+d.Rule)
	}
	want := []string{"../base/charter/a.md:ref/unresolved", "../base/govpack.toml:toml/value", "govpack.toml:toml/unknown-key"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v, want %v\n%s", got, want, res.Diagnostics)
	}
	client = mapFS(map[string]string{"govpack.toml": "title = \"Client\"\n[theme]\naccent = \"#1f5f8b\"\n"})
	o = generator.NewOverlay(client, mapFS(base), "../base")
	res = generator.Check(o, generator.Options{})
	got = nil
	for _, d := range res.Diagnostics {
		got = append(got, d.Pos.File+":"+d.Rule)
	}
	if strings.Join(got, " ") != "../base/charter/a.md:ref/unresolved" {
		t.Errorf("got %v\n%s", got, res.Diagnostics)
	}
}

func TestParseWorkspace(t *testing.T) {
	w, diags := generator.ParseWorkspace([]byte("base = \"shared\"\npacks = [\"clients/a\", \"clients/b\"]\n"))
	if len(diags) > 0 || w.Base != "shared" || len(w.Packs) != 2 {
		t.Fatalf("%+v %s", w, diags)
	}
	_, diags = generator.ParseWorkspace([]byte("packs = [\"a\", \"../outside\", \"/abs\", \"a\", \"\"]\nbsae = \"x\"\n"))
	want := `govpack.work.toml:1:15: error: packs[1] "../outside" must be a directory below the workspace, written with forward slashes [toml/value]
govpack.work.toml:1:29: error: packs[2] "/abs" must be a directory below the workspace, written with forward slashes [toml/value]
govpack.work.toml:1:37: error: pack "a" is listed twice [toml/duplicate-id]
govpack.work.toml:1:42: error: packs[4]: an empty path [toml/value]
govpack.work.toml:2:1: error: unknown key "bsae"; did you mean "base"? [toml/unknown-key]
`
	if diags.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", diags, want)
	}
}

// FuzzParseWorkspace: no panic, every position inside the file.
func FuzzParseWorkspace(f *testing.F) {
	f.Add([]byte("base = \"shared\"\npacks = [\"clients/a\", \"clients/b\"]\n"))
	f.Add([]byte("packs = [\"../x\", \"\", \"a\", \"a\"]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		_, diags := generator.ParseWorkspace(src)
		lines := strings.Count(string(src), "\n") + 1
		for _, d := range diags {
			if d.Pos.Line > lines {
				t.Fatalf("%s: beyond the end of the file", d)
			}
		}
	})
}
