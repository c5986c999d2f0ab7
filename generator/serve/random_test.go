package serve

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"govpack/generator"
	"govpack/generator/synth"
	"govpack/generator/watch"
)

// Hundreds of random edits, creates, deletes, renames, editor-style saves
// and folders moved in, while watching and serving. After each round every
// path touched must have been reported by the watcher (full rebuilds would
// hide a missed event otherwise), and the served site must equal a fresh
// build of the same files.
func TestRandomEditsMatchFreshBuild(t *testing.T) {
	root := filepath.Join(t.TempDir(), "pack")
	outside := t.TempDir()
	for name, f := range synth.Pack(40) {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys := os.DirFS(root)
	s := New(fsys, generator.Options{Preview: true})
	last := s.Rebuild(nil)
	w, err := watch.New(root, watch.Options{Debounce: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	r := rand.New(rand.NewPCG(7, 7))
	docs := func() []string {
		var out []string
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				out = append(out, p)
			}
			return nil
		})
		slices.Sort(out)
		return out
	}
	ops := 0
	rel := func(p string) string { r, _ := filepath.Rel(root, p); return filepath.ToSlash(r) }
	for round := 0; round < 20; round++ {
		touched := map[string]bool{}
		for i := 0; i < 15; i++ {
			all := docs()
			doc := all[r.IntN(len(all))]
			switch r.IntN(6) {
			case 0: // write in place
				b, _ := os.ReadFile(doc)
				os.WriteFile(doc, append(b, fmt.Sprintf("\nEdit %d of round %d.\n", i, round)...), 0o644)
				touched[rel(doc)] = true
			case 1: // write a temporary file, rename it over (vim, JetBrains, VS Code)
				b, _ := os.ReadFile(doc)
				tmp := filepath.Join(filepath.Dir(doc), "."+filepath.Base(doc)+".tmp")
				os.WriteFile(tmp, append(b, "\nSaved by rename.\n"...), 0o644)
				os.Rename(tmp, doc)
				touched[rel(doc)] = true
			case 2: // a new document in a new nested folder
				p := filepath.Join(root, "notes", fmt.Sprintf("r%d", round), fmt.Sprintf("n%d.md", i))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(fmt.Sprintf("# Note %d-%d\n\nA note.\n", round, i)), 0o644)
				touched[rel(p)] = true
			case 3: // delete a note, never a covering document
				if strings.Contains(doc, string(filepath.Separator)+"notes"+string(filepath.Separator)) {
					os.Remove(doc)
					touched[rel(doc)] = true
				}
			case 4: // rename a note into another folder
				if strings.Contains(doc, string(filepath.Separator)+"notes"+string(filepath.Separator)) {
					dst := filepath.Join(root, "notes", "moved", fmt.Sprintf("m%d-%d.md", round, i))
					os.MkdirAll(filepath.Dir(dst), 0o755)
					os.Rename(doc, dst)
					touched[rel(doc)], touched[rel(dst)] = true, true
				}
			case 5: // a whole folder moved in from outside the pack
				dir := filepath.Join(outside, fmt.Sprintf("in%d-%d", round, i))
				os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
				os.WriteFile(filepath.Join(dir, "a.md"), []byte("# Moved in\n\nText.\n"), 0o644)
				os.WriteFile(filepath.Join(dir, "sub", "b.md"), []byte("# Moved in deeper\n\nText.\n"), 0o644)
				os.MkdirAll(filepath.Join(root, "moved"), 0o755)
				dst := filepath.Join(root, "moved", fmt.Sprintf("in%d-%d", round, i))
				os.Rename(dir, dst)
				touched[rel(filepath.Join(dst, "a.md"))], touched[rel(filepath.Join(dst, "sub", "b.md"))] = true, true
			}
			ops++
		}
		// Everything before the marker has been seen once a batch holds it.
		marker := fmt.Sprintf("static/marker-%d.txt", round)
		os.MkdirAll(filepath.Join(root, "static"), 0o755)
		os.WriteFile(filepath.Join(root, filepath.FromSlash(marker)), []byte("x"), 0o644)
		deadline := time.After(10 * time.Second)
		reported := map[string]bool{}
		for seen := false; !seen; {
			select {
			case b := <-w.Batches():
				last = s.Rebuild(b)
				seen = slices.Contains(b, marker)
				for _, p := range b {
					reported[p] = true
				}
			case <-deadline:
				t.Fatalf("round %d: the marker never arrived", round)
			}
		}
		for p := range touched {
			if !reported[p] && !reported[watch.Rescan] {
				t.Errorf("round %d: the watcher never reported %s", round, p)
			}
		}
		fresh := generator.Build(fsys, generator.Options{Preview: true})
		if got, want := last.Diags.String(), fresh.Diagnostics.String(); got != want {
			t.Fatalf("round %d: served diagnostics differ from a fresh build:\n%s\nwant:\n%s", round, got, want)
		}
		if fresh.Output == nil {
			continue
		}
		s.Settle()
		site := s.Site()
		if len(site) != len(fresh.Output) {
			t.Fatalf("round %d: served site has %d files, a fresh build %d", round, len(site), len(fresh.Output))
		}
		for name, b := range fresh.Output {
			if !bytes.Equal(site[name], b) {
				t.Fatalf("round %d: %s differs from a fresh build", round, name)
			}
		}
	}
	if ops < 300 {
		t.Errorf("only %d operations", ops)
	}
}
