package generator

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// An id is accepted exactly when it is a slug of SPEC §3, and an accepted
// id makes a site name that checkSiteName accepts.
func FuzzValidID(f *testing.F) {
	for _, s := range []string{"bank-a", "../../victim", "a/b", "-x", "A", "质押", "x\x00", strings.Repeat("a", 65)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		want := slugRE.MatchString(id) && len(id) <= maxIDLen
		if got := validID(id); got != want {
			t.Fatalf("validID(%q) = %v, want %v", id, got, want)
		}
		if want {
			if err := checkSiteName(entityURL("member", id)); err != nil {
				t.Fatalf("id %q: %v", id, err)
			}
		}
	})
}

// A site name checkSiteName accepts, joined to a directory, stays inside it.
func FuzzSiteName(f *testing.F) {
	for _, s := range []string{"index.html", "a/b.html", "../x", "a/../../x", "/x", `a\..\x`, "a//b", ".", "..x/y", "a\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if checkSiteName(name) != nil {
			return
		}
		dir := filepath.FromSlash("/site/dir")
		p := filepath.Join(dir, filepath.FromSlash(name))
		rel, err := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if err != nil || rel == ".." || strings.HasPrefix(rel, "../") || rel == "." || strings.ContainsAny(name, "\\\x00") {
			t.Fatalf("accepted %q, which leaves the directory as %q", name, p)
		}
	})
}
