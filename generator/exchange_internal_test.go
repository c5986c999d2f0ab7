package generator

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// writeSite writes a site holding index.html with text to dir.
func writeSite(t *testing.T, dir, text string, exchange func(a, b string) error) error {
	t.Helper()
	s, err := CreateSiteDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if exchange != nil {
		s.exchange = exchange
	}
	if err := s.WriteFile("index.html", []byte(text)); err != nil {
		t.Fatal(err)
	}
	return s.Commit()
}

// checkSite checks that dir holds the site with text and nothing is left
// beside it.
func checkSite(t *testing.T, dir, text string) {
	t.Helper()
	if b, err := os.ReadFile(filepath.Join(dir, "index.html")); err != nil || string(b) != text {
		t.Errorf("index.html = %q, %v; want %q", b, err, text)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Errorf("%d entries beside the site", len(entries)-1)
	}
}

// Where the exchange is missing, the swap is the two renames it was.
func TestCommitFallsBackToRenames(t *testing.T) {
	for _, errno := range []syscall.Errno{syscall.ENOSYS, syscall.EINVAL} {
		dir := filepath.Join(t.TempDir(), "site")
		if err := writeSite(t, dir, "one", nil); err != nil {
			t.Fatal(err)
		}
		err := writeSite(t, dir, "two", func(a, b string) error {
			return &os.LinkError{Op: "exchange", Old: a, New: b, Err: errno}
		})
		if err != nil {
			t.Fatalf("%v: %v", errno, err)
		}
		checkSite(t, dir, "two")
	}
	// Any other failure keeps the previous site and removes the new one.
	dir := filepath.Join(t.TempDir(), "site")
	if err := writeSite(t, dir, "one", nil); err != nil {
		t.Fatal(err)
	}
	if err := writeSite(t, dir, "two", func(a, b string) error { return syscall.EIO }); !errors.Is(err, syscall.EIO) {
		t.Errorf("err = %v, want EIO", err)
	}
	checkSite(t, dir, "one")
}

// After Abort, as on a signal while the build writes, no write makes the
// temporary directory again.
func TestAbortStopsWrites(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	s, err := CreateSiteDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Abort()
	if err := s.WriteFile("a/b.html", []byte("x")); err == nil {
		t.Error("WriteFile after Abort succeeded")
	}
	if w, err := s.Create("c/d.html"); err == nil {
		w.Close()
		t.Error("Create after Abort succeeded")
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 0 {
		t.Errorf("%d entries left beside the output", len(entries))
	}
}
