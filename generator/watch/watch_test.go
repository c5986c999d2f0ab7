package watch

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// next waits for the next batch, with a deadline instead of sleeps.
func next(t *testing.T, w *Watcher) []string {
	t.Helper()
	select {
	case b := <-w.Batches():
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no batch within 5 s")
		return nil
	}
}

// until reads batches until one holds want.
func until(t *testing.T, w *Watcher, want string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case b := <-w.Batches():
			if slices.Contains(b, want) {
				return
			}
		case <-deadline:
			t.Fatalf("no batch holding %s within 5 s", want)
		}
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func testSavePatterns(t *testing.T, poll bool) {
	root := t.TempDir()
	write(t, filepath.Join(root, "charter", "a.md"), "# A\n")
	w, err := New(root, Options{Poll: poll, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	// Write in place.
	write(t, filepath.Join(root, "charter", "a.md"), "# A\n\nchanged\n")
	until(t, w, "charter/a.md")

	// Write to a temporary file, then rename over (vim, JetBrains, VS Code).
	tmp := filepath.Join(root, "charter", ".a.md.tmp")
	write(t, tmp, "# A\n\nrenamed over\n")
	if err := os.Rename(tmp, filepath.Join(root, "charter", "a.md")); err != nil {
		t.Fatal(err)
	}
	until(t, w, "charter/a.md")

	// A new directory with a file, then a file inside it.
	write(t, filepath.Join(root, "specs", "deep", "n.md"), "# N\n")
	until(t, w, "specs/deep/n.md")
	write(t, filepath.Join(root, "specs", "deep", "m.md"), "# M\n")
	until(t, w, "specs/deep/m.md")

	// Delete and recreate.
	os.Remove(filepath.Join(root, "specs", "deep", "m.md"))
	until(t, w, "specs/deep/m.md")

	// Swap files and the output are never reported.
	write(t, filepath.Join(root, "charter", "a.md.swp"), "x")
	write(t, filepath.Join(root, "public", "index.html"), "x")
	write(t, filepath.Join(root, "charter", "b.md"), "# B\n")
	b := next(t, w)
	for _, p := range b {
		if strings.HasSuffix(p, ".swp") || strings.HasPrefix(p, "public") {
			t.Errorf("batch %v holds an ignored path", b)
		}
	}
}

func TestWatchSavePatterns(t *testing.T) { testSavePatterns(t, false) }
func TestPollSavePatterns(t *testing.T)  { testSavePatterns(t, true) }

// A burst of writes — a git checkout — arrives as one batch.
func TestBurstIsOneBatch(t *testing.T) {
	root := t.TempDir()
	w, err := New(root, Options{Debounce: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for i := 0; i < 50; i++ {
		write(t, filepath.Join(root, "docs", string(rune('a'+i%26))+string(rune('a'+i/26))+".md"), "x")
	}
	b := next(t, w)
	got := len(b)
	for got < 50 {
		got += len(next(t, w)) // a slow machine may split the burst; never lose a file
	}
	if len(b) < 40 {
		t.Errorf("the burst came in pieces: first batch of %d", len(b))
	}
}

// A batch never overtakes an earlier one: a flush that is slow to send
// (a busy machine) must not let the next debounce deliver later changes
// first, or a rebuild would announce a save whose earlier edits it lacks.
func TestBatchesKeepTheirOrder(t *testing.T) {
	root := t.TempDir()
	var flushes atomic.Int32
	firstTaken := make(chan struct{})
	w, err := New(root, Options{Debounce: time.Millisecond, beforeSend: func() {
		if flushes.Add(1) == 1 {
			close(firstTaken)
			time.Sleep(100 * time.Millisecond) // descheduled before sending
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	write(t, filepath.Join(root, "a.md"), "x")
	<-firstTaken
	write(t, filepath.Join(root, "b.md"), "x")
	if b := next(t, w); !slices.Contains(b, "a.md") {
		t.Fatalf("first batch %v: a later change overtook a.md", b)
	}
	until(t, w, "b.md")
}

// A directory moved within the pack is watched at its new path, its
// subdirectories too: fsnotify would go on naming their files by the old
// path.
func TestDirectoryMovedWithinThePack(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "drafts", "sub", "g.md"), "# G\n")
	w, err := New(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := os.Rename(filepath.Join(root, "drafts"), filepath.Join(root, "charter")); err != nil {
		t.Fatal(err)
	}
	until(t, w, "charter/sub/g.md")
	write(t, filepath.Join(root, "charter", "sub", "g.md"), "# G\n\nchanged\n")
	write(t, filepath.Join(root, "charter", "h.md"), "# H\n")
	for seen := map[string]bool{}; !seen["charter/sub/g.md"] || !seen["charter/h.md"]; {
		for _, p := range next(t, w) {
			if strings.HasPrefix(p, "drafts/") {
				t.Fatalf("reported %s under the directory's old path", p)
			}
			seen[p] = true
		}
	}
}

// The kernel sends a directory's move-self event after the move-to event
// of its new parent, so a directory moved into the pack can be watched in
// between; fsnotify then drops the new watch and reports a rename of a
// directory that is still there. Such a directory is watched again.
func TestWatchDroppedByMoveSelf(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "moved")
	write(t, filepath.Join(dir, "a.md"), "# A\n")
	w, err := New(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// What fsnotify does on that move-self event.
	if err := w.fsw.Remove(dir); err != nil {
		t.Fatal(err)
	}
	w.fsw.Events <- fsnotify.Event{Name: dir, Op: fsnotify.Rename}
	until(t, w, "moved")
	write(t, filepath.Join(dir, "a.md"), "# A\n\nchanged\n")
	until(t, w, "moved/a.md")
}

func TestIgnoreDefault(t *testing.T) {
	for p, want := range map[string]bool{
		"charter/a.md": false, "public/index.html": true, ".git/HEAD": true, "charter/.a.md.swp": true,
		"charter/a.md~": true, "charter/4913": true, "charter/#a.md#": true, "static/logo.svg": false,
	} {
		if got := IgnoreDefault(p); got != want {
			t.Errorf("IgnoreDefault(%q) = %v", p, got)
		}
	}
}
