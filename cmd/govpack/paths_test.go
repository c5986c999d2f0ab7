package main

import (
	"archive/zip"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"govpack/generator/diag"
)

// A zip's entries stay in one plain folder whatever the file is called:
// "...zip" would put them under "../", ".zip" under "/".
func TestBuildZipFolderName(t *testing.T) {
	pack := writePack(t, goodPack)
	for file, root := range map[string]string{"...zip": "site", ".zip": "site", "..zip": "site", "hand-over.zip": "hand-over", "x": "x"} {
		zipFile := filepath.Join(t.TempDir(), file)
		status, stdout, stderr := runCmd("build", pack, "--zip", zipFile)
		if status != 0 || !strings.Contains(stdout, "in the folder "+root+"/") {
			t.Errorf("%s: status %d\n%s%s", file, status, stdout, stderr)
			continue
		}
		zr, err := zip.OpenReader(zipFile)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if !strings.HasPrefix(f.Name, root+"/") || path.Clean(f.Name) != f.Name || !filepath.IsLocal(f.Name) {
				t.Errorf("%s: entry %q", file, f.Name)
			}
		}
		zr.Close()
	}
}

// A member id that climbs out of the site is an error, and the build
// writes nothing: not the page outside the site, not the site.
func TestBuildRefusesPathIDs(t *testing.T) {
	files := map[string]string{"data.toml": "[[member]]\nid = \"../../../victim\"\nname = \"V\"\nkind = \"founding\"\n\n[[body]]\nid = \"b\"\nname = \"B\"\nmembers = [\"../../../victim\"]\n"}
	for k, v := range goodPack {
		files[k] = v
	}
	pack := writePack(t, files)
	out := filepath.Join(pack, "public")
	victim := filepath.Join(pack, "victim.html")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	status, _, stderr := runCmd("build", pack, "-o", out)
	if status != 1 || strings.Count(stderr, "error:") != 1 || !strings.Contains(stderr, "data.toml:2:1: error: member id \"../../../victim\" is not a slug") {
		t.Errorf("status %d, stderr:\n%s", status, stderr)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("a file outside the site was overwritten (%d bytes)", len(b))
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a site was written: %v", err)
	}
	zipFile := filepath.Join(t.TempDir(), "s.zip")
	if status, _, _ := runCmd("build", pack, "--zip", zipFile); status != 1 {
		t.Errorf("--zip: status %d", status)
	}
	if _, err := os.Stat(zipFile); !os.IsNotExist(err) {
		t.Errorf("a zip was written: %v", err)
	}
	// pdf writes the site to a temporary directory first: not there either.
	pdf := filepath.Join(t.TempDir(), "p.pdf")
	if status, _, stderr := runCmd("pdf", pack, "-o", pdf, "--chrome", os.Args[0]); status != 1 || !strings.Contains(stderr, "is not a slug") {
		t.Errorf("pdf: status %d\n%s", status, stderr)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("pdf overwrote a file outside its site (%d bytes)", len(b))
	}
}

// A site file the disk cannot take is an I/O failure, as a source that
// cannot be read is: exit status 2, not the pack's fault.
func TestExitStatusSiteWrite(t *testing.T) {
	var l diag.List
	l.Errorf(diag.Pos{File: "print.html"}, "site/write", "write print.html: no space left on device")
	l.Errorf(diag.Pos{File: "a.md"}, "ref/unresolved", "reference %q does not resolve", "b.md")
	if got := exitStatus(l); got != exitUsage {
		t.Errorf("exit status %d, want %d", got, exitUsage)
	}
}
