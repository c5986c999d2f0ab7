package generator

import (
	"io/fs"
	"slices"
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

// archive is an archived version under history/ that checks without
// errors.
type archive struct {
	name     string // its directory under history/
	pack     *Pack
	ratified bool // with the keys trusted from the versions before it
}

// checkArchives checks each archived version, oldest first, and carries
// the members' trusted keys through them (see keyTrust): it returns the
// archives that check without errors, in version order, and the keys
// trusted for p.
func checkArchives(fsys fs.FS, p *Pack, diags *diag.List, cache *cache, plain bool) ([]archive, keyTrust) {
	if len(p.History) == 0 {
		return nil, keyTrust{firstUse: true}
	}
	var archives []archive
	trust, anchored := keyTrust{}, false
	for _, name := range byArchivedVersion(fsys, p.History, plain) {
		sub, err := fs.Sub(fsys, HistoryDir+"/"+name)
		if err != nil {
			continue
		}
		under := trust
		if !anchored {
			under = keyTrust{firstUse: true}
		}
		c := check(sub, Options{trust: &under, Plain: plain}, cache.archived(name))
		if c.Pack.files[SettingsFile] == nil {
			diags.Warnf(diag.Pos{File: HistoryDir + "/" + name}, diag.RuleHistoryInvalid, "%s/%s holds no govpack.toml; an archived version is a whole pack", HistoryDir, name)
			continue
		}
		if c.Diagnostics.HasErrors() {
			diags.Warnf(diag.Pos{File: HistoryDir + "/" + name + "/" + SettingsFile}, diag.RuleHistoryInvalid, "the archived version in %s/%s has errors, so no redline leads from it; run govpack check %s/%s", HistoryDir, name, HistoryDir, name)
			continue
		}
		a := archive{name, c.Pack, c.ratified}
		archives = append(archives, a)
		earlier := p.Settings.Version == "" || versionLess(a.pack.Settings.Version, p.Settings.Version)
		if earlier && (!anchored || a.ratified) {
			trust, anchored = trustOf(a), true
		}
	}
	return archives, trust
}

// byArchivedVersion orders the archived versions' directories by the
// version their govpack.toml gives, oldest first; one that gives none
// comes first, to be reported by its check.
func byArchivedVersion(fsys fs.FS, names []string, plain bool) []string {
	versions := map[string]string{}
	for _, name := range names {
		var s Settings
		if src, err := fs.ReadFile(fsys, HistoryDir+"/"+name+"/"+SettingsFile); err == nil && !decodeTOML(plain)(SettingsFile, src, &s).HasErrors() {
			versions[name] = s.Version
		}
	}
	sorted := slices.Clone(names)
	sort.SliceStable(sorted, func(i, j int) bool { return versionLess(versions[sorted[i]], versions[sorted[j]]) })
	return sorted
}

// redlinesOf compares consecutive archived versions, the last with the
// current pack. An amendment whose recorded changes do not match the
// actual differences is reported.
func redlinesOf(archives []archive, p *Pack, diags *diag.List) []redline {
	versions := append(slices.Clone(archives), archive{pack: p})
	var out []redline
	for i := 1; i < len(versions); i++ {
		old, new := versions[i-1].pack, versions[i].pack
		changes := Diff(old, new)
		out = append(out, redline{From: old.Settings.Version, To: new.Settings.Version, Changes: changes})
		pos := diag.Pos{File: SettingsFile}
		if versions[i].name != "" {
			pos.File = HistoryDir + "/" + versions[i].name + "/" + SettingsFile
		}
		for _, a := range p.Data.Amendments {
			if a.Version == new.Settings.Version {
				pos = a.At("changes")
			}
		}
		for _, problem := range CheckAmendment(new, changes) {
			diags.Warnf(pos, diag.RuleAmendmentMismatch, "%s (compared with %s/%s)", problem, HistoryDir, versions[i-1].name)
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
