package generator

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"govpack/generator/markdown"
)

// FuzzLinkTerms links arbitrary glossary names in arbitrary Markdown. No
// input may panic, each term is linked at most once, a link lies on word
// boundaries, and linking leaves the text of the page unchanged.
func FuzzLinkTerms(f *testing.F) {
	f.Add("Letter of credit", "LC", "Peers and every letter of credit, LCs, `peer`, [peer](x).\n\n# Peer\n")
	f.Add("Peer", "", "peering peer peers PEER\n- a peer\n> peer *peer*")
	f.Add("é", "ÉS", "é ÉS és\u0301 é")
	f.Add("a b", "a", "a b a  b\na\nb")
	conv := markdown.New(false)
	f.Fuzz(func(t *testing.T, name, alias, src string) {
		terms := []Term{{ID: "t", Name: name, Aliases: []string{alias}, Definition: "d"}, {ID: "u", Name: "x " + name, Definition: "d"}}
		ix := newTermIndex(terms)
		d := &Document{Path: "a/doc.md", ID: "a/doc", URL: "a/doc.html", Source: []byte(src)}
		d.AST = conv.Parse(d.Source)
		var before bytes.Buffer
		if err := conv.Render(&before, d.Source, d.AST); err != nil {
			return
		}
		linkTerms(d, ix)
		var after bytes.Buffer
		if err := conv.Render(&after, d.Source, d.AST); err != nil {
			t.Fatal(err)
		}
		html := after.String()
		for _, id := range []string{"t", "u"} {
			if n := strings.Count(html, `id="tip-a-doc-`+id+`"`); n > 1 {
				t.Fatalf("term %s linked %d times:\n%s", id, n, html)
			}
		}
		if stripTerms(html) != before.String() {
			t.Fatalf("linking changed the text:\n%s\n---\n%s", before.String(), html)
		}
	})
}

// stripTerms removes the markup linkTerms adds, leaving the text inside.
func stripTerms(html string) string {
	var b strings.Builder
	for {
		i := strings.Index(html, `<span class="term"><a class="term-link"`)
		if i < 0 {
			b.WriteString(html)
			return b.String()
		}
		b.WriteString(html[:i])
		html = html[i+len(`<span class="term"><a class="term-link"`):]
		html = html[strings.Index(html, `">`)+2:]
		end := strings.Index(html, `</a><span class="term-tip"`)
		b.WriteString(html[:end])
		html = html[end:]
		html = html[strings.Index(html, `</span></span>`)+len(`</span></span>`):]
	}
}

// findByRunes is find as first written, rune by rune with every word
// looked up: the reference FuzzTermFind holds find to.
func findByRunes(ix *termIndex, s string, used map[*Term]bool) []termMatch {
	var out []termMatch
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		end := len(s)
		if n := strings.IndexFunc(s[i:], func(r rune) bool { return !isWordRune(r) }); n >= 0 {
			end = i + n
		}
		if m, ok := ix.matchAt(s, i, []byte(strings.ToLower(s[i:end]))); ok {
			if !used[m.term] {
				used[m.term] = true
				out = append(out, m)
			}
			end = m.end
		}
		i = end
	}
	return out
}

// FuzzTermFind holds find, which skips most words without looking them
// up, to findByRunes.
func FuzzTermFind(f *testing.F) {
	f.Add("Peer", "LC", "a", "the peers, LCs and a letter of credits; As aes A peer2 Über")
	f.Add("é", "ÉS", "K", "é ÉS és\u0301 é \u212a ks kes")
	f.Fuzz(func(t *testing.T, name, alias, short, text string) {
		ix := newTermIndex([]Term{{ID: "t", Name: name, Aliases: []string{alias}}, {ID: "u", Name: short}, {ID: "v", Name: "x " + name}})
		got := fmt.Sprint(ix.find(text, map[*Term]bool{}))
		if want := fmt.Sprint(findByRunes(ix, text, map[*Term]bool{})); got != want {
			t.Fatalf("find = %s, want %s", got, want)
		}
	})
}

func TestTermMatchBoundaries(t *testing.T) {
	ix := newTermIndex([]Term{{ID: "peer", Name: "Peer"}, {ID: "lc", Name: "Letter of credit", Aliases: []string{"LC"}}})
	for _, c := range []struct {
		text string
		want []string
	}{
		{"peer", []string{"peer"}},
		{"the peers", []string{"peers"}},
		{"peering, apeer, peer2", nil},
		{"LCs and a letter of credit", []string{"LCs"}},
		{"a letter of credits", []string{"letter of credits"}},
		{"Über peer", []string{"peer"}},
	} {
		var got []string
		for _, m := range ix.find(c.text, map[*Term]bool{}) {
			if !utf8.ValidString(c.text[m.start:m.end]) {
				t.Fatalf("%q: match splits a character", c.text)
			}
			got = append(got, c.text[m.start:m.end])
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("find(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// BenchmarkTermFind scans 64 KB of prose against glossaries of 30 and
// 3,000 terms: the cost per byte should not grow with the glossary.
func BenchmarkTermFind(b *testing.B) {
	text := strings.Repeat("Each member runs a peer node and keeps the ledger of every channel it joins; ", 820)
	for _, n := range []int{30, 3000} {
		terms := make([]Term, n)
		for i := range terms {
			terms[i] = Term{ID: fmt.Sprint("t", i), Name: fmt.Sprintf("Word%d of the ledger", i)}
		}
		terms[0].Name, terms[1].Name = "Peer", "Channel"
		ix := newTermIndex(terms)
		b.Run(fmt.Sprint(n, "-terms"), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				ix.find(text, map[*Term]bool{})
			}
		})
	}
}
