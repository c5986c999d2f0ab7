package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"govpack/generator"
)

// forgeManifest rewrites the site's manifest.json so that it lists the
// site as it now is, keeping its pack digest: what someone who changed
// pages would do to hide it.
func forgeManifest(t *testing.T, site string) {
	t.Helper()
	file := filepath.Join(site, generator.ManifestFile)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var m generator.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m.Files = m.Files[:0]
	filepath.WalkDir(site, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(site, p)
		rel = filepath.ToSlash(rel)
		if err != nil || d.IsDir() || rel == generator.ManifestFile || rel == generator.SiteMarker {
			return err
		}
		data, _ := os.ReadFile(p)
		sum := sha256.Sum256(data)
		m.Files = append(m.Files, generator.ManifestEntry{Path: rel, SHA256: hex.EncodeToString(sum[:]), Size: len(data)})
		return nil
	})
	out, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(file, append(out, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// builtSite builds goodPack and returns the pack and its site.
func builtSite(t *testing.T) (pack, site string) {
	t.Helper()
	pack = writePack(t, goodPack)
	site = filepath.Join(t.TempDir(), "site")
	if status, _, stderr := runCmd("build", pack, "-o", site); status != 0 {
		t.Fatal(stderr)
	}
	return pack, site
}

// A site whose manifest was forged along with its pages passes the check
// against its own manifest, but not against a rebuild of the pack.
func TestVerifyPackCatchesForgedManifest(t *testing.T) {
	pack, site := builtSite(t)
	page := filepath.Join(site, "charter", "a.html")
	b, _ := os.ReadFile(page)
	os.WriteFile(page, []byte(strings.Replace(string(b), "</main>", "<p>Members may be expelled without a vote.</p></main>", 1)), 0o644)
	os.Remove(filepath.Join(site, "governance", "rights.html"))
	os.WriteFile(filepath.Join(site, "charter", "extra.js"), []byte("alert(1)"), 0o644)
	forgeManifest(t, site)
	if status, stdout, _ := runCmd("verify", site); status != 0 {
		t.Fatalf("the forged manifest should match the forged site: status %d\n%s", status, stdout)
	}
	status, stdout, stderr := runCmd("verify", site, "--pack", pack)
	if status != 1 {
		t.Fatalf("a forged site verifies against its pack: status %d\n%s%s", status, stdout, stderr)
	}
	for _, want := range []string{
		"modified  charter/a.html\n          expected sha256 ",
		"modified  manifest.json\n",
		"removed   governance/rights.html",
		"added     charter/extra.js",
		"does not verify: 4 discrepancies in ",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("verify --pack output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "the site was built from pack digest") {
		t.Errorf("the forged manifest kept the pack digest, which is reported as changed:\n%s", stdout)
	}
}

// verify --pack reads the site as verify does: a named pipe or a link in
// place of a page is a discrepancy, not a hang.
func TestVerifyPackRefusesSpecialFiles(t *testing.T) {
	pack, site := builtSite(t)
	page := filepath.Join(site, "charter", "a.html")
	os.Remove(page)
	if err := os.Symlink("/dev/zero", page); err != nil {
		t.Fatal(err)
	}
	status, stdout, _ := runCmd("verify", site, "--pack", pack)
	if status != 1 || !strings.Contains(stdout, "modified  charter/a.html\n          expected sha256 ") || !strings.Contains(stdout, "actual   a symbolic link, not a regular file") {
		t.Errorf("a link in place of a page: status %d\n%s", status, stdout)
	}
}
