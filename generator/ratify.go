package generator

import (
	"fmt"
	"io/fs"
	"strings"

	"govpack/generator/diag"
	"govpack/generator/sshsig"
)

// RatificationStatus says whether a member ratified the current version.
type RatificationStatus struct {
	State       string // "ratified", "stale", "invalid" or "none"
	Date        string
	Digest      string // the digest the member signed
	Fingerprint string // of the key that signed
	Problem     string // why a ratification is invalid
}

// checkRatifications verifies every [[ratification]]: its signature
// (an SSH signature of the pack digest, namespace "govpack"), that the key
// is one the member declares now and declared in the previous version (see
// keyTrust), that no other member declares it, and that it signs the
// current digest. It reports what ratification rules require and returns
// each member's status, and whether the version is ratified: by at least
// one member, and by as many as every ratification rule requires.
func checkRatifications(p *Pack, v *views, trust keyTrust, out *findings) (map[string]RatificationStatus, bool) {
	shared := checkSigningKeys(p, trust, out)
	status := map[string]RatificationStatus{}
	for i := range p.Data.Ratifications {
		r := &p.Data.Ratifications[i]
		m := v.member[r.Member]
		if m == nil {
			continue // reported as an unresolved reference
		}
		st := ratificationStatus(p, r, m, trust, shared)
		switch st.State {
		case "invalid":
			out.errorf(r.At("signature"), diag.RuleRatifyInvalid, "", r.Member, "ratification by %q is invalid: %s", r.Member, st.Problem)
		case "stale":
			out.warnf(r.At("digest"), diag.RuleRatifyStale, "", r.Member, "ratification by %q is stale: it signs %s, an earlier version; the pack digest is now %s", r.Member, short(r.Digest), short(p.Digest))
		}
		// A member may ratify several times; the best standing counts.
		if prev, ok := status[r.Member]; !ok || rank(st.State) > rank(prev.State) {
			status[r.Member] = st
		}
	}
	ratified := false
	for _, st := range status {
		ratified = ratified || st.State == "ratified"
	}
	for _, dec := range p.Data.Decisions {
		if !dec.Ratification {
			continue
		}
		b := v.body[dec.Body]
		if b == nil {
			continue
		}
		seats := v.bodyMembers(b)
		count := 0
		var missing []string
		for _, id := range seats {
			if status[id].State == "ratified" {
				count++
			} else {
				missing = append(missing, id)
			}
		}
		base := len(seats)
		need := votesNeeded(dec.Threshold, base)
		if count < need {
			ratified = false
			version := p.Settings.Version
			if version == "" {
				version = "the current version"
			}
			out.warnf(dec.At("ratification"), diag.RuleRatifyThreshold, "", dec.ID, "%s is ratified by %d of %d members of %q; %q needs %d; not yet ratified: %s", version, count, base, dec.Body, dec.ID, need, strings.Join(missing, ", "))
		}
	}
	return status, ratified
}

func rank(state string) int {
	return map[string]int{"invalid": 1, "untrusted": 2, "stale": 3, "ratified": 4}[state]
}

// ratificationStatus is where r stands. A ratification whose signature
// holds but whose key is not trusted for m is "untrusted": the cause was
// reported at the key (see checkSigningKeys), so it is not reported again.
func ratificationStatus(p *Pack, r *Ratification, m *Member, trust keyTrust, shared map[string]bool) RatificationStatus {
	st := RatificationStatus{Date: r.Date.String(), Digest: r.Digest}
	key, err := sshsig.ParsePublicKey(r.PublicKey)
	if err == nil {
		st.Fingerprint = key.Fingerprint()
	}
	switch problem := verifyRatification(r, m); {
	case problem != "":
		st.State, st.Problem = "invalid", problem
	case shared[string(key.Blob)]:
		st.State, st.Problem = "untrusted", fmt.Sprintf("key %s is declared by several members; it ratifies for none of them", key.Fingerprint())
	case !trust.trusts(m.ID, key.Blob):
		st.State, st.Problem = "untrusted", fmt.Sprintf("key %s is new in this version; it counts once a version declaring it is ratified with the member's earlier keys", key.Fingerprint())
	case r.Digest != p.Digest:
		st.State = "stale"
	default:
		st.State = "ratified"
	}
	return st
}

