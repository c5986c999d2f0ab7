package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writePack writes files (slash path → contents) under a new directory.
func writePack(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCmd(args ...string) (status int, stdout, stderr string) {
	var out, errb bytes.Buffer
	status = run(context.Background(), args, &out, &errb)
	return status, out.String(), errb.String()
}

// goodPack builds clean: its profile requires nothing.
var goodPack = map[string]string{
	"govpack.toml": "title = \"T\"\nprofile = \"p.toml\"\n",
	"p.toml":       "id = \"p\"\ntitle = \"P\"\n",
	"charter/a.md": "# A\n\nSee [b](b.md).\n",
	"charter/b.md": "# B\n",
}

func TestBuildWritesSite(t *testing.T) {
	pack := writePack(t, goodPack)
	status, stdout, stderr := runCmd("build", pack)
	if status != 0 {
		t.Fatalf("status %d, stderr:\n%s", status, stderr)
	}
	if !strings.Contains(stdout, filepath.Join(pack, "public")) {
		t.Errorf("build does not say where the site is: %q", stdout)
	}
	if _, err := os.Stat(filepath.Join(pack, "public", "charter", "a.html")); err != nil {
		t.Error(err)
	}
	// A second build replaces the first, and public/ is not read as a source.
	if status, _, stderr := runCmd("build", pack); status != 0 {
		t.Fatalf("second build: status %d, stderr:\n%s", status, stderr)
	}
}

func TestBuildErrorLeavesPreviousSite(t *testing.T) {
	pack := writePack(t, goodPack)
	out := filepath.Join(t.TempDir(), "site")
	if status, _, stderr := runCmd("build", "-o", out, pack); status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	before, _ := os.ReadFile(filepath.Join(out, "charter", "a.html"))
	os.WriteFile(filepath.Join(pack, "charter", "a.md"), []byte("# A\n\nSee [c](c.md).\n"), 0o644)
	status, _, stderr := runCmd("build", pack, "-o", out)
	if status != 1 {
		t.Fatalf("status %d, want 1; stderr:\n%s", status, stderr)
	}
	want := `charter/a.md:3:5: error: reference "c.md" does not resolve: no document "charter/c.md" [ref/unresolved]`
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "not written") {
		t.Errorf("stderr:\n%s\nwant it to hold:\n%s", stderr, want)
	}
	after, _ := os.ReadFile(filepath.Join(out, "charter", "a.html"))
	if len(before) == 0 || !bytes.Equal(before, after) {
		t.Errorf("the previous site changed after a failed build")
	}
}

func TestExitStatus(t *testing.T) {
	good := writePack(t, goodPack)
	broken := writePack(t, map[string]string{"govpack.toml": "title = \"T\"\ntitel = 1\n"})
	notPack := writePack(t, map[string]string{"a.md": "# A\n"})
	dangling := writePack(t, goodPack)
	if err := os.Symlink("nowhere.toml", filepath.Join(dangling, "data.toml")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args   []string
		status int
		want   string
	}{
		{[]string{"check", good}, 0, ""},
		{[]string{"check", broken}, 1, `govpack.toml:2:1: error: unknown key "titel"`},
		{[]string{"check", notPack}, 1, "govpack.toml is missing"},
		{[]string{"check", dangling}, 2, "data.toml: error: cannot read"},
		{[]string{"check", filepath.Join(good, "nope")}, 2, "no such file"},
		{[]string{"build", good, "-o", good}, 2, "is the pack itself"},
		{[]string{"build", good, "-o", filepath.Join(good, "charter")}, 2, "inside the pack's sources"},
		{[]string{"build", good, "extra"}, 2, "too many arguments"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{}, 2, "Usage"},
		{[]string{"build", "--help"}, 0, ""},
		{[]string{"check", "-h"}, 0, ""},
		{[]string{"--help"}, 0, ""},
	} {
		status, stdout, stderr := runCmd(c.args...)
		if status != c.status || !strings.Contains(stderr, c.want) {
			t.Errorf("govpack %s: status %d, stderr:\n%s\nwant status %d and %q (stdout %q)", strings.Join(c.args, " "), status, stderr, c.status, c.want, stdout)
		}
	}
}

func TestForeignOutputIsNotReplaced(t *testing.T) {
	pack := writePack(t, goodPack)
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	status, _, stderr := runCmd("build", pack, "-o", out)
	if status != 2 || !strings.Contains(stderr, "refusing to replace") {
		t.Fatalf("status %d, stderr:\n%s", status, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "notes.txt")); string(b) != "mine" {
		t.Fatal("user file touched")
	}
}
