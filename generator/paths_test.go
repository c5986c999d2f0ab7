package generator_test

import (
	"archive/zip"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"govpack/generator"
)

// badSiteNames are site file names that are not plain relative paths.
var badSiteNames = []string{
	"../victim.html", "../../../victim.html", "a/../../x.html", "/etc/x.html",
	"a//b.html", "./a.html", "a/./b.html", "a/", ".", "..", "", `a\..\b.html`, "a\x00b.html",
}

// No writer of the site creates a file whose name is not a plain
// relative path, inside the site or anywhere else.
func TestWritersRefuseBadNames(t *testing.T) {
	for _, name := range badSiteNames {
		parent := filepath.Join(t.TempDir(), "a", "b")
		dir := filepath.Join(parent, "site")
		site, err := generator.CreateSiteDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := site.WriteFile(name, []byte("x")); err == nil {
			t.Errorf("WriteFile(%q) succeeded", name)
		}
		if w, err := site.Create(name); err == nil {
			w.Close()
			t.Errorf("Create(%q) succeeded", name)
		}
		site.Abort()
		if err := generator.Write(generator.Output{"index.html": nil, name: []byte("x")}, dir); err == nil {
			t.Errorf("Write with %q succeeded", name)
		}
		if err := generator.WriteZip(generator.Output{name: []byte("x")}, filepath.Join(parent, "s.zip"), "site"); err == nil {
			t.Errorf("WriteZip with %q succeeded", name)
		}
		top := filepath.Dir(filepath.Dir(parent))
		if got := readTree(t, top); len(got) != 0 {
			t.Errorf("%q: files written: %v", name, got)
		}
	}
}

// A zip's folder is one plain name, and so every entry stays in it.
func TestWriteZipRefusesBadRoot(t *testing.T) {
	dir := t.TempDir()
	for _, root := range []string{"..", ".", "", "a/b", "../x", `a\b`} {
		if err := generator.WriteZip(generator.Output{"index.html": []byte("x")}, filepath.Join(dir, "s.zip"), root); err == nil {
			t.Errorf("WriteZip with the folder %q succeeded", root)
		}
	}
	file := filepath.Join(dir, "s.zip")
	if err := generator.WriteZip(generator.Output{"index.html": []byte("x"), "a/b.html": []byte("y")}, file, "site"); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "site/") || path.Clean(f.Name) != f.Name || !filepath.IsLocal(f.Name) {
			t.Errorf("entry %q", f.Name)
		}
	}
}

// fullDisk is a site whose print page meets a full disk halfway.
type fullDisk struct{}

func (fullDisk) WriteFile(string, []byte) error { return nil }

func (fullDisk) Create(name string) (io.WriteCloser, error) {
	if name == generator.PrintURL {
		return &failingFile{left: 100}, nil
	}
	return nopFile{}, nil
}

type nopFile struct{}

func (nopFile) Write(b []byte) (int, error) { return len(b), nil }
func (nopFile) Close() error                { return nil }

type failingFile struct{ left int }

func (f *failingFile) Write(b []byte) (int, error) {
	if len(b) > f.left {
		n := f.left
		f.left = 0
		return n, &os.PathError{Op: "write", Path: "print.html", Err: syscall.ENOSPC}
	}
	f.left -= len(b)
	return len(b), nil
}
func (f *failingFile) Close() error { return nil }

// A print page the disk cannot hold is a write failure, not the theme's.
func TestPrintPageWriteFailure(t *testing.T) {
	pack := fstest.MapFS{
		"govpack.toml": {Data: []byte("title = \"T\"\nprofile = \"p.toml\"\n")},
		"p.toml":       {Data: []byte("id = \"p\"\ntitle = \"P\"\n")},
		"charter/a.md": {Data: []byte("# A\n\nText.\n")},
	}
	res := generator.Build(pack, generator.Options{Files: fullDisk{}})
	if len(res.Diagnostics) != 1 {
		t.Fatalf("diagnostics:\n%s", res.Diagnostics)
	}
	d := res.Diagnostics[0]
	if d.Rule != "site/write" || d.Pos.File != generator.PrintURL || !strings.Contains(d.Message, "no space left") {
		t.Errorf("got %s", res.Diagnostics)
	}
}
