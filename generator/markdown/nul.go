package markdown

import (
	"bytes"
	"sort"
)

// ReplaceNUL returns src with every U+0000 replaced by U+FFFD, as
// CommonMark asks: a NUL byte must not reach the page raw. It returns
// src itself when it holds none, and the offsets in the result of the
// replacement characters, for Offset.
func ReplaceNUL(src []byte) ([]byte, []int) {
	n := bytes.Count(src, []byte{0})
	if n == 0 {
		return src, nil
	}
	out := make([]byte, 0, len(src)+2*n)
	at := make([]int, 0, n)
	for {
		i := bytes.IndexByte(src, 0)
		if i < 0 {
			return append(out, src...), at
		}
		out = append(out, src[:i]...)
		at = append(at, len(out))
		out = append(out, "\uFFFD"...)
		src = src[i+1:]
	}
}

// OriginalOffset returns the offset in the source ReplaceNUL was given of
// offset off in its result, whose replacements are at: a position inside
// a replacement character is the NUL's.
func OriginalOffset(off int, at []int) int {
	// k replacements start before off; each made the text 2 bytes longer.
	k := sort.SearchInts(at, off)
	if k > 0 && off < at[k-1]+len("\uFFFD") {
		return at[k-1] - 2*(k-1)
	}
	return off - 2*k
}
