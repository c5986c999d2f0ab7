package generator

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"govpack/generator/synth"
)

func gzipSize(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// BenchmarkSearchIndexSample times the index of the sample pack, which
// govpack serve rebuilds on every save.
func BenchmarkSearchIndexSample(b *testing.B) {
	benchmarkSearchIndex(b, check(os.DirFS("../content"), Options{}, nil))
}

// benchmarkSearchIndex times building and encoding the index of a
// checked pack, and reports its size: index.js, which a
// search loads whole, and the text shards, loaded a few at a time.
func benchmarkSearchIndex(b *testing.B, c checked) {
	if c.Diagnostics.HasErrors() {
		b.Fatal(c.Diagnostics)
	}
	var out Output
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		out = Output{}
		if err := addSearchIndex(context.Background(), out, c.Pack, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var shards, shardsGz, largest int
	for name, f := range out {
		if strings.HasPrefix(name, "search/text-") {
			shards += len(f)
			shardsGz += gzipSize(f)
			largest = max(largest, len(f))
		}
	}
	b.ReportMetric(float64(len(out[searchIndexFile])), "index-B")
	b.ReportMetric(float64(gzipSize(out[searchIndexFile])), "index-gz-B")
	b.ReportMetric(float64(shards), "texts-B")
	b.ReportMetric(float64(shardsGz), "texts-gz-B")
	b.ReportMetric(float64(largest), "largest-shard-B")
	b.ReportMetric(float64(len(out)-1), "shards")
}

func BenchmarkSearchIndex1000(b *testing.B) {
	benchmarkSearchIndex(b, check(synth.Pack(1000), Options{}, nil))
}

func BenchmarkSearchIndex10000(b *testing.B) {
	benchmarkSearchIndex(b, check(synth.Pack(10000), Options{}, nil))
}

func TestTruncateText(t *testing.T) {
	for _, c := range []struct {
		text string
		max  int
		want string
	}{
		{"short text", 20, "short text"},
		{"one two three", 9, "one two …"},
		{"ééééé", 5, "éé …"}, // no space: cut at a rune boundary
	} {
		if got := truncateText(c.text, c.max); got != c.want {
			t.Errorf("truncateText(%q, %d) = %q, want %q", c.text, c.max, got, c.want)
		}
	}
}

func TestIsSearchFile(t *testing.T) {
	for name, want := range map[string]bool{
		"search/index.js": true, "search/text-0.js": true, "search/text-17.js": true,
		"search/text-.js": false, "search/text-a.js": false, "search/other.js": false,
		"charter/search/text-1.js": false, "search/text-1.json": false,
	} {
		if got := isSearchFile(name); got != want {
			t.Errorf("isSearchFile(%q) = %v, want %v", name, got, want)
		}
	}
}

// appendWords splits as strings.FieldsFunc does with the rule search.js
// uses, on any text.
func FuzzAppendWords(f *testing.F) {
	f.Add("Article 7.2 — Quorum: two-thirds of MEMBERS (Σύνοδος, 会員) vote.")
	f.Add("a\xffb İstanbul ǅ x²")
	f.Fuzz(func(t *testing.T, text string) {
		want := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
		if got := appendWords(nil, text); !slices.Equal(got, want) {
			t.Fatalf("appendWords(%q) = %q, want %q", text, got, want)
		}
	})
}

func FuzzCollapseSpace(f *testing.F) {
	for _, s := range []string{"", " ", " a  b\n\tc ", "x\u00a0y\u2003 z", "\xff \xfe", "a\u0085b",
		"The issuing bank must record the key material during the window.", " Leading space and  two spaces after eight",
		"abcdefg  hijklmno p\tqrstuvw xyz\x01abc defghij\u00a0klmnopq rst\nuvw", "1234567 12345678 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	})
}

// The index reads spilled texts back a run at a time (entryTexts). With
// each document's texts spilled in one write, as a streamed build does,
// some documents left in memory (as after a failed write), room left
// unused between runs and runs past the megabyte a read stops at, it must
// be the index made from memory alone, byte for byte.
func TestSearchIndexReadsSpilledTexts(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	const perDoc = 7
	newIndex := func() *searchIndex {
		idx := &searchIndex{}
		for i := range 450 { // five text shards
			text := strings.Repeat(fmt.Sprintf("word%d text ", i%13), i%5) + "end"
			switch {
			case i%11 == 0:
				text = ""
			case i < perDoc:
				text = strings.Repeat("long ", 60_000) // the first document's run is 2 MB
			}
			idx.add(fmt.Sprintf("doc-%d.html#c%d", i/perDoc, i), "Doc", searchEntry{title: fmt.Sprintf("Clause %d", i), text: text})
		}
		return idx
	}
	want, err := newIndex().encode(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	idx := newIndex()
	idx.spill = newBodySpill()
	if idx.spill == nil {
		t.Fatal("no spill")
	}
	defer idx.spill.close()
	r := &renderer{spill: idx.spill}
	r.buffers.New = func() any { return new(bytes.Buffer) }
	spilled := 0
	for d := 0; d*perDoc < len(idx.entries); d++ {
		switch {
		case d%3 == 2:
			continue // left in memory
		case d%4 == 3:
			idx.spill.end.Add(5) // room no body took
		}
		entries := idx.entries[d*perDoc : min(len(idx.entries), (d+1)*perDoc)]
		r.spillEntries(entries)
		for _, e := range entries {
			if e.spilled != nil {
				spilled++
			}
		}
	}
	if spilled < len(idx.entries)/2 {
		t.Fatalf("only %d of %d texts spilled", spilled, len(idx.entries))
	}
	got, err := idx.encode(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("%d files, %d from memory", len(got), len(want))
	}
	for name, w := range want {
		if g := got[name]; !bytes.Equal(g, w) {
			t.Errorf("%s: %d bytes, %d from memory", name, len(g), len(w))
		}
	}
}

// A list of search strings is what encoding/json makes of it, null when
// nil; escape.FuzzAppendJSON fuzzes the strings themselves.
func TestAppendJSONStrings(t *testing.T) {
	for _, list := range [][]string{nil, {}, {""}, {"a\"b", "\u2028 <&>", "\xff"}} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(list); err != nil {
			t.Fatal(err)
		}
		if got := appendJSONStrings([]byte("x"), list); string(got[1:]) != strings.TrimSuffix(want.String(), "\n") {
			t.Errorf("%q: %s, want %s", list, got[1:], want.String())
		}
	}
}
