package generator

import (
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"govpack/generator/diag"
)

// HistoryDir holds earlier versions of a pack, one directory each
// (history/2.0.0/), as they were ratified. They are not sources of the
// current version and not part of its digest; govpack compares consecutive
// versions to show what each amendment changed.
const HistoryDir = "history"

// redline is the difference between two consecutive versions.
type redline struct {
	From, To string // versions
	Changes  []Change
}

// redlineURL is the site page of the redline that leads to version.
func redlineURL(version string) string {
	return "governance/redlines/" + version + ".html"
}

// loadHistory checks each archived version and compares consecutive ones,
// the last with the current pack. An amendment whose recorded changes do
// not match the actual differences is reported.
func loadHistory(fsys fs.FS, p *Pack, diags *diag.List, cache *cache) []redline {
	type version struct {
		name string
		pack *Pack
	}
	var versions []version
	for _, name := range p.History {
		sub, err := fs.Sub(fsys, HistoryDir+"/"+name)
		if err != nil {
			continue
		}
		res := check(sub, Options{}, cache.archived(name)).Result
		if res.Pack.files[SettingsFile] == nil {
			diags.Warnf(diag.Pos{File: HistoryDir + "/" + name}, "history/invalid", "%s/%s holds no govpack.toml; an archived version is a whole pack", HistoryDir, name)
			continue
		}
		if res.Diagnostics.HasErrors() {
			diags.Warnf(diag.Pos{File: HistoryDir + "/" + name + "/" + SettingsFile}, "history/invalid", "the archived version in %s/%s has errors, so no redline leads from it; run govpack check %s/%s", HistoryDir, name, HistoryDir, name)
			continue
		}
		versions = append(versions, version{name, res.Pack})
	}
	sort.Slice(versions, func(i, j int) bool {
		return versionLess(versions[i].pack.Settings.Version, versions[j].pack.Settings.Version)
	})
	versions = append(versions, version{"", p})
	var out []redline
	for i := 1; i < len(versions); i++ {
		old, new := versions[i-1].pack, versions[i].pack
		changes := Diff(old, new)
		out = append(out, redline{From: old.Settings.Version, To: new.Settings.Version, Changes: changes})
		pos := diag.Pos{File: HistoryDir + "/" + versions[i].name + "/" + SettingsFile}
		for _, a := range p.Data.Amendments {
			if a.Version == new.Settings.Version {
				pos = a.At("changes")
			}
		}
		for _, problem := range CheckAmendment(new, changes) {
			diags.Warnf(pos, "amendment/mismatch", "%s (compared with %s/%s)", problem, HistoryDir, versions[i-1].name)
		}
	}
	return out
}

// versionLess orders dotted version numbers numerically: 1.10.0 after 1.9.0.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, errx := strconv.Atoi(as[i])
		y, erry := strconv.Atoi(bs[i])
		if errx != nil || erry != nil {
			if as[i] != bs[i] {
				return as[i] < bs[i]
			}
			continue
		}
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}
