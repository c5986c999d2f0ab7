package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"sort"
)

// RatificationsFile holds the pack's [[ratification]] records. It is the
// one source the pack digest leaves out, since ratifications sign the digest.
const RatificationsFile = "ratifications.toml"

// packDigest computes the pack digest over the governance sources: every
// .md and .toml file the pack reads (govpack.toml, the profile file,
// documents, drafts included, and data), except ratifications.toml, and
// never static/, theme/ or the output. Each file is normalized — a leading
// byte order mark dropped, CRLF turned into LF, a final newline added when
// missing — and hashed; the digest is the SHA-256 of the lines
// "<hex sha256>  <path>\n" in bytewise path order, which is what
// `sha256sum` prints. docs/ratification.md shows how to recompute it with standard
// tools.
func packDigest(files map[string][]byte, cache *cache) string {
	names := make([]string, 0, len(files))
	for name := range files {
		ext := path.Ext(name)
		if (ext == ".md" || ext == ".toml") && path.Base(name) != RatificationsFile {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var listing bytes.Buffer
	listing.Grow(len(names) * 128)
	sums := make([][sha256.Size]byte, len(names))
	if cache == nil {
		parallel(len(names), func(i int) { sums[i] = sourceSum(files[names[i]]) })
	} else {
		for i, name := range names {
			sums[i] = cache.fileSum(name, files[name])
		}
	}
	var line [2*sha256.Size + 2]byte
	line[2*sha256.Size], line[2*sha256.Size+1] = ' ', ' '
	for i, name := range names {
		hex.Encode(line[:], sums[i][:])
		listing.Write(line[:]) // "<hex>  <path>\n", as sha256sum prints it
		listing.WriteString(name)
		listing.WriteByte('\n')
	}
	sum := sha256.Sum256(listing.Bytes())
	return "sha256:" + hex.EncodeToString(sum[:])
}

// sourceSum is the SHA-256 of a file in the digest's canonical form (see
// normalizeSource), without copying a file already in it.
func sourceSum(src []byte) [sha256.Size]byte {
	if bytes.HasPrefix(src, []byte("\uFEFF")) || bytes.IndexByte(src, '\r') >= 0 {
		return sha256.Sum256(normalizeSource(src))
	}
	if len(src) == 0 || src[len(src)-1] == '\n' {
		return sha256.Sum256(src)
	}
	h := sha256.New()
	h.Write(src)
	h.Write([]byte{'\n'})
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// normalizeSource applies the digest's canonical form to one file: line by
// line, as sed would, dropping a leading byte order mark and one carriage
// return at the end of each line, every line ending in a newline.
func normalizeSource(src []byte) []byte {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	if len(src) == 0 {
		return src
	}
	out := make([]byte, 0, len(src)+1)
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		out = append(append(out, bytes.TrimSuffix(line, []byte("\r"))...), '\n')
	}
	return out
}
