package markdown

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func highlightWith(t *testing.T, store *HighlightStore, src string) string {
	t.Helper()
	c := New(false)
	c.UseHighlightStore(store)
	doc := c.Parse([]byte(src))
	if errs := c.Highlight(doc, []byte(src)); len(errs) > 0 {
		t.Fatal(errs)
	}
	var b bytes.Buffer
	if err := c.Render(&b, []byte(src), doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

const storeDoc = "```go\nfunc f() string { return \"<b>\" }\n```\n\n```toml\n[a]\nb = 1\n```\n"

// The store gives back what highlighting wrote, and a second run takes
// the blocks from it: an entry changed on disk shows in the page, which
// proves that it is read (and why the store must stay the user's own).
func TestHighlightStoreIsUsed(t *testing.T) {
	file := filepath.Join(t.TempDir(), "store")
	plain := highlightWith(t, nil, storeDoc)
	s := OpenHighlightStore(file)
	if got := highlightWith(t, s, storeDoc); got != plain {
		t.Fatalf("with a store:\n%s\nwithout:\n%s", got, plain)
	}
	if err := s.Save(file); err != nil {
		t.Fatal(err)
	}
	if got := highlightWith(t, OpenHighlightStore(file), storeDoc); got != plain {
		t.Fatalf("from the saved store:\n%s\nhighlighted:\n%s", got, plain)
	}

	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	tampered := bytes.Replace(b, []byte(`<span class="kd">func</span>`), []byte(`<span class="kd">FUNC</span>`), 1)
	if bytes.Equal(tampered, b) {
		t.Fatal("the store does not hold the go block's HTML")
	}
	if err := os.WriteFile(file, tampered, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := highlightWith(t, OpenHighlightStore(file), storeDoc); !strings.Contains(got, "FUNC") {
		t.Errorf("the second run highlighted again instead of reading the store")
	}
}

// A damaged store, or one of another version, is ignored: the blocks are
// highlighted again and the next save replaces it.
func TestHighlightStoreDamaged(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	s := OpenHighlightStore(good)
	plain := highlightWith(t, s, storeDoc)
	if err := s.Save(good); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(good)
	otherVersion := bytes.Clone(b)
	otherVersion[len(storeMagic)] ^= 1
	for name, data := range map[string][]byte{
		"empty":         nil,
		"truncated":     b[:len(b)-5],
		"other version": otherVersion,
		"not a store":   []byte("hello"),
	} {
		file := filepath.Join(dir, name)
		os.WriteFile(file, data, 0o644)
		s := OpenHighlightStore(file)
		if len(s.stored) != 0 {
			t.Errorf("%s: read %d blocks", name, len(s.stored))
		}
		if got := highlightWith(t, s, storeDoc); got != plain {
			t.Errorf("%s: highlighting differs", name)
		}
		if err := s.Save(file); err != nil {
			t.Fatal(err)
		}
		if again := OpenHighlightStore(file); len(again.stored) != 2 {
			t.Errorf("%s: the save left %d blocks, want 2", name, len(again.stored))
		}
	}
}

func FuzzDecodeStore(f *testing.F) {
	v := highlighterVersion()
	f.Add(append([]byte(storeMagic), v[:]...))
	f.Add(append(append([]byte(storeMagic), v[:]...), make([]byte, 40)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		blocks, err := indexStore(bufio.NewReader(bytes.NewReader(b)), v)
		if err != nil {
			return
		}
		for _, bl := range blocks {
			if bl.at < 0 || bl.n < 0 || bl.at+int64(bl.n) > int64(len(b)) {
				t.Fatalf("a block at %d of %d bytes, in a file of %d", bl.at, bl.n, len(b))
			}
		}
	})
}

// A store is shared by the converters of a build's workers and saved while
// a preview server rebuilds: concurrent use is safe (run with -race).
func TestHighlightStoreConcurrent(t *testing.T) {
	file := filepath.Join(t.TempDir(), "store")
	s := OpenHighlightStore(file)
	c := New(false)
	c.UseHighlightStore(s)
	done := make(chan bool)
	for w := 0; w < 4; w++ {
		go func() {
			for i := 0; i < 20; i++ {
				src := []byte(strings.Repeat("x", w) + storeDoc + "```go\nvar n = " + strings.Repeat("1", i+1) + "\n```\n")
				doc := c.Parse(src)
				if errs := c.Highlight(doc, src); len(errs) > 0 {
					t.Error(errs)
				}
			}
			done <- true
		}()
	}
	go func() {
		for i := 0; i < 5; i++ {
			if err := s.Save(file); err != nil {
				t.Error(err)
			}
		}
		done <- true
	}()
	for i := 0; i < 5; i++ {
		<-done
	}
	if err := s.Save(file); err != nil {
		t.Fatal(err)
	}
	if got := len(OpenHighlightStore(file).stored); got != 22 {
		t.Errorf("the store kept %d blocks, want 22 (go, toml and 20 numbers)", got)
	}
}

// Without a store, only a converter kept for build after build keeps the
// code it highlighted; a single build's would only take memory.
func TestKeepHighlighted(t *testing.T) {
	const code = "package main\n"
	src := []byte("```go\n" + code + "```\n")
	for _, keep := range []bool{false, true} {
		c := New(false)
		if keep {
			c.KeepHighlighted()
		}
		if errs := c.Highlight(c.Parse(src), src); len(errs) > 0 {
			t.Fatal(errs)
		}
		if _, kept := c.highlightedBefore("go", code); kept != keep {
			t.Errorf("KeepHighlighted %v: the block was kept: %v", keep, kept)
		}
	}
}

// govpack serve saves its store while it goes on using it: blocks read
// from the file it opened, and blocks it made since, stay readable after
// the save replaces that file, and closing leaves no file but the store.
func TestHighlightStoreSavedWhileOpen(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "store")
	first := OpenHighlightStore(file)
	plain := highlightWith(t, first, storeDoc)
	if err := first.Save(file); err != nil {
		t.Fatal(err)
	}
	first.Close()

	s := OpenHighlightStore(file)
	defer s.Close()
	more := storeDoc + "```json\n{\"a\": 1}\n```\n"
	withMore := highlightWith(t, s, more)
	if err := s.Save(file); err != nil {
		t.Fatal(err)
	}
	if got := highlightWith(t, s, storeDoc); got != plain {
		t.Errorf("after saving, stored blocks read back as\n%s\nnot\n%s", got, plain)
	}
	if got := highlightWith(t, s, more); got != withMore {
		t.Errorf("after saving, made blocks read back as\n%s\nnot\n%s", got, withMore)
	}
	s.Close()
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the store's directory holds %d files, want the store alone", len(entries))
	}
	if again := OpenHighlightStore(file); len(again.stored) != 3 {
		t.Errorf("the saved store holds %d blocks, want 3", len(again.stored))
	}
}
