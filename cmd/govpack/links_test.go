package main

import (
	"bytes"
	"io/fs"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"govpack/generator"
	"govpack/generator/serve"
)

// secretOutside writes a file outside every pack whose text is a marker
// no pack holds, and returns its path and the marker.
func secretOutside(t *testing.T) (file, marker string) {
	t.Helper()
	marker = "OUTSIDE-" + strings.ReplaceAll(t.Name(), "/", "-") + "-c41e"
	file = filepath.Join(t.TempDir(), "secret.md")
	if err := os.WriteFile(file, []byte("# "+marker+"\n\n"+marker+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return file, marker
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// treeHolds reports the files under dir that hold marker.
func treeHolds(t *testing.T, dir, marker string) []string {
	t.Helper()
	var found []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(marker)) {
				found = append(found, p)
			}
		}
		return nil
	})
	return found
}

// Every command that reads a pack refuses a link out of it with one
// error at the link, and writes nothing of what it points to.
func TestCommandsRefuseLinkOut(t *testing.T) {
	secret, marker := secretOutside(t)
	pack := writePack(t, goodPack)
	symlink(t, secret, filepath.Join(pack, "charter", "x.md"))
	symlink(t, filepath.Dir(secret), filepath.Join(pack, "static", "ext"))
	want := "charter/x.md: error: symbolic link leaves the pack (-> " + secret + ") [io/read]\n" +
		"static/ext: error: symbolic link leaves the pack (-> " + filepath.Dir(secret) + ") [io/read]\n"
	out := filepath.Join(t.TempDir(), "site")
	for _, args := range [][]string{
		{"check", pack},
		{"build", pack, "-o", out},
		{"build", pack},
		{"digest", pack},
		{"diff", writePack(t, goodPack), pack},
	} {
		status, stdout, stderr := runCmd(args...)
		if printed := stdout + stderr; status != exitUsage || !strings.Contains(printed, want) || strings.Count(printed, "leaves the pack") != 2 {
			t.Errorf("govpack %s: status %d, output:\n%s\nwant status %d and, once:\n%s", args[0], status, printed, exitUsage, want)
		}
		if strings.Contains(stdout+stderr, marker) {
			t.Errorf("govpack %s prints the outside file's text", args[0])
		}
	}
	if found := append(treeHolds(t, out, marker), treeHolds(t, pack, marker)...); len(found) > 0 {
		t.Errorf("the outside file's text was written to %s", found)
	}
}

// A link that stays in the pack builds like the file it names.
func TestBuildFollowsLinkInside(t *testing.T) {
	pack := writePack(t, map[string]string{
		"govpack.toml":     goodPack["govpack.toml"],
		"p.toml":           goodPack["p.toml"],
		"charter/b.md":     "# B\n\nThe text of b.\n",
		"assets/img/a.png": "PNG-BYTES",
	})
	symlink(t, "b.md", filepath.Join(pack, "charter", "alias.md"))
	symlink(t, "../assets/img", filepath.Join(pack, "static", "img"))
	out := filepath.Join(t.TempDir(), "site")
	if status, _, stderr := runCmd("build", pack, "-o", out); status != exitOK {
		t.Fatalf("status %d, stderr:\n%s", status, stderr)
	}
	for name, want := range map[string]string{"charter/alias.html": "The text of b.", "img/a.png": "PNG-BYTES"} {
		if b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name))); err != nil || !bytes.Contains(b, []byte(want)) {
			t.Errorf("%s: %v, lacks %q", name, err, want)
		}
	}
}

