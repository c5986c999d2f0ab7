package markdown

import "testing"

func TestReplaceNUL(t *testing.T) {
	src := []byte("a\x00b\x00\x00c")
	out, at := ReplaceNUL(src)
	if string(out) != "a\uFFFDb\uFFFD\uFFFDc" {
		t.Fatalf("got %q", out)
	}
	// Every byte of the result maps to the byte of src it came from.
	want := []int{0, 1, 1, 1, 2, 3, 3, 3, 4, 4, 4, 5, 6}
	for off, w := range want {
		if got := OriginalOffset(off, at); got != w {
			t.Errorf("offset %d: got %d, want %d", off, got, w)
		}
	}
	if out, at := ReplaceNUL([]byte("none")); string(out) != "none" || at != nil {
		t.Errorf("without NUL: %q %v", out, at)
	}
}
