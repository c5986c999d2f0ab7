package generator_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"govpack/generator"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script")

// TestScripts builds each pack of testdata/script/*.txtar and
// testdata/rules/*.txtar (one pack per rule) and compares:
//
//   - want/diagnostics: the diagnostics, exactly;
//   - want/diagnostics.json: the same, as --format json prints them;
//   - want/PATH: the <main> element of output page PATH, exactly;
//   - grep/PATH: each line a text the whole output file PATH must contain,
//     or, after "!", must not contain.
//
// With -update, want/ files are rewritten from what the build produced.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("../testdata/script/*.txtar")
	rules, err2 := filepath.Glob("../testdata/rules/*.txtar")
	files = append(files, rules...)
	if err != nil || err2 != nil || len(files) == 0 || len(rules) == 0 {
		t.Fatalf("no scripts: %v %v", err, err2)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			a := parseArchive(data)
			res := generator.Build(a.pack(), generator.Options{})
			changed := false
			for i, f := range a.Files {
				name, isWant := strings.CutPrefix(f.Name, "want/")
				grepName, isGrep := strings.CutPrefix(f.Name, "grep/")
				var got []byte
				switch {
				case isWant && name == "diagnostics":
					got = []byte(res.Diagnostics.String())
				case isWant && name == "diagnostics.json":
					got, err = json.MarshalIndent(res.Diagnostics.JSON(), "", "  ")
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, '\n')
				case isWant:
					page, ok := res.Output[name]
					if !ok {
						t.Errorf("%s: no such output file (diagnostics:\n%s)", name, res.Diagnostics)
						continue
					}
					got = mainElement(page)
				case isGrep:
					page, ok := res.Output[grepName]
					if !ok {
						t.Errorf("%s: no such output file (diagnostics:\n%s)", grepName, res.Diagnostics)
						continue
					}
					for _, line := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
						if neg, ok := strings.CutPrefix(line, "!"); ok {
							if bytes.Contains(page, []byte(neg)) {
								t.Errorf("%s contains %q; it must not", grepName, neg)
							}
						} else if !bytes.Contains(page, []byte(line)) {
							t.Errorf("%s lacks %q:\n%s", grepName, line, page)
						}
					}
					continue
				default:
					continue
				}
				if !bytes.Equal(got, f.Data) {
					if *update {
						a.Files[i].Data = got
						changed = true
						continue
					}
					t.Errorf("%s differs (run go test -update to accept):\n--- got\n%s\n--- want\n%s", f.Name, got, f.Data)
				}
			}
			if changed {
				if err := os.WriteFile(file, a.format(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

var mainRE = regexp.MustCompile(`(?s)<main id="content">\n?(.*?)</main>`)

// mainElement returns the inside of a page's <main>, the part that does not
// depend on navigation or the theme's chrome.
func mainElement(page []byte) []byte {
	m := mainRE.FindSubmatch(page)
	if m == nil {
		return page
	}
	return m[1]
}

func TestInvalidUTF8(t *testing.T) {
	fsys := fstest.MapFS{
		"govpack.toml": {Data: []byte("title = \"T\"\n")},
		"a/doc.md":     {Data: []byte("# Doc\n\nCaf\xe9 au lait\n")},
		"data.toml":    {Data: []byte("\uFEFF[[member]]\nid = \"x\xff\"\n")},
	}
	res := generator.Build(fsys, generator.Options{})
	want := "a/doc.md:3:4: error: file is not valid UTF-8 (byte 0xe9) [source/utf8]\n" +
		"data.toml:2:8: error: file is not valid UTF-8 (byte 0xff) [source/utf8]\n"
	if got := res.Diagnostics.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if res.Output != nil {
		t.Error("a site was produced from invalid input")
	}
}