// checkSigningKeys reports every signing key that is not a supported
// OpenSSH public key, that another member declared first, or that is new
// since the previous version. It returns the keys (wire-format blobs)
// declared by more than one member: they count for none.
func checkSigningKeys(p *Pack, trust keyTrust, out *findings) map[string]bool {
	first := map[string]string{} // key blob → the member that declared it first
	shared := map[string]bool{}
	for i := range p.Data.Members {
		m := &p.Data.Members[i]
		seen := map[string]bool{}
		for j, k := range m.SigningKeys {
			at := m.At(fmt.Sprintf("signing_keys[%d]", j))
			key, err := sshsig.ParsePublicKey(k)
			if err != nil {
				out.errorf(at, diag.RuleRatifyKey, "", m.ID, "signing key %d of member %q cannot be used: %v", j+1, m.ID, err)
				continue
			}
			blob := string(key.Blob)
			if seen[blob] {
				continue // the same key twice says nothing more
			}
			seen[blob] = true
			if owner, ok := first[blob]; ok {
				shared[blob] = true
				out.errorf(at, diag.RuleRatifySharedKey, "", m.ID, "signing key %s of member %q is also declared by member %q; one key ratifies for one member only, so it counts for none of those declaring it", key.Fingerprint(), m.ID, owner)
				continue
			}
			first[blob] = m.ID
			if !trust.trusts(m.ID, key.Blob) {
				out.warnf(at, diag.RuleRatifyNewKey, "", m.ID, "%s", newKeyMessage(m.ID, key.Fingerprint(), trust))
			}
		}
	}
	return shared
}

// newKeyMessage says why a key new in this version does not count yet.
func newKeyMessage(member, fingerprint string, trust keyTrust) string {
	where := "no earlier version under " + HistoryDir + "/ can be read"
	if trust.previous != "" {
		where = "keys are trusted from " + trust.previous + ", which does not declare it"
	}
	return fmt.Sprintf("signing key %s of member %q is new in this version (%s): a ratification with it counts from the next version on, once this one is ratified with the member's earlier keys", fingerprint, member, where)
}

// VerifyRatification says why r would not count for its member in the
// pack p, read from fsys, or returns "": what check would report, for sign
// to refuse a signature before it replaces a valid one.
func VerifyRatification(fsys fs.FS, p *Pack, r *Ratification) string {
	var m *Member
	for i := range p.Data.Members {
		if p.Data.Members[i].ID == r.Member {
			m = &p.Data.Members[i]
		}
	}
	if m == nil {
		return fmt.Sprintf("no member %q", r.Member)
	}
	var ignored diag.List
	_, trust := checkArchives(fsys, p, &ignored, nil, false)
	st := ratificationStatus(p, r, m, trust, checkSigningKeys(p, trust, &findings{}))
	if st.State == "ratified" {
		return ""
	}
	if st.Problem == "" {
		return fmt.Sprintf("it signs %s, not the pack digest %s", short(r.Digest), short(p.Digest))
	}
	return st.Problem
}

// verifyRatification returns why r is not a valid signature by m, or "".
func verifyRatification(r *Ratification, m *Member) string {
	key, err := sshsig.ParsePublicKey(r.PublicKey)
	if err != nil {
		return "public_key: " + err.Error()
	}
	sig, err := sshsig.Parse(r.Signature)
	if err != nil {
		return err.Error()
	}
	if string(sig.Key.Blob) != string(key.Blob) {
		return "the signature was made with another key than public_key"
	}
	declared := false
	for _, k := range m.SigningKeys {
		if dk, err := sshsig.ParsePublicKey(k); err == nil && string(dk.Blob) == string(key.Blob) {
			declared = true
		}
	}
	if !declared {
		return fmt.Sprintf("key %s is not among the signing_keys of member %q", key.Fingerprint(), m.ID)
	}
	if err := sig.Verify([]byte(r.Digest), sshsig.Namespace); err != nil {
		return err.Error()
	}
	return ""
}

// short abbreviates a digest for messages.
func short(digest string) string {
	if len(digest) > len("sha256:")+12 {
		return digest[:len("sha256:")+12] + "…"
	}
	return digest
}
