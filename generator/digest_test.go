package generator_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"testing/fstest"

	"govpack/generator"
)

// DigestScript recomputes the pack digest with standard tools;
// docs/ratification.md prints the same script.
const digestScript = `find . -type f \( -name '*.md' -o -name '*.toml' \) \
  ! -path './public/*' ! -path './static/*' ! -path './theme/*' ! -path './history/*' \
  ! -path '*/.*' ! -name ratifications.toml |
  sed 's|^\./||' | LC_ALL=C sort |
  while IFS= read -r f; do
    printf '%s  %s\n' "$(sed '1s/^\xEF\xBB\xBF//; s/\r$//' "$f" | awk 1 | sha256sum | cut -d' ' -f1)" "$f"
  done | sha256sum | cut -d' ' -f1`

// TestDigestScriptDocumented keeps the script users are shown the one these
// tests run.
func TestDigestScriptDocumented(t *testing.T) {
	const page = "../docs/ratification.md"
	src, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "```sh\n"+digestScript+"\n```\n") {
		t.Errorf("%s does not print the digest script the tests run:\n%s", page, digestScript)
	}
}

func TestDigestRecomputesWithStandardTools(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"govpack.toml":           "title = \"T\"\nprofile = \"p.toml\"\n",
		"p.toml":                 "id = \"p\"\ntitle = \"P\"\n",
		"charter/a.md":           "\uFEFF# A\r\n\r\nWindows line ends.\r\n",
		"charter/b.md":           "# B\n\nNo final newline.",
		"charter/c d.md":         "# C\n\nA space in the name.\n",
		"data/x.toml":            "[[term]]\nname = \"Term\"\ndefinition = \"A term.\"\n",
		"ratifications.toml":     "",
		"static/notes.md":        "not a source\n",
		"theme/assets/style.css": "body {}\n",
	}
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
		p := dir + "/" + name
		os.MkdirAll(p[:strings.LastIndex(p, "/")], 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := generator.Check(fsys, generator.Options{})
	if res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics)
	}
	cmd := exec.Command("bash", "-c", "set -o pipefail; "+digestScript)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the digest script failed: %v", err)
	}
	if want := "sha256:" + strings.TrimSpace(string(out)); res.Pack.Digest != want {
		t.Errorf("govpack's digest %s differs from the script's %s", res.Pack.Digest, want)
	}
}

// The sample archives earlier versions, each with its own ratifications,
// under history/: the documented script and govpack agree on its digest, and
// the archives leave it alone.
func TestSampleDigestLeavesOutHistory(t *testing.T) {
	cmd := exec.Command("bash", "-c", "set -o pipefail; "+digestScript)
	cmd.Dir = "../content"
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the digest script failed: %v", err)
	}
	mem := loadSample(t)
	withHistory := generator.Check(mem, generator.Options{}).Pack.Digest
	archived := 0
	for name := range mem {
		if strings.HasPrefix(name, "history/") {
			delete(mem, name)
			archived++
		}
	}
	if archived == 0 {
		t.Fatal("the sample archives no earlier version")
	}
	without := generator.Check(mem, generator.Options{}).Pack.Digest
	if script := "sha256:" + strings.TrimSpace(string(out)); withHistory != script || without != script {
		t.Errorf("digest of the sample: %s by the script, %s by govpack, %s by govpack without history/", script, withHistory, without)
	}
}

func TestDigestFollowsTheText(t *testing.T) {
	base := func() fstest.MapFS {
		return fstest.MapFS{
			"govpack.toml": {Data: []byte("title = \"T\"\nprofile = \"p.toml\"\n")},
			"p.toml":       {Data: []byte("id = \"p\"\ntitle = \"P\"\n")},
			"charter/a.md": {Data: []byte("# A\n\nText.\n")},
			"data/x.toml":  {Data: []byte("[[term]]\nname = \"Term\"\ndefinition = \"A term.\"\n")},
			"static/x.css": {Data: []byte("a {}\n")},
			"theme/x.html": {Data: []byte("x\n")},
		}
	}
	digest := func(f fstest.MapFS) string { return generator.Check(f, generator.Options{}).Pack.Digest }
	want := digest(base())
	same := map[string]func(fstest.MapFS){
		"theme change":     func(f fstest.MapFS) { f["theme/x.html"] = &fstest.MapFile{Data: []byte("y\n")} },
		"static change":    func(f fstest.MapFS) { f["static/x.css"] = &fstest.MapFile{Data: []byte("b {}\n")} },
		"CRLF line ends":   func(f fstest.MapFS) { f["charter/a.md"] = &fstest.MapFile{Data: []byte("# A\r\n\r\nText.\r\n")} },
		"byte order mark":  func(f fstest.MapFS) { f["charter/a.md"] = &fstest.MapFile{Data: []byte("\uFEFF# A\n\nText.\n")} },
		"no final newline": func(f fstest.MapFS) { f["charter/a.md"] = &fstest.MapFile{Data: []byte("# A\n\nText.")} },
		"a ratification":   func(f fstest.MapFS) { f["ratifications.toml"] = &fstest.MapFile{Data: []byte("")} },
		"an archived version": func(f fstest.MapFS) {
			f["history/0.9.0/govpack.toml"] = &fstest.MapFile{Data: []byte("title = \"T\"\nprofile = \"p.toml\"\nversion = \"0.9.0\"\n")}
			f["history/0.9.0/charter/a.md"] = &fstest.MapFile{Data: []byte("# A\n\nOld text.\n")}
		},
	}
	for name, change := range same {
		f := base()
		change(f)
		if got := digest(f); got != want {
			t.Errorf("%s changed the digest", name)
		}
	}
	differ := map[string]func(fstest.MapFS){
		"one word": func(f fstest.MapFS) { f["charter/a.md"] = &fstest.MapFile{Data: []byte("# A\n\nTexts.\n")} },
		"TOML value": func(f fstest.MapFS) {
			f["data/x.toml"] = &fstest.MapFile{Data: []byte("[[term]]\nname = \"Term\"\ndefinition = \"A Term.\"\n")}
		},
		"a renamed file": func(f fstest.MapFS) { f["charter/b.md"] = f["charter/a.md"]; delete(f, "charter/a.md") },
		"a new draft":    func(f fstest.MapFS) { f["charter/d.md"] = &fstest.MapFile{Data: []byte("+++\ndraft = true\n+++\n")} },
		"the profile":    func(f fstest.MapFS) { f["p.toml"] = &fstest.MapFile{Data: []byte("id = \"p\"\ntitle = \"Q\"\n")} },
		"a blank line":   func(f fstest.MapFS) { f["charter/a.md"] = &fstest.MapFile{Data: []byte("# A\n\nText.\n\n")} },
	}
	for name, change := range differ {
		f := base()
		change(f)
		if got := digest(f); got == want {
			t.Errorf("%s left the digest unchanged", name)
		}
	}
}
