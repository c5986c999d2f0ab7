package generator_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"govpack/generator"
)

// A rebuild sees a change through a link: the file a link names, or a
// file in a linked directory, changed under its own name; and a link out
// added between builds is refused like the first build refuses it.
func TestRebuildThroughLinks(t *testing.T) {
	out, marker := outside(t)
	dir := linkPack(t, map[string]string{"assets/img/a.txt": "first"}, map[string]string{
		"charter/alias.md": "real.md",
		"static/img":       "../assets/img",
	})
	b := generator.NewBuilder(openPack(t, dir), generator.Options{Preview: true})
	if res := b.Build(nil); res.Diagnostics.HasErrors() {
		t.Fatalf("first build:\n%s", res.Diagnostics)
	}
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("charter/real.md", "# Real\n\nThe second text.\n")
	write("assets/img/a.txt", "second")
	res := b.Build([]string{"assets/img/a.txt", "charter/real.md"})
	if res.Diagnostics.HasErrors() {
		t.Fatalf("rebuild:\n%s", res.Diagnostics)
	}
	if got := string(res.Output["charter/alias.html"]); !strings.Contains(got, "The second text.") {
		t.Errorf("charter/alias.html still shows the first text")
	}
	if got := string(res.Output["img/a.txt"]); got != "second" {
		t.Errorf("img/a.txt = %q after the change, want %q", got, "second")
	}
	if err := os.Symlink(filepath.Join(out, "secret.md"), filepath.Join(dir, "charter", "x.md")); err != nil {
		t.Fatal(err)
	}
	res = b.Build([]string{"charter/x.md"})
	want := "charter/x.md: error: symbolic link leaves the pack (-> " + filepath.Join(out, "secret.md") + ") [io/read]\n"
	if got := ioDiags(res.Diagnostics); got != want {
		t.Errorf("io/read diagnostics:\n%s\nwant:\n%s", got, want)
	}
	noMarker(t, res, marker)
}
