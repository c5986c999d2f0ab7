package generator

import "govpack/generator/sshsig"

// keyTrust is which signing keys a ratification of a version may use.
// Whoever edits a pack can edit its signing_keys, and its history/ too, so
// trust is carried forward through the archived versions, oldest first: the
// oldest declares the keys it trusts (trust on first use), and each later
// version's keys are trusted from then on only if that version was ratified
// with the keys trusted before it. A key added now counts once a version
// declaring it is ratified with the old keys. A pack with no history/
// trusts its own keys.
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

// trustOf is the keys the members declare in an archived version: trusted
// for the versions after it. A key several members declare there is
// trusted for none of them.
func trustOf(a archive) keyTrust {
	t := keyTrust{previous: HistoryDir + "/" + a.name, keys: map[string]map[string]bool{}}
	owners := map[string]int{}
	for _, m := range a.pack.Data.Members {
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
	for _, blobs := range t.keys {
		for blob := range blobs {
			if owners[blob] > 1 {
				delete(blobs, blob)
			}
		}
	}
	return t
}
