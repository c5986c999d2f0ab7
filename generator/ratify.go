package generator

import (
	"fmt"
	"strings"

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
// is one the member declared, and that it signs the current digest. It
// reports what ratification rules require and returns each member's status.
func checkRatifications(p *Pack, v *views, out *findings) map[string]RatificationStatus {
	status := map[string]RatificationStatus{}
	for i := range p.Data.Ratifications {
		r := &p.Data.Ratifications[i]
		m := v.member[r.Member]
		if m == nil {
			continue // reported as an unresolved reference
		}
		st := RatificationStatus{Date: r.Date.String(), Digest: r.Digest}
		problem := verifyRatification(r, m)
		switch {
		case problem != "":
			st.State, st.Problem = "invalid", problem
			out.errorf(r.At("signature"), "ratify/invalid", "", r.Member, "ratification by %q is invalid: %s", r.Member, problem)
		case r.Digest != p.Digest:
			st.State = "stale"
			out.warnf(r.At("digest"), "ratify/stale", "", r.Member, "ratification by %q is stale: it signs %s, an earlier version; the pack digest is now %s", r.Member, short(r.Digest), short(p.Digest))
		default:
			st.State = "ratified"
		}
		if key, err := sshsig.ParsePublicKey(r.PublicKey); err == nil {
			st.Fingerprint = key.Fingerprint()
		}
		// A member may ratify several times; the best standing counts.
		if prev, ok := status[r.Member]; !ok || rank(st.State) > rank(prev.State) {
			status[r.Member] = st
		}
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
		ratified := 0
		var missing []string
		for _, id := range seats {
			if status[id].State == "ratified" {
				ratified++
			} else {
				missing = append(missing, id)
			}
		}
		base := len(seats)
		need := votesNeeded(dec.Threshold, base)
		if ratified < need {
			version := p.Settings.Version
			if version == "" {
				version = "the current version"
			}
			out.warnf(dec.At("ratification"), "ratify/threshold", "", dec.ID, "%s is ratified by %d of %d members of %q; %q needs %d; not yet ratified: %s", version, ratified, base, dec.Body, dec.ID, need, strings.Join(missing, ", "))
		}
	}
	return status
}

func rank(state string) int {
	return map[string]int{"invalid": 1, "stale": 2, "ratified": 3}[state]
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
