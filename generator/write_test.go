package generator_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"govpack/generator"
	"govpack/generator/synth"
)

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestWriteReplacesPreviousSite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := generator.Write(generator.Output{"index.html": []byte("one"), "a/old.html": []byte("old")}, dir); err != nil {
		t.Fatal(err)
	}
	if err := generator.Write(generator.Output{"index.html": []byte("two"), "b/new.html": []byte("new")}, dir); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, dir)
	if got["index.html"] != "two" || got["b/new.html"] != "new" {
		t.Errorf("site not replaced: %v", got)
	}
	if _, ok := got["a/old.html"]; ok {
		t.Errorf("a file of the previous site survived: %v", got)
	}
	if _, ok := got[generator.SiteMarker]; !ok {
		t.Errorf("no %s in the site", generator.SiteMarker)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("leftovers beside the site: %v", entries)
	}
}

// A file whose bytes did not change is the previous site's file, linked
// into the new site rather than written again; a changed one is new.
func TestWriteKeepsUnchangedFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	// Files larger than the chunk they are compared in, the same and
	// differing only in their last chunk.
	big := bytes.Repeat([]byte("0123456789abcdef"), 20000)
	bigEnd := append(bytes.Clone(big[:len(big)-1]), 'x')
	if err := generator.Write(generator.Output{"index.html": []byte("one"), "a/same.html": []byte("same"), "a/size.html": []byte("abc"), "a/big.html": big, "a/bigend.html": big}, dir); err != nil {
		t.Fatal(err)
	}
	before := map[string]os.FileInfo{}
	for _, name := range []string{"index.html", "a/same.html", "a/size.html", "a/big.html", "a/bigend.html"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		before[name] = fi
	}
	if err := generator.Write(generator.Output{"index.html": []byte("two"), "a/same.html": []byte("same"), "a/size.html": []byte("abd"), "a/big.html": big, "a/bigend.html": bigEnd}, dir); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, dir)
	for name, want := range map[string]string{"index.html": "two", "a/same.html": "same", "a/size.html": "abd", "a/big.html": string(big), "a/bigend.html": string(bigEnd)} {
		if got[name] != want {
			t.Errorf("%s: not the bytes written", name)
		}
	}
	for name, kept := range map[string]bool{"index.html": false, "a/same.html": true, "a/size.html": false, "a/big.html": true, "a/bigend.html": false} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if os.SameFile(before[name], fi) != kept {
			t.Errorf("%s: kept the previous file %v, want %v", name, !kept, kept)
		}
	}
}

