package generator_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"govpack/generator"
)

// writeSite writes files into a new site directory with a manifest.json
// listing each of them as it is, and returns the directory.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	m := generator.Manifest{PackDigest: "sha256:" + strings.Repeat("0", 64), Files: []generator.ManifestEntry{}}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(data))
		m.Files = append(m.Files, generator.ManifestEntry{Path: name, SHA256: hex.EncodeToString(sum[:]), Size: len(data)})
	}
	writeManifest(t, dir, m)
	return dir
}

func writeManifest(t *testing.T, dir string, m generator.Manifest) {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, generator.ManifestFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// verifyGuarded runs Verify on dir, failing the test if it never returns:
// a hostile site must not hang it. The deadline only guards against a hang;
// a verify that works returns at once.
func verifyGuarded(t *testing.T, dir string) *generator.Verification {
	t.Helper()
	type result struct {
		v   *generator.Verification
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := generator.Verify(dir)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("verify: %v", r.err)
		}
		return r.v
	case <-time.After(time.Minute):
		t.Fatal("verify hangs on a hostile site")
		return nil
	}
}

// wantDiscrepancy fails unless v reports exactly one discrepancy, of kind,
// at path, whose text holds want.
func wantDiscrepancy(t *testing.T, v *generator.Verification, kind, path, want string) {
	t.Helper()
	if len(v.Discrepancies) != 1 {
		t.Fatalf("want one discrepancy, got %d: %v", len(v.Discrepancies), v.Discrepancies)
	}
	d := v.Discrepancies[0]
	if d.Kind != kind || d.Path != path || !strings.Contains(d.String(), want) {
		t.Errorf("got %q; want %s %s holding %q", d.String(), kind, path, want)
	}
}

func TestVerifyCleanSite(t *testing.T) {
	dir := writeSite(t, map[string]string{"index.html": "<p>hi</p>", "assets/site.js": "1"})
	if v := verifyGuarded(t, dir); len(v.Discrepancies) != 0 || v.Files != 2 {
		t.Errorf("a clean site: %d files, %v", v.Files, v.Discrepancies)
	}
}

func TestVerifyRefusesNamedPipe(t *testing.T) {
	dir := writeSite(t, map[string]string{"index.html": "<p>hi</p>"})
	page := filepath.Join(dir, "index.html")
	os.Remove(page)
	if err := syscall.Mkfifo(page, 0o644); err != nil {
		t.Fatal(err)
	}
	wantDiscrepancy(t, verifyGuarded(t, dir), "modified", "index.html", "actual   a named pipe, not a regular file")
}

func TestVerifyRefusesSymlink(t *testing.T) {
	dir := writeSite(t, map[string]string{"index.html": "<p>hi</p>"})
	page := filepath.Join(dir, "index.html")
	os.Remove(page)
	if err := os.Symlink("/dev/zero", page); err != nil {
		t.Fatal(err)
	}
	wantDiscrepancy(t, verifyGuarded(t, dir), "modified", "index.html", "actual   a symbolic link, not a regular file")
}

// A directory of the site that is a link to one outside it is not followed.
func TestVerifyStaysInsideSite(t *testing.T) {
	dir := writeSite(t, map[string]string{"docs/a.html": "secret\n"})
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "a.html"), []byte("secret\n"), 0o644)
	os.RemoveAll(filepath.Join(dir, "docs"))
	if err := os.Symlink(outside, filepath.Join(dir, "docs")); err != nil {
		t.Fatal(err)
	}
	v := verifyGuarded(t, dir)
	// The link itself is an unlisted file; the page behind it is not read.
	got := make([]string, len(v.Discrepancies))
	for i, d := range v.Discrepancies {
		got[i] = d.Kind + " " + d.Path + " " + d.Actual
	}
	if len(got) != 2 || got[0] != "added docs " || !strings.HasPrefix(got[1], "modified docs/a.html cannot be read: ") {
		t.Errorf("a page reached through a link out of the site: %q", got)
	}
}

func TestVerifyRefusesDirectoryInPlaceOfFile(t *testing.T) {
	dir := writeSite(t, map[string]string{"index.html": "<p>hi</p>"})
	page := filepath.Join(dir, "index.html")
	os.Remove(page)
	os.Mkdir(page, 0o755)
	wantDiscrepancy(t, verifyGuarded(t, dir), "modified", "index.html", "actual   a directory, not a regular file")
}

// A file larger than the manifest says is read no further than its listed
// size and one byte: a sparse 4 GiB file costs nothing to make or check.
func TestVerifyReadsNoMoreThanListedSize(t *testing.T) {
	dir := writeSite(t, map[string]string{"index.html": "<p>hi</p>"})
	if err := os.Truncate(filepath.Join(dir, "index.html"), 4<<30); err != nil {
		t.Fatal(err)
	}
	wantDiscrepancy(t, verifyGuarded(t, dir), "modified", "index.html", "actual   more than 9 bytes (not read further)")
}

// An entry naming a file outside the site is refused and never opened:
// the named pipe it names would hang an open.
func TestVerifyNeverOpensEntriesOutsideSite(t *testing.T) {
	dir := writeSite(t, map[string]string{})
	if err := syscall.Mkfifo(filepath.Join(filepath.Dir(dir), "outside"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"../outside", "/etc/passwd", `..\outside`, "a/../../outside", "./index.html", "", "index.html\x00"} {
		writeManifest(t, dir, generator.Manifest{PackDigest: "sha256:" + strings.Repeat("0", 64), Files: []generator.ManifestEntry{{Path: name, SHA256: strings.Repeat("0", 64), Size: 1}}})
		wantDiscrepancy(t, verifyGuarded(t, dir), "manifest", name, "not a plain relative path inside the site")
	}
}

func TestVerifyHostileManifest(t *testing.T) {
	digest := `"pack_digest": "sha256:` + strings.Repeat("0", 64) + `"`
	for _, c := range []struct {
		name, want string
		make       func(file string) error
	}{
		{"not JSON", "manifest.json is not a valid manifest", func(file string) error { return os.WriteFile(file, []byte("<html>"), 0o644) }},
		{"two values", "data after the manifest", func(file string) error {
			return os.WriteFile(file, []byte(`{`+digest+`, "files": []} {"files": [{"path": "x"}]}`), 0o644)
		}},
		{"too large", "manifest.json is larger than 67108864 bytes", func(file string) error {
			os.WriteFile(file, []byte(`{`+digest+`, "files": [`), 0o644)
			return os.Truncate(file, generator.MaxManifestSize+1)
		}},
		{"a named pipe", "manifest.json is a named pipe, not a regular file", func(file string) error { return syscall.Mkfifo(file, 0o644) }},
		{"a link", "manifest.json is a symbolic link, not a regular file", func(file string) error { return os.Symlink("/dev/zero", file) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeSite(t, map[string]string{})
			file := filepath.Join(dir, generator.ManifestFile)
			os.Remove(file)
			if err := c.make(file); err != nil {
				t.Fatal(err)
			}
			wantDiscrepancy(t, verifyGuarded(t, dir), "manifest", "", c.want)
		})
	}
}
