package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProfileISO23635 shows that a second built-in profile is data: profile
// show prints it, a starter pack made from the printed file has one
// placeholder per item, and a pack naming it is checked against its items.
func TestProfileISO23635(t *testing.T) {
	status, shown, _ := runCmd("profile", "show", "iso23635")
	if status != 0 || !strings.Contains(shown, `id = "iso23635"`) || strings.Count(shown, "[[item]]") != 14 {
		t.Fatalf("profile show iso23635: status %d\n%s", status, shown)
	}
	file := filepath.Join(t.TempDir(), "iso.toml")
	if err := os.WriteFile(file, []byte(shown), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "pack")
	if status, _, stderr := runCmd("new", dir, "--profile", file); status != 0 {
		t.Fatalf("new --profile: %s", stderr)
	}
	status, out, _ := runCmd("check", dir)
	if status != 1 || strings.Count(out, "[coverage/placeholder]") != 14 || !strings.Contains(out, "principles/entity-identification.md:6:1") {
		t.Errorf("starter pack on iso23635: status %d\n%s", status, out)
	}

	// new takes the built-in profile by name, and the pack names it.
	byName := filepath.Join(t.TempDir(), "byname")
	if status, _, stderr := runCmd("new", byName, "--profile", "iso23635"); status != 0 {
		t.Fatalf("new --profile iso23635: %s", stderr)
	}
	settings, _ := os.ReadFile(filepath.Join(byName, "govpack.toml"))
	status, out, _ = runCmd("check", byName)
	if !strings.Contains(string(settings), `profile = "iso23635"`) || status != 1 || strings.Count(out, "[coverage/placeholder]") != 14 {
		t.Errorf("starter pack on iso23635 by name: status %d\n%s\n%s", status, settings, out)
	}

	pack := writePack(t, map[string]string{
		"govpack.toml": "title = \"T\"\nprofile = \"iso23635\"\n",
		"charter/a.md": "# A\n",
	})
	status, out, _ = runCmd("check", pack)
	for _, want := range []string{"profile iso23635: 0 items covered, 0 waived, 14 missing", "Governance principles", "Governance by type of system", `"interoperability" (Interoperability (4.2.9))`} {
		if !strings.Contains(out, want) {
			t.Errorf("check of a pack on iso23635 lacks %q:\n%s", want, out)
		}
	}
	if status != 1 {
		t.Errorf("status %d", status)
	}
}