func TestWriteRefusesForeignDirectory(t *testing.T) {
	dir := t.TempDir()
	precious := filepath.Join(dir, "thesis.docx")
	if err := os.WriteFile(precious, []byte("years of work"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := generator.Write(generator.Output{"index.html": []byte("x")}, dir)
	if !errors.Is(err, generator.ErrNotOurs) {
		t.Fatalf("Write into a foreign directory: err = %v, want ErrNotOurs", err)
	}
	if b, err := os.ReadFile(precious); err != nil || string(b) != "years of work" {
		t.Fatalf("user file touched: %q, %v", b, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary directory left behind: %s", e.Name())
		}
	}
}

func TestWriteFailureKeepsPreviousSite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := generator.Write(generator.Output{"index.html": []byte("good")}, dir); err != nil {
		t.Fatal(err)
	}
	// A file and a directory of the same name cannot both be written.
	err := generator.Write(generator.Output{"index.html": []byte("bad"), "x": []byte("file"), "x/y.html": []byte("dir")}, dir)
	if err == nil {
		t.Fatal("expected the write to fail")
	}
	if got := readTree(t, dir); got["index.html"] != "good" {
		t.Errorf("previous site damaged: %v", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("leftovers beside the site: %v", entries)
	}
}

func TestWriteRemovesStaleTemporaries(t *testing.T) {
	parent := t.TempDir()
	stale := filepath.Join(parent, ".site.tmp-123")
	foreign := filepath.Join(parent, ".site.tmp-456")
	for _, d := range []string{stale, foreign} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(stale, generator.SiteMarker), nil, 0o644)
	if err := generator.Write(generator.Output{"index.html": []byte("x")}, filepath.Join(parent, "site")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temporary directory of an interrupted write kept")
	}
	if _, err := os.Stat(foreign); err != nil {
		t.Errorf("a directory without the marker was removed: %v", err)
	}
}

func TestOutputDir(t *testing.T) {
	root := t.TempDir()
	pack := filepath.Join(root, "pack")
	os.MkdirAll(filepath.Join(pack, "charter"), 0o755)
	for _, c := range []struct {
		out  string
		skip string
		err  string
	}{
		{out: filepath.Join(pack, "public"), skip: "public"},
		{out: filepath.Join(pack, "public", "v2"), skip: "public/v2"},
		{out: filepath.Join(root, "site"), skip: ""},
		{out: pack, err: "is the pack itself"},
		{out: pack + "/", err: "is the pack itself"},
		{out: root, err: "contains the pack"},
		{out: filepath.Join(pack, "charter"), err: "inside the pack's sources"},
		{out: filepath.Join(pack, "site"), err: "inside the pack's sources"},
	} {
		skip, err := generator.OutputDir(pack, c.out)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("OutputDir(%s): err = %v, want %q", c.out, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("OutputDir(%s): %v", c.out, err)
		case c.err == "" && skip != c.skip:
			t.Errorf("OutputDir(%s) = %q, want %q", c.out, skip, c.skip)
		}
	}
}

// A build that writes its files as it makes them (Options.Files, as
// govpack build does) writes exactly the files, bytes and manifest of a
// build held in memory: on the sample and on a generated pack of 400
// documents, a third of them with code. The bodies it keeps in a
// temporary file meanwhile leave no file behind.
func TestBuildToSiteDirEqualsBuildInMemory(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for name, fsys := range map[string]fs.FS{"sample": os.DirFS("../content"), "generated": synth.Pack(400)} {
		t.Run(name, func(t *testing.T) {
			want := generator.Build(fsys, generator.Options{})
			if want.Output == nil {
				t.Fatal(want.Diagnostics)
			}
			dir := filepath.Join(t.TempDir(), "site")
			site, err := generator.CreateSiteDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			res := generator.Build(fsys, generator.Options{Files: site})
			if res.Output == nil || len(res.Output) != 0 {
				t.Fatalf("a build writing its files returned %d files in memory (nil: failed): %v", len(res.Output), res.Diagnostics)
			}
			if err := site.Commit(); err != nil {
				t.Fatal(err)
			}
			got := readTree(t, dir)
			delete(got, generator.SiteMarker)
			if len(got) != len(want.Output) || res.Files != len(want.Output) {
				t.Errorf("wrote %d files (reported %d), the build in memory has %d", len(got), res.Files, len(want.Output))
			}
			for name, b := range want.Output {
				if got[name] != string(b) {
					t.Errorf("%s differs from the build in memory (%d bytes written, %d in memory)", name, len(got[name]), len(b))
				}
			}
			if left, _ := filepath.Glob(filepath.Join(tmp, "govpack-*")); len(left) > 0 {
				t.Errorf("the build left %s in the temporary directory", left)
			}
		})
	}
}

// A pack with errors writes nothing through Options.Files, and a theme
// that fails halfway leaves the previous site whole once the caller aborts.
func TestBuildToSiteDirFailure(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := generator.Write(generator.Output{"index.html": []byte("previous")}, dir); err != nil {
		t.Fatal(err)
	}
	pack := loadSample(t)
	pack["theme/templates/document.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{index .Page.TOC 99}}{{end}}`)}
	site, err := generator.CreateSiteDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	res := generator.Build(pack, generator.Options{Files: site})
	if res.Output != nil || !res.Diagnostics.HasErrors() {
		t.Fatalf("a failing theme built: %v", res.Diagnostics)
	}
	site.Abort()
	if got := readTree(t, dir); got["index.html"] != "previous" || len(got) != 2 {
		t.Errorf("the previous site was changed: %d files, index.html %q", len(got), got["index.html"])
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("the aborted site left %d entries beside the output", len(entries)-1)
	}
}

// Without a usable temporary directory a streamed build keeps its bodies
// in memory and writes the same site.
func TestBuildToSiteDirWithoutTempDir(t *testing.T) {
	fsys := os.DirFS("../content")
	want := generator.Build(fsys, generator.Options{})
	if want.Output == nil {
		t.Fatal(want.Diagnostics)
	}
	dir := filepath.Join(t.TempDir(), "site")
	t.Setenv("TMPDIR", filepath.Join(dir, "no", "such", "directory"))
	site, err := generator.CreateSiteDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if res := generator.Build(fsys, generator.Options{Files: site}); res.Output == nil {
		t.Fatal(res.Diagnostics)
	}
	if err := site.Commit(); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, dir)
	for name, b := range want.Output {
		if got[name] != string(b) {
			t.Errorf("%s differs from the build in memory", name)
		}
	}
}

// Pack folders named like "..": only a ".." element leaves a directory.
func TestOutputDirDotNames(t *testing.T) {
	for _, name := range []string{"..pk", "...", ".. x"} {
		root := t.TempDir()
		// The pack inside the output: replacing the output deletes it.
		out := filepath.Join(root, "out")
		pack := filepath.Join(out, name)
		if err := os.MkdirAll(pack, 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := generator.OutputDir(pack, out); err == nil || !strings.Contains(err.Error(), "contains the pack") {
			t.Errorf("pack %q inside the output: err = %v, want it refused", name, err)
		}
		// The output inside the pack, in a folder never read as sources.
		skip, err := generator.OutputDir(out, pack)
		if err != nil || skip != name {
			t.Errorf("output %q inside the pack: skip = %q, err = %v; want %q", name, skip, err, name)
		}
	}
}
