package generator

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"govpack/generator/decode"
	"govpack/generator/diag"
)

// ratificationsFile is the shape of ratifications.toml.
type ratificationsFile struct {
	Ratifications []Ratification `toml:"ratification"`
}

// UpdateRatifications returns the contents of ratifications.toml (src, which
// may be empty) with r in place of the member's earlier ratification. The
// file is rewritten in canonical form, sorted by member.
func UpdateRatifications(src []byte, r Ratification) ([]byte, diag.List) {
	var f ratificationsFile
	if diags := decode.Decode(RatificationsFile, src, &f); diags.HasErrors() {
		return nil, diags
	}
	var keep []Ratification
	for _, old := range f.Ratifications {
		if old.Member != r.Member {
			keep = append(keep, old)
		}
	}
	keep = append(keep, r)
	sort.SliceStable(keep, func(i, j int) bool { return keep[i].Member < keep[j].Member })
	var b bytes.Buffer
	b.WriteString("# Ratifications: SSH signatures (ssh-keygen -Y sign -n govpack) of the pack\n")
	b.WriteString("# digest, one per member. The pack digest leaves this file out.\n")
	for _, x := range keep {
		fmt.Fprintf(&b, "\n[[ratification]]\nmember = %q\ndate = %s\ndigest = %q\npublic_key = %q\nsignature = \"\"\"\n%s\n\"\"\"\n",
			x.Member, x.Date, x.Digest, strings.TrimSpace(x.PublicKey), strings.TrimSpace(x.Signature))
	}
	return b.Bytes(), nil
}
