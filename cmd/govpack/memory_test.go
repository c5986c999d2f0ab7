package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// The limit counts the pack's Markdown and TOML, archived versions
// included, and leaves the user's GOMEMLIMIT alone.
func TestBoundHeap(t *testing.T) {
	dir := t.TempDir()
	for name, size := range map[string]int{
		"govpack.toml": 100, "charter/a.md": 1000, "history/1.0.0/charter/a.md": 900,
		"public/index.md": 5000, ".git/config.toml": 7000, "static/logo.svg": 3000,
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := sourceBytes(dir); got != 2000 {
		t.Errorf("sourceBytes = %d, want 2000", got)
	}

	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	percent := debug.SetGCPercent(100)
	defer debug.SetGCPercent(percent)
	boundHeap(dir) // TestMain set GOMEMLIMIT
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("with GOMEMLIMIT set, the limit became %d", got)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOMEMLIMIT set, GOGC became %d", got)
	}
	os.Unsetenv("GOMEMLIMIT")
	defer os.Setenv("GOMEMLIMIT", "off")
	boundHeap(dir)
	if got, want := debug.SetMemoryLimit(-1), int64(heapAllowance+heapPerSourceByte*2000); got != want {
		t.Errorf("limit %d, want %d", got, want)
	}
	if got := debug.SetGCPercent(100); got != -1 {
		t.Errorf("under the limit, GOGC is %d, want off (-1)", got)
	}

	// A GOGC the user set stays.
	if gogc, set := os.LookupEnv("GOGC"); set {
		defer os.Setenv("GOGC", gogc)
	} else {
		defer os.Unsetenv("GOGC")
	}
	os.Setenv("GOGC", "100")
	boundHeap(dir)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, it became %d", got)
	}
}
