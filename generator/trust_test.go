package generator_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"govpack/generator"
)

// alpenbank is the [[member]] alpenbank declaring its sample key.
func alpenbank(t *testing.T) string {
	t.Helper()
	pub, err := os.ReadFile("../testdata/sample-keys/alpenbank.pub")
	if err != nil {
		t.Fatal(err)
	}
	return "[[member]]\nid = \"alpenbank\"\nname = \"Alpenbank\"\nkind = \"founding\"\nsigning_keys = [\"" + strings.TrimSpace(string(pub)) + "\"]\n"
}

// trustPack is a pack at version 2.0.0 whose member alpenbank declares its
// sample key, with history/a holding an archived version and its members.
func trustPack(t *testing.T, archivedVersion, archivedMembers string) fstest.MapFS {
	t.Helper()
	members := alpenbank(t)
	fsys := fstest.MapFS{}
	for prefix, version := range map[string]string{"": "2.0.0", "history/a/": archivedVersion} {
		fsys[prefix+"govpack.toml"] = &fstest.MapFile{Data: []byte("title = \"T\"\nprofile = \"p.toml\"\nversion = \"" + version + "\"\n")}
		fsys[prefix+"p.toml"] = &fstest.MapFile{Data: []byte("id = \"p\"\ntitle = \"P\"\n")}
		fsys[prefix+"charter/a.md"] = &fstest.MapFile{Data: []byte("# A\n")}
	}
	fsys["data.toml"] = &fstest.MapFile{Data: []byte(members)}
	fsys["history/a/data.toml"] = &fstest.MapFile{Data: []byte(archivedMembers)}
	return fsys
}

func newKeyWarnings(res *generator.Result) []string {
	var out []string
	for _, d := range res.Diagnostics {
		if d.Rule == "ratify/new-key" {
			out = append(out, d.String())
		}
	}
	return out
}

// A key counts from the previous version only, and a previous version that
// cannot be read trusts none: the pack never falls back to trusting the
// keys it declares itself.
func TestKeysTrustedFromPreviousVersion(t *testing.T) {
	same := alpenbank(t)
	for _, c := range []struct {
		name, version, members, want string
	}{
		{"declared before", "1.0.0", same, ""},
		{"declared for another member", "1.0.0", strings.Replace(same, `"alpenbank"`, `"nordkredit"`, 1), "(keys are trusted from history/a, which does not declare it)"},
		{"archive that does not decode", "1.0.0", same + "bogus = 1\n", "(no earlier version under history/ can be read)"},
		{"no earlier version", "3.0.0", same, "(no earlier version under history/ can be read)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := newKeyWarnings(generator.Check(trustPack(t, c.version, c.members), generator.Options{}))
			switch {
			case c.want == "" && len(got) != 0:
				t.Errorf("a key the previous version declared is reported: %q", got)
			case c.want != "" && (len(got) != 1 || !strings.Contains(got[0], c.want)):
				t.Errorf("got %q; want one ratify/new-key holding %q", got, c.want)
			}
		})
	}
}
