package generator_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"govpack/generator"
)

// FuzzBuild builds arbitrary packs, written as txtar archives: no input may
// panic, every diagnostic must point inside the file it names, and a build
// either has errors or produces a site.
func FuzzBuild(f *testing.F) {
	files, _ := filepath.Glob("../testdata/script/*.txtar")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a := parseArchive(data)
		fsys := a.pack()
		res := generator.Build(fsys, generator.Options{})
		_ = res.Diagnostics.String()
		if res.Diagnostics.HasErrors() != (res.Output == nil) {
			t.Fatalf("errors %v but output %v", res.Diagnostics.HasErrors(), res.Output != nil)
		}
		for _, d := range res.Diagnostics {
			if d.Pos.Line == 0 {
				continue
			}
			mf, ok := fsys[d.Pos.File]
			if !ok {
				continue // positions in generated or theme files
			}
			src := bytes.TrimPrefix(mf.Data, []byte("\uFEFF"))
			lines := bytes.Split(src, []byte("\n"))
			if d.Pos.Line > len(lines) {
				t.Fatalf("%s: line beyond the end of the file (%d lines)", d, len(lines))
			}
			if d.Pos.Col > len(lines[d.Pos.Line-1])+1 {
				t.Fatalf("%s: column beyond the end of line %q", d, lines[d.Pos.Line-1])
			}
		}
	})
}
