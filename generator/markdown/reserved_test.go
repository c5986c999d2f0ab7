package markdown

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The ids the theme and govpack's markup give their own elements, in the
// forms they are written: id="x" in templates and Go, getElementById("x")
// and "#x" selectors in scripts, and ids made of a prefix and a value.
var (
	literalID = regexp.MustCompile(`id="([a-z][a-z0-9:-]*)"|getElementById\("([a-z][a-z0-9-]*)"\)|querySelector\("#([a-z][a-z0-9-]*)"\)`)
	prefixID  = regexp.MustCompile(`\bid = "([a-z][a-z0-9-]*-)" \+|prefix := "([a-z]+-)"`)
	layoutRE  = regexp.MustCompile(`id="([a-z][a-z0-9-]*)"`)
)

func TestReservedIDs(t *testing.T) {
	var files []string
	for _, root := range []string{"../../themes/default", ".."} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != root && root == ".." {
				return filepath.SkipDir // generator/*.go, not its packages
			}
			if ext := filepath.Ext(path); (ext == ".html" || ext == ".js" || ext == ".go") && !strings.HasSuffix(path, "_test.go") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	seen := 0
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literalID.FindAllStringSubmatch(string(src), -1) {
			id := m[1] + m[2] + m[3]
			seen++
			if !ReservedID(id) {
				t.Errorf("%s uses id %q, which ReservedID does not list", name, id)
			}
		}
		for _, m := range prefixID.FindAllStringSubmatch(string(src), -1) {
			seen++
			if id := m[1] + m[2] + "x"; !ReservedID(id) {
				t.Errorf("%s makes ids starting %q, which ReservedID does not list", name, id[:len(id)-1])
			}
		}
	}
	if seen < 20 {
		t.Fatalf("found %d ids in %d files; the patterns no longer match the theme", seen, len(files))
	}
	// Every fixed id of the layout around a document is one a generated
	// heading id avoids.
	for _, name := range []string{"../../themes/default/templates/layout.html", "../../themes/default/templates/partials/shell.html", "../nav.go"} {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range layoutRE.FindAllStringSubmatch(string(src), -1) {
			if !layoutID(m[1]) {
				t.Errorf("%s uses id %q around every document, which layoutID does not list", name, m[1])
			}
		}
	}
}
