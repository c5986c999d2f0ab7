package generator_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"govpack/generator"
)

// TestDiff compares the old/ and new/ packs of each testdata/diff archive
// with want/diff.txt (the text redline) and want/amendment.txt (what the
// amendment check reports). -update rewrites both.
func TestDiff(t *testing.T) {
	files, _ := filepath.Glob("../testdata/diff/*.txtar")
	if len(files) == 0 {
		t.Fatal("no diff cases")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			a := parseArchive(data)
			old, new := fstest.MapFS{}, fstest.MapFS{}
			for _, f := range a.Files {
				if name, ok := strings.CutPrefix(f.Name, "old/"); ok {
					old[name] = &fstest.MapFile{Data: f.Data}
				}
				if name, ok := strings.CutPrefix(f.Name, "new/"); ok {
					new[name] = &fstest.MapFile{Data: f.Data}
				}
			}
			o, n := generator.Check(old, generator.Options{}), generator.Check(new, generator.Options{})
			for _, res := range []*generator.Result{o, n} {
				if res.Diagnostics.HasErrors() {
					t.Fatalf("a version does not check:\n%s", res.Diagnostics)
				}
			}
			changes := generator.Diff(o.Pack, n.Pack)
			got := map[string]string{
				"want/diff.txt":      generator.FormatChanges(changes),
				"want/amendment.txt": strings.Join(generator.CheckAmendment(n.Pack, changes), "\n"),
			}
			changed := false
			for i, f := range a.Files {
				want, ok := got[f.Name]
				if !ok {
					continue
				}
				if want != "" && !strings.HasSuffix(want, "\n") {
					want += "\n"
				}
				if string(f.Data) != want {
					if *update {
						a.Files[i].Data = []byte(want)
						changed = true
						continue
					}
					t.Errorf("%s differs:\n--- got\n%s--- want\n%s", f.Name, want, f.Data)
				}
			}
			if changed {
				os.WriteFile(file, a.format(), 0o644)
			}
			html := generator.FormatChangesHTML("Changes", changes)
			if len(changes) > 0 && (!strings.Contains(html, "<del>") || !strings.Contains(html, "<ins>")) {
				t.Error("the HTML redline marks nothing")
			}
		})
	}
}
