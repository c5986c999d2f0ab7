package serve

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"govpack/generator"
	"govpack/generator/synth"
	"govpack/generator/watch"
)

var randomSeed = flag.Uint64("seed", 0, "seed of TestRandomEditsMatchFreshBuild's edits (0: seeds 7 and 37, which once caught watcher bugs)")

// Hundreds of random edits, creates, deletes, renames, editor-style saves
// and folders moved in, while watching and serving. After each round every
// path touched must have been reported by the watcher (full rebuilds would
// hide a missed event otherwise), and the served site must equal a fresh
// build of the same files.
func TestRandomEditsMatchFreshBuild(t *testing.T) {
	seeds := []uint64{7, 37}
	if *randomSeed != 0 {
		seeds = []uint64{*randomSeed}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { randomEdits(t, seed) })
	}
}

func randomEdits(t *testing.T, seed uint64) {
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
	go func() {
		for n := range w.Notes() {
			t.Logf("watcher: %s", n)
		}
	}()

	r := rand.New(rand.NewPCG(seed, seed))
	// The test's own file operations must succeed, or a missed path would
	// be blamed on the watcher.
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	read := func(p string) []byte {
		t.Helper()
		b, err := os.ReadFile(p)
		must(err)
		return b
	}
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
	exists := func(rel string) bool {
		_, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
		return err == nil
	}
	for round := 0; round < 20; round++ {
		touched := map[string]bool{}
		// A file created in a folder new this round and gone again before
		// the watcher saw the folder need not be reported: to the site it
		// never was. The folders of the round before have been seen.
		existedBefore := map[string]bool{}
		oldDirs := map[string]bool{}
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				oldDirs[rel(p)] = true
			}
			return nil
		})
		var oplog []string
		touch := func(p string) {
			r := rel(p)
			oplog = append(oplog, r)
			if !touched[r] {
				touched[r], existedBefore[r] = true, exists(r)
			}
		}
		for i := 0; i < 15; i++ {
			all := docs()
			doc := all[r.IntN(len(all))]
			switch r.IntN(6) {
			case 0: // write in place
				must(os.WriteFile(doc, append(read(doc), fmt.Sprintf("\nEdit %d of round %d.\n", i, round)...), 0o644))
				touch(doc)
			case 1: // write a temporary file, rename it over (vim, JetBrains, VS Code)
				tmp := filepath.Join(filepath.Dir(doc), "."+filepath.Base(doc)+".tmp")
				must(os.WriteFile(tmp, append(read(doc), "\nSaved by rename.\n"...), 0o644))
				must(os.Rename(tmp, doc))
				touch(doc)
			case 2: // a new document in a new nested folder
				p := filepath.Join(root, "notes", fmt.Sprintf("r%d", round), fmt.Sprintf("n%d.md", i))
				touch(p)
				must(os.MkdirAll(filepath.Dir(p), 0o755))
				must(os.WriteFile(p, []byte(fmt.Sprintf("# Note %d-%d\n\nA note.\n", round, i)), 0o644))
			case 3: // delete a note, never a covering document
				if strings.Contains(doc, string(filepath.Separator)+"notes"+string(filepath.Separator)) {
					touch(doc)
					must(os.Remove(doc))
				}
			case 4: // rename a note into another folder
				if strings.Contains(doc, string(filepath.Separator)+"notes"+string(filepath.Separator)) {
					dst := filepath.Join(root, "notes", "moved", fmt.Sprintf("m%d-%d.md", round, i))
					touch(doc)
					touch(dst)
					must(os.MkdirAll(filepath.Dir(dst), 0o755))
					must(os.Rename(doc, dst))
				}
			case 5: // a whole folder moved in from outside the pack
				dir := filepath.Join(outside, fmt.Sprintf("in%d-%d", round, i))
				must(os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
				must(os.WriteFile(filepath.Join(dir, "a.md"), []byte("# Moved in\n\nText.\n"), 0o644))
				must(os.WriteFile(filepath.Join(dir, "sub", "b.md"), []byte("# Moved in deeper\n\nText.\n"), 0o644))
				must(os.MkdirAll(filepath.Join(root, "moved"), 0o755))
				dst := filepath.Join(root, "moved", fmt.Sprintf("in%d-%d", round, i))
				touch(filepath.Join(dst, "a.md"))
				touch(filepath.Join(dst, "sub", "b.md"))
				must(os.Rename(dir, dst))
			}
			ops++
		}
		// Everything before the marker has been seen once a batch holds it.
		marker := fmt.Sprintf("static/marker-%d.txt", round)
		must(os.MkdirAll(filepath.Join(root, "static"), 0o755))
		must(os.WriteFile(filepath.Join(root, filepath.FromSlash(marker)), []byte("x"), 0o644))
		deadline := time.After(10 * time.Second)
		reported := map[string]bool{}
		var batches [][]string
		for seen := false; !seen; {
			select {
			case b := <-w.Batches():
				batches = append(batches, b)
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
			unseen := !existedBefore[p] && !exists(p) && !oldDirs[path.Dir(p)]
			if !reported[p] && !reported[watch.Rescan] && !unseen {
				t.Errorf("round %d (seed %d): the watcher never reported %s; batches: %q", round, seed, p, batches)
				t.Logf("paths touched this round, in order: %q", oplog)
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
