package watch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A link to a directory outside the pack, there from the start or made
// while watching, is reported as a change of the link and never watched
// or polled: the watcher reads no listing outside the pack.
func TestLinksOutNotWatched(t *testing.T) {
	for _, poll := range []bool{false, true} {
		root, out := t.TempDir(), t.TempDir()
		write(t, filepath.Join(root, "charter", "a.md"), "# A\n")
		write(t, filepath.Join(out, "deep", "secret.md"), "# S\n")
		if err := os.Symlink(out, filepath.Join(root, "charter", "ext")); err != nil {
			t.Fatal(err)
		}
		w, err := New(root, Options{Poll: poll, PollInterval: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(out, filepath.Join(root, "later")); err != nil {
			t.Fatal(err)
		}
		until(t, w, "later")
		w.Close()
		w.mu.Lock()
		var dirs []string
		for d := range w.polled {
			dirs = append(dirs, d)
		}
		w.mu.Unlock()
		for d := range w.watched {
			dirs = append(dirs, d)
		}
		for _, d := range dirs {
			if rel, err := filepath.Rel(root, d); err != nil || strings.HasPrefix(rel, "..") || strings.Contains(rel, "ext") || strings.HasPrefix(rel, "later") {
				t.Errorf("poll=%v: %s is watched through a link", poll, d)
			}
		}
	}
}
