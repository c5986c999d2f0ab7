package generator

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"govpack/generator/diag"
)

// maxIDLen is the longest id SPEC §3 allows.
const maxIDLen = 64

// validID reports whether id is a slug: [a-z0-9][a-z0-9-]*, at most
// maxIDLen bytes. Ids become file names and URLs, so nothing else is safe.
func validID(id string) bool {
	if id == "" || len(id) > maxIDLen || id[0] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// kindIDs is the ids of one entity kind, in the order of its entities,
// each with where it is written.
type kindIDs struct {
	kind string
	ids  []idAt
}

// dataIDs returns the ids of every entity kind that has them.
func dataIDs(d *Data) []kindIDs {
	byID := func(x interface {
		At(string) diag.Pos
	}, id string) idAt {
		return idAt{id, x.At("id")}
	}
	return []kindIDs{
		{"member", mapSlice(d.Members, func(x *Member) idAt { return byID(x, x.ID) })},
		{"body", mapSlice(d.Bodies, func(x *Body) idAt { return byID(x, x.ID) })},
		{"role", mapSlice(d.Roles, func(x *Role) idAt { return byID(x, x.ID) })},
		{"right", mapSlice(d.Rights, func(x *Right) idAt { return byID(x, x.ID) })},
		{"responsibility", mapSlice(d.Responsibilities, func(x *Right) idAt { return byID(x, x.ID) })},
		{"decision", mapSlice(d.Decisions, func(x *Decision) idAt { return byID(x, x.ID) })},
		{"node", mapSlice(d.Nodes, func(x *Node) idAt { return byID(x, x.ID) })},
		{"data_class", mapSlice(d.DataClasses, func(x *DataClass) idAt { return byID(x, x.ID) })},
		// A term's id defaults to the slug of its name: point at whichever is written.
		{"term", mapSlice(d.Terms, func(x *Term) idAt {
			if _, ok := x.Keys["id"]; ok {
				return byID(x, x.ID)
			}
			return idAt{x.ID, x.At("name")}
		})},
	}
}

// checkIDs reports every entity id that is not a slug, at its id key. It
// returns whether it found one: such an entity is kept (references to it
// still resolve, so it causes no other finding) but the pack is not built.
// A term's id is checked only when written: the default, the slug of its
// name, may hold any letter and is an anchor, never a file name.
func checkIDs(d *Data, diags *diag.List) bool {
	bad := false
	for _, k := range dataIDs(d) {
		for i, e := range k.ids {
			if k.kind == "term" {
				if _, written := d.Terms[i].Keys["id"]; !written {
					continue
				}
			}
			if e.id != "" && !validID(e.id) {
				diags.Errorf(e.pos, diag.RuleTOMLBadID, "%s id %q is not a slug: an id is 1 to %d lowercase letters a-z, digits and hyphens, not starting with a hyphen", k.kind, e.id, maxIDLen)
				bad = true
			}
		}
	}
	return bad
}

// validVersion reports whether a pack's version can name its redline page
// (governance/redlines/VERSION.html): "2.1.0", "1.0.0-rc.1+build", never a
// path.
func validVersion(v string) bool {
	if v == "" || len(v) > maxIDLen || !isAlnum(v[0]) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if !isAlnum(v[i]) && !strings.ContainsRune(".+_-", rune(v[i])) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// checkVersion reports a version in govpack.toml that cannot name a page.
func checkVersion(s *Settings, diags *diag.List) bool {
	if s.Version == "" || validVersion(s.Version) {
		return true
	}
	diags.Errorf(s.At("version"), diag.RuleTOMLValue, "version %q cannot name a page: use letters, digits, dots, hyphens, plus signs and underscores, starting with a letter or digit, at most %d characters", s.Version, maxIDLen)
	return false
}

// badPathElement says why one element of a source path is refused, or
// returns "" for a plain one. A source path becomes a site path and a
// relative URL: a colon makes "javascript:x.html" a scheme, a backslash is
// a separator on Windows and in browsers, and control characters have no
// business in a link.
func badPathElement(elem string) string {
	if !utf8.ValidString(elem) {
		return "is not valid UTF-8"
	}
	for _, r := range elem {
		switch {
		case r == ':':
			return "holds a colon, which would make its link a URL scheme"
		case r == '\\':
			return "holds a backslash"
		case unicode.IsControl(r):
			return "holds a control character"
		}
	}
	return ""
}

// checkSourcePath reports the source file or folder at slash path name
// when its last element is not plain (see badPathElement); the walk checks
// each folder before what it holds, so only the last element is new.
func checkSourcePath(name string, isDir bool, diags *diag.List) bool {
	why := badPathElement(path.Base(name))
	if why == "" {
		return true
	}
	what := "file"
	if isDir {
		what = "folder"
	}
	diags.Errorf(diag.Pos{File: name}, diag.RuleSourceBadPath, "%s name %q %s; rename it with letters, digits, hyphens, dots and underscores", what, path.Base(name), why)
	return false
}

// checkSiteName refuses a site file name that is not a clean local slash
// path: whatever a pack holds, a site file stays inside the site.
func checkSiteName(name string) error {
	switch {
	case name == "" || name == "." || strings.ContainsAny(name, "\\\x00"):
	case path.Clean(name) != name || !filepath.IsLocal(filepath.FromSlash(name)):
	default:
		return nil
	}
	return fmt.Errorf("refusing site file name %q: not a plain relative path inside the site", name)
}