// A workspace's packs and its base are each confined: a link in the base
// that leaves it is an error of the base's file, whichever way the pack
// is built.
func TestWorkspaceLinkOut(t *testing.T) {
	secret, marker := secretOutside(t)
	root := writePack(t, map[string]string{
		"govpack.work.toml":      "base = \"shared\"\npacks = [\"client\"]\n",
		"shared/govpack.toml":    "title = \"Shared\"\nprofile = \"p.toml\"\n",
		"shared/p.toml":          "id = \"p\"\ntitle = \"P\"\n",
		"shared/charter/a.md":    "# A\n",
		"client/govpack.toml":    "title = \"Client\"\n",
		"client/charter/own.md":  "# Own\n",
		"outside/of/the/pack.md": "# Elsewhere\n",
	})
	symlink(t, secret, filepath.Join(root, "shared", "charter", "x.md"))
	symlink(t, "../../shared/charter/a.md", filepath.Join(root, "client", "charter", "y.md"))
	out := filepath.Join(t.TempDir(), "sites")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"build", root, "-o", out}, "client/../shared/charter/x.md"},
		{[]string{"check", filepath.Join(root, "client")}, "../shared/charter/x.md"},
	} {
		status, stdout, stderr := runCmd(c.args...)
		wantX := c.want + ": error: symbolic link leaves the pack (-> " + secret + ") [io/read]"
		if c.args[0] == "build" {
			wantX = "shared/charter/x.md: error: symbolic link leaves the pack (-> " + secret + ") [io/read]"
		}
		printed := stdout + stderr
		if status != exitUsage || !strings.Contains(printed, wantX+"\n") || !strings.Contains(printed, "y.md: error: symbolic link leaves the pack (-> ../../shared/charter/a.md) [io/read]\n") {
			t.Errorf("govpack %s: status %d, output:\n%s\nwant status %d with:\n%s", c.args[0], status, printed, exitUsage, wantX)
		}
		if strings.Contains(stdout+stderr, marker) {
			t.Errorf("govpack %s prints the outside file's text", c.args[0])
		}
	}
	if found := treeHolds(t, out, marker); len(found) > 0 {
		t.Errorf("the outside file's text was written to %s", found)
	}
}

// diff --git reads the old version's links as a pack's: one that stays in
// it is the file it names, one that leaves is an error, and no link the
// revision holds makes the checkout write outside its directory.
func TestDiffGitLinks(t *testing.T) {
	secret, marker := secretOutside(t)
	pack, git := gitPack(t)
	symlink(t, "b.md", filepath.Join(pack, "charter", "alias.md"))
	git("add", ".")
	git("commit", "-q", "-m", "with a link inside")
	os.Remove(filepath.Join(pack, "charter", "alias.md"))
	status, stdout, stderr := runCmd("diff", "--git", "HEAD", pack)
	if status != exitErrors || !strings.Contains(stdout, "charter/alias.md") {
		t.Errorf("the old version's link is not read: status %d\n%s%s", status, stdout, stderr)
	}

	symlink(t, secret, filepath.Join(pack, "charter", "x.md"))
	git("add", ".")
	git("commit", "-q", "-m", "with a link out")
	os.Remove(filepath.Join(pack, "charter", "x.md"))
	status, stdout, stderr = runCmd("diff", "--git", "HEAD", pack)
	want := "charter/x.md: error: symbolic link leaves the pack (-> " + secret + ") [io/read]\n"
	if status != exitUsage || !strings.Contains(stderr, want) || strings.Contains(stdout+stderr, marker) {
		t.Errorf("status %d, output:\n%s%s\nwant status %d with:\n%s", status, stdout, stderr, exitUsage, want)
	}
}

// gitPack writes goodPack into pack/ of a new git repository and returns
// the pack's directory and a way to run git in the repository.
func gitPack(t *testing.T) (string, func(args ...string)) {
	repo := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo, "-c", "user.name=T", "-c", "user.email=t@example.org"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	pack := filepath.Join(repo, "pack")
	for name, data := range goodPack {
		p := filepath.Join(pack, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(data), 0o644)
	}
	return pack, git
}

// The preview server builds from the same confined pack: a link out made
// while it serves is reported, and no page it serves shows the file.
func TestServeRefusesLinkOut(t *testing.T) {
	secret, marker := secretOutside(t)
	pack := writePack(t, goodPack)
	srv := serve.New(packFS(pack), generator.Options{Preview: true})
	if r := srv.Rebuild(nil); r.Failed {
		t.Fatalf("first build failed:\n%s", r.Diags)
	}
	symlink(t, secret, filepath.Join(pack, "charter", "x.md"))
	r := srv.Rebuild([]string{"charter/x.md"})
	want := "charter/x.md: error: symbolic link leaves the pack (-> " + secret + ") [io/read]"
	if !r.Failed || !strings.Contains(r.Diags.String(), want) {
		t.Errorf("rebuild: failed %v, diagnostics:\n%s\nwant:\n%s", r.Failed, r.Diags, want)
	}
	for _, page := range []string{"/", "/charter/x.html", "/charter/a.html", "/print.html", "/search/text-0.js"} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1"+page, nil))
		if strings.Contains(rec.Body.String(), marker) {
			t.Errorf("%s shows the outside file's text", page)
		}
	}
}
