package generator_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"govpack/generator"
	"govpack/generator/diag"
)

// linkPack writes a pack that builds clean into a new directory, then
// the links (name → target) into it, and returns the pack's directory.
func linkPack(t *testing.T, files, links map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pack")
	all := map[string]string{
		"govpack.toml":    "title = \"T\"\nprofile = \"p.toml\"\n",
		"p.toml":          "id = \"p\"\ntitle = \"P\"\n",
		"charter/real.md": "# Real\n\nThe real text.\n",
	}
	for name, data := range files {
		all[name] = data
	}
	for name := range links {
		delete(all, name)
	}
	for name, data := range all {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range links {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// outside makes a directory outside any pack holding secret.md, whose
// text is the returned marker, and returns the directory.
func outside(t *testing.T) (dir, marker string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "outside")
	marker = "OUTSIDE-" + strings.ReplaceAll(t.Name(), "/", "-") + "-7f3a"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secret.md"), []byte("# "+marker+"\n\n"+marker+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, marker
}

func openPack(t *testing.T, dir string) *generator.PackFS {
	t.Helper()
	fsys, err := generator.OpenPack(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fsys.Close() })
	return fsys
}

// readers are the ways a command reads a pack: check, a build to write,
// and the in-memory rebuild govpack serve runs.
var readers = map[string]func(fs.FS) *generator.Result{
	"check": func(fsys fs.FS) *generator.Result { return generator.Check(fsys, generator.Options{}) },
	"build": func(fsys fs.FS) *generator.Result { return generator.Build(fsys, generator.Options{}) },
	"serve": func(fsys fs.FS) *generator.Result {
		return generator.NewBuilder(fsys, generator.Options{Preview: true}).Build(nil)
	},
}

// ioDiags returns the io/read diagnostics, one a line.
func ioDiags(l diag.List) string {
	var b strings.Builder
	for _, d := range l {
		if d.Rule == "io/read" {
			b.WriteString(d.String() + "\n")
		}
	}
	return b.String()
}

// noMarker fails when marker is in a file of out or of the pack's files
// as loaded.
func noMarker(t *testing.T, res *generator.Result, marker string) {
	t.Helper()
	for name, b := range res.Output {
		if bytes.Contains(b, []byte(marker)) {
			t.Errorf("%s holds the outside file's text", name)
		}
	}
	for _, d := range res.Pack.Docs {
		if bytes.Contains(d.Source, []byte(marker)) {
			t.Errorf("document %s holds the outside file's text", d.Path)
		}
	}
	for name, b := range res.Pack.Theme {
		if bytes.Contains(b, []byte(marker)) {
			t.Errorf("theme file %s holds the outside file's text", name)
		}
	}
}

// A link out of the pack, to a file or a directory, anywhere in the pack,
// is one error at the link and is never read.
func TestLinkOutOfPack(t *testing.T) {
	out, marker := outside(t)
	secret := filepath.Join(out, "secret.md")
	version := map[string]string{
		"history/1.0.0/govpack.toml":    "title = \"T\"\nversion = \"1.0.0\"\nprofile = \"p.toml\"\n",
		"history/1.0.0/p.toml":          "id = \"p\"\ntitle = \"P\"\n",
		"history/1.0.0/charter/real.md": "# Real\n\nThe real text.\n",
	}
	for _, c := range []struct {
		name, link, target string
		files              map[string]string
	}{
		{"document", "charter/x.md", secret, nil},
		{"relative", "charter/x.md", "../../outside/secret.md", nil},
		{"static", "static/x.txt", secret, nil},
		{"asset", "charter/x.png", secret, nil},
		{"data", "data/x.toml", secret, nil},
		{"theme", "theme/assets/x.css", secret, nil},
		{"directory", "charter/ext", out, nil},
		{"static directory", "static/ext", "../../outside", nil},
		{"history", "history/1.0.0/charter/x.md", secret, version},
		{"through a link", "charter/x.md", "../ext/secret.md", map[string]string{}},
	} {
		links := map[string]string{c.link: c.target}
		want := c.link + ": error: symbolic link leaves the pack (-> " + c.target + ") [io/read]\n"
		if c.name == "through a link" {
			links["ext"] = out
			want = "charter/x.md: error: symbolic link ext leaves the pack (-> " + out + ") [io/read]\n" +
				"ext: error: symbolic link leaves the pack (-> " + out + ") [io/read]\n"
		}
		dir := linkPack(t, c.files, links)
		for reader, read := range readers {
			t.Run(c.name+"/"+reader, func(t *testing.T) {
				res := read(openPack(t, dir))
				if got := ioDiags(res.Diagnostics); got != want {
					t.Errorf("io/read diagnostics:\n%s\nwant:\n%s", got, want)
				}
				noMarker(t, res, marker)
			})
		}
	}
}

// Links that stay in the pack work: a document under a second name, a
// directory of static files linked from elsewhere in the pack.
func TestLinkInsidePack(t *testing.T) {
	dir := linkPack(t, map[string]string{"assets/img/a.png": "PNG-BYTES", "brand/b.svg": "BRAND-BYTES"}, map[string]string{
		"charter/alias.md": "real.md",
		"static/img":       "../assets/img",
		"charter/pic.png":  "../assets/img/a.png",
		"assets/img/brand": "../../brand",
	})
	for reader, read := range readers {
		t.Run(reader, func(t *testing.T) {
			res := read(openPack(t, dir))
			if res.Diagnostics.HasErrors() {
				t.Fatalf("diagnostics:\n%s", res.Diagnostics)
			}
			if reader == "check" {
				if len(res.Pack.Docs) != 2 {
					t.Errorf("documents: %d, want 2 (real.md and its alias)", len(res.Pack.Docs))
				}
				return
			}
			for name, want := range map[string]string{
				"charter/alias.html": "The real text.",
				"img/a.png":          "PNG-BYTES",
				"charter/pic.png":    "PNG-BYTES",
				"img/brand/b.svg":    "BRAND-BYTES",
			} {
				if !strings.Contains(string(res.Output[name]), want) {
					t.Errorf("%s lacks %q", name, want)
				}
			}
		})
	}
}

// Links that stay in the pack but cannot be sources: one that leads to a
// dot-file, one that dangles, directory links that would walk forever or
// walk one directory again and again.
func TestLinkNeverFollowed(t *testing.T) {
	dir := linkPack(t, map[string]string{".git/config": "token = SECRET-TOKEN\n", "assets/a.txt": "a"}, map[string]string{
		"charter/git.md": "../.git/config",
		"charter/gone":   "nowhere.md",
		"charter/loop":   "..",
		"static/a":       "../assets",
		"static/b":       "../assets",
		"assets/out.md":  "/nowhere/out.md",
		"loopa/l":        "../loopb",
		"loopb/m":        "../loopa",
	})
	want := `assets/out.md: error: symbolic link leaves the pack (-> /nowhere/out.md) [io/read]
charter/git.md: error: symbolic link leads to ".git/config", which is never a source (-> ../.git/config) [io/read]
charter/gone: error: cannot read: symbolic link to nothing (-> nowhere.md) [io/read]
charter/loop: error: symbolic link leads back to a directory that holds it (-> ..) [io/read]
loopa/l: error: symbolic link leads back to a directory that holds it (-> ../loopb) [io/read]
loopb/m: error: symbolic link leads back to a directory that holds it (-> ../loopa) [io/read]
static/b: error: symbolic link leads into "assets", where static/a already leads; link each directory once [io/read]
`
	for reader, read := range readers {
		t.Run(reader, func(t *testing.T) {
			res := read(openPack(t, dir))
			if got := ioDiags(res.Diagnostics); got != want {
				t.Errorf("io/read diagnostics:\n%s\nwant:\n%s", got, want)
			}
			noMarker(t, res, "SECRET-TOKEN")
		})
	}
}

// Directory links that would each double the walk make it longer by a
// bounded factor only: a directory is reached in place and through at
// most the eight links an os.Root follows in one name.
func TestLinkedDirectoriesWalkedOnce(t *testing.T) {
	links := map[string]string{}
	for i := range 30 {
		d := "d" + string(rune('a'+i%26)) + strings.Repeat("x", i/26)
		links["docs/"+d+"/l1"] = "../" + next(i)
		links["docs/"+d+"/l2"] = "../" + next(i)
	}
	dir := linkPack(t, map[string]string{"docs/end/e.md": "# E\n"}, links)
	res := generator.Check(openPack(t, dir), generator.Options{})
	copies := 0
	for _, d := range res.Pack.Docs {
		if strings.HasSuffix(d.Path, "/e.md") {
			copies++
		}
	}
	if copies == 0 || copies > 9 {
		t.Errorf("docs/end/e.md read %d times, want 1 to 9", copies)
	}
}

func next(i int) string {
	if i == 29 {
		return "end"
	}
	return "d" + string(rune('a'+(i+1)%26)) + strings.Repeat("x", (i+1)/26)
}

// A named pipe in place of a source is refused, not waited on.
func TestNamedPipeNotRead(t *testing.T) {
	dir := linkPack(t, nil, nil)
	if err := syscall.Mkfifo(filepath.Join(dir, "charter", "pipe.md"), 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan *generator.Result, 1)
	go func() { done <- generator.Check(openPack(t, dir), generator.Options{}) }()
	select {
	case res := <-done:
		want := "charter/pipe.md: error: cannot read: not a regular file [io/read]\n"
		if got := ioDiags(res.Diagnostics); got != want {
			t.Errorf("io/read diagnostics:\n%s\nwant:\n%s", got, want)
		}
	case <-time.After(time.Minute): // a hang guard, not a timing
		t.Fatal("check waits on a named pipe")
	}
}

// The base of a workspace is a root of its own: its links cannot leave
// it, and the pack's cannot reach into it.
func TestOverlayLinksConfined(t *testing.T) {
	out, marker := outside(t)
	ws := t.TempDir()
	base := linkPack(t, nil, map[string]string{"charter/x.md": filepath.Join(out, "secret.md")})
	if err := os.Rename(base, filepath.Join(ws, "base")); err != nil {
		t.Fatal(err)
	}
	client := linkPack(t, map[string]string{"govpack.toml": "title = \"C\"\n"}, map[string]string{"charter/y.md": "../../base/charter/real.md"})
	if err := os.Rename(client, filepath.Join(ws, "client")); err != nil {
		t.Fatal(err)
	}
	o := generator.NewOverlay(openPack(t, filepath.Join(ws, "client")), openPack(t, filepath.Join(ws, "base")), "../base")
	res := generator.Build(o, generator.Options{})
	want := "../base/charter/x.md: error: symbolic link leaves the pack (-> " + filepath.Join(out, "secret.md") + ") [io/read]\n" +
		"charter/y.md: error: symbolic link leaves the pack (-> ../../base/charter/real.md) [io/read]\n"
	if got := ioDiags(res.Diagnostics); got != want {
		t.Errorf("io/read diagnostics:\n%s\nwant:\n%s", got, want)
	}
	noMarker(t, res, marker)
}

// The settings and the profile file are read by name: a link out in their
// place is one error too, where they are read.
func TestSettingsLinkOut(t *testing.T) {
	out, marker := outside(t)
	secret := filepath.Join(out, "secret.md")
	settings := linkPack(t, nil, map[string]string{"govpack.toml": secret})
	prof := linkPack(t, map[string]string{"govpack.toml": "title = \"T\"\nprofile = \"prof.toml\"\n"}, map[string]string{"prof.toml": secret})
	for _, c := range []struct{ dir, want string }{
		{settings, "govpack.toml: error: symbolic link leaves the pack (-> " + secret + ") [io/read]\n"},
		{prof, "govpack.toml:2:1: error: cannot read profile \"prof.toml\": symbolic link leaves the pack (-> " + secret + ") [profile/unknown]\n"},
	} {
		for reader, read := range readers {
			res := read(openPack(t, c.dir))
			if got := res.Diagnostics.String(); !strings.Contains(got, c.want) || strings.Count(got, "leaves the pack") != 1 {
				t.Errorf("%s: diagnostics:\n%s\nwant, once:\n%s", reader, got, c.want)
			}
			noMarker(t, res, marker)
		}
	}
}

// PackFS is a well-behaved fs.FS, links that stay in the pack included.
func TestPackFSConforms(t *testing.T) {
	dir := linkPack(t, map[string]string{"static/empty.txt": ""}, map[string]string{"charter/alias.md": "real.md"})
	if err := fstest.TestFS(openPack(t, dir), "govpack.toml", "p.toml", "charter/real.md", "charter/alias.md", "static/empty.txt"); err != nil {
		t.Fatal(err)
	}
}
