package generator

import (
	"io/fs"
	"path"
	"strings"

	"govpack/generator/decode"
	"govpack/generator/sshsig"
)

// keyTrust is which signing keys a ratification of the current version may
// use. Whoever edits a pack can edit its signing_keys, so a member's keys
// are trusted from the previous version, the one the members last ratified:
// a key added now counts once this version is ratified with the old keys.
// The first version, with no history/, trusts its own keys (trust on first
// use).
type keyTrust struct {
	firstUse bool
	previous string                     // the directory under history/ the keys come from
	keys     map[string]map[string]bool // member id → key blobs declared for it there
}

// trusts reports whether a ratification by member with the key blob may
// count.
func (t keyTrust) trusts(member string, blob []byte) bool {
	return t.firstUse || t.keys[member][string(blob)]
}

// loadTrust reads the members' keys of the previous version: the newest
// version under history/ earlier than the current one. It reads the
// archived TOML files itself, through fsys: a key counts only when the
// archive declares it, so a file that does not decode declares nothing.
func loadTrust(fsys fs.FS, p *Pack) keyTrust {
	if len(p.History) == 0 {
		return keyTrust{firstUse: true}
	}
	t := keyTrust{keys: map[string]map[string]bool{}}
	best := ""
	var bestSettings Settings
	for _, name := range p.History {
		src, err := fs.ReadFile(fsys, HistoryDir+"/"+name+"/"+SettingsFile)
		if err != nil {
			continue // loadHistory reports it
		}
		var s Settings
		if decode.Decode(SettingsFile, src, &s).HasErrors() {
			continue
		}
		if p.Settings.Version != "" && !versionLess(s.Version, p.Settings.Version) {
			continue // not an earlier version
		}
		if best == "" || versionLess(bestSettings.Version, s.Version) {
			best, bestSettings = name, s
		}
	}
	if best == "" {
		return t // history holds no earlier version to take keys from: none is trusted
	}
	t.previous = HistoryDir + "/" + best
	owners := map[string]int{}
	for _, m := range archivedMembers(fsys, t.previous, bestSettings) {
		blobs := t.keys[m.ID]
		if blobs == nil {
			blobs = map[string]bool{}
			t.keys[m.ID] = blobs
		}
		for _, k := range m.SigningKeys {
			if key, err := sshsig.ParsePublicKey(k); err == nil && !blobs[string(key.Blob)] {
				blobs[string(key.Blob)] = true
				owners[string(key.Blob)]++
			}
		}
	}
	// A key several members declared there is trusted for none of them.
	for _, blobs := range t.keys {
		for blob := range blobs {
			if owners[blob] > 1 {
				delete(blobs, blob)
			}
		}
	}
	return t
}

// archivedMembers decodes the [[member]] tables of the archived version in
// dir, reading the TOML files the pack loader would read as data.
func archivedMembers(fsys fs.FS, dir string, s Settings) []Member {
	profileFile := ""
	if strings.HasSuffix(s.Profile, ".toml") {
		profileFile = path.Clean(s.Profile)
	}
	var members []Member
	fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || name == dir {
			return nil
		}
		rel := strings.TrimPrefix(name, dir+"/")
		top, _, _ := strings.Cut(rel, "/")
		skip := strings.HasPrefix(path.Base(rel), ".") || top == "public" || top == "static" || top == "theme" || top == HistoryDir
		switch {
		case d.IsDir() && skip:
			return fs.SkipDir
		case d.IsDir() || skip || !strings.HasSuffix(rel, ".toml") || rel == SettingsFile || rel == profileFile:
			return nil
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil
		}
		var data Data
		if !decode.Decode(rel, src, &data).HasErrors() {
			members = append(members, data.Members...)
		}
		return nil
	})
	return members
}
