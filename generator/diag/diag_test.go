package diag

import "testing"

func TestLineIndex(t *testing.T) {
	x := NewLineIndex("f", []byte("ab\ncd\n\nx"))
	for off, want := range map[int]string{0: "f:1:1", 1: "f:1:2", 2: "f:1:3", 3: "f:2:1", 6: "f:3:1", 7: "f:4:1", 8: "f:4:2", -1: "f"} {
		if got := x.Pos(off).String(); got != want {
			t.Errorf("Pos(%d) = %s, want %s", off, got, want)
		}
	}
}

func TestSortOrdersAndDropsRepeats(t *testing.T) {
	l := List{
		Errorf(Pos{File: "b", Line: 1, Col: 1}, "r", "x"),
		Errorf(Pos{File: "a", Line: 10, Col: 1}, "r", "x"),
		Errorf(Pos{File: "a", Line: 2, Col: 5}, "r", "x"),
		Errorf(Pos{File: "a", Line: 2, Col: 5}, "r", "x"),
		Warnf(Pos{File: "a", Line: 2, Col: 1}, "r", "y"),
	}
	l.Sort()
	want := "a:2:1: warning: y [r]\na:2:5: error: x [r]\na:10:1: error: x [r]\nb:1:1: error: x [r]\n"
	if got := l.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if e, w, wv := l.Count(); e != 3 || w != 1 || wv != 0 || !l.HasErrors() {
		t.Errorf("Count = %d, %d, %d", e, w, wv)
	}
}
