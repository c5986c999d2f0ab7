package generator

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"govpack/generator/diag"
	"govpack/generator/markdown"
)

// FuzzDocument loads arbitrary document sources: front matter and Markdown.
// No input may panic, and every position must lie inside the file.
func FuzzDocument(f *testing.F) {
	f.Add([]byte("+++\ntitle = \"T\"\ncovers = [\"a\"]\nweight = 2\n+++\n# H\n\n## 7.2 Quorum {#q}\n"))
	f.Add([]byte("+++\n+++\n"))
	f.Add([]byte("+++\r\ntitle = 1\r\n+++\r\nbody"))
	f.Add([]byte("+++ \nwieght = 3\n+++   \n"))
	f.Add([]byte("+++\ntitle = \"never closed\"\n"))
	conv := markdown.New(false)
	f.Fuzz(func(t *testing.T, src []byte) {
		var diags diag.List
		doc, _ := loadDocument("a/doc.md", src, conv, DefaultLimits(), false, &diags)
		lines := strings.Split(string(src), "\n")
		for _, d := range diags {
			if d.Pos.Line < 1 || d.Pos.Line > len(lines) || d.Pos.Col > len(lines[d.Pos.Line-1])+1 {
				t.Fatalf("%s: position outside the file", d)
			}
		}
		if doc == nil {
			return
		}
		// A single build loads an outline only: the same headings and links.
		var outlineDiags diag.List
		outline, _ := loadDocument("a/doc.md", src, conv, DefaultLimits(), true, &outlineDiags)
		if want, got := loadedOutline(doc), loadedOutline(outline); got != want {
			t.Fatalf("loaded as an outline:\n%s\nin full:\n%s", got, want)
		}
		for _, h := range doc.Headings {
			if h.Pos.Line < 1 || h.Pos.Line > len(lines) {
				t.Fatalf("heading %q at %s: outside the file", h.Text, h.Pos)
			}
		}
		// A single build lets the tree go and parses it again: the same
		// tree, its links set as linking set them.
		for i := range doc.refs {
			doc.refs[i].set, doc.refs[i].applied = linkState{dest: "linked.html", text: "Linked", kind: "member"}, true
			doc.refs[i].set.apply(doc.refs[i])
		}
		var first, again strings.Builder
		if err := conv.Render(&first, doc.Source, doc.tree()); err != nil {
			t.Fatal(err)
		}
		doc.releaseAST()
		if err := conv.Render(&again, doc.Source, doc.tree()); err != nil {
			t.Fatal(err)
		}
		if first.String() != again.String() {
			t.Fatalf("parsed again, the document renders\n%s\nnot\n%s", again.String(), first.String())
		}
	})
}

// loadedOutline describes what loading recorded of a document.
func loadedOutline(d *Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q fromH1=%v inContent=%v\n", d.Title, d.titleFromH1, d.titleInContent)
	for _, h := range d.Headings {
		fmt.Fprintf(&b, "h%d #%s %q at %s\n", h.Level, h.ID, h.Text, h.Pos)
	}
	for _, h := range d.toc {
		fmt.Fprintf(&b, "toc #%s\n", h.ID)
	}
	for _, r := range d.refs {
		fmt.Fprintf(&b, "ref %q at %d after %d empty=%v\n", r.dest, r.at, r.heading, r.emptyText)
	}
	return b.String()
}

// FuzzResolve resolves arbitrary reference targets against a small pack.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"member:bank-a", "member:", ":x", "charter/a.md#7.2", "../x.md", "a.md#", "#", "static/logo.svg", "kind:founding", "term:a:b", "charter/../../x"} {
		f.Add(s, "charter")
	}
	p := &Pack{Data: Data{Members: []Member{{ID: "bank-a", Name: "Bank A"}}}, Static: []string{"logo.svg"}}
	doc := &Document{Path: "charter/a.md", URL: "charter/a.html", Title: "A", Headings: []Heading{{ID: "7.2", Text: "7.2 Quorum"}}}
	p.Docs = []*Document{doc}
	l := newLinks(p)
	f.Fuzz(func(t *testing.T, ref, dir string) {
		key, tgt, problem := l.resolve(ref, dir, "charter/a.md")
		if problem == "" && tgt.URL == "" {
			t.Fatalf("resolve(%q) succeeded without a URL (key %q)", ref, key)
		}
		if problem == "" && strings.Contains(tgt.URL, "..") {
			t.Fatalf("resolve(%q) = %q climbs out of the site", ref, tgt.URL)
		}
		_ = relURL("charter/a.html", tgt.URL)
	})
}

// FuzzSourceSum holds the digest's fast path to the canonical form it
// skips copying into.
func FuzzSourceSum(f *testing.F) {
	for _, s := range []string{"", "a", "a\n", "a\r\n", "\uFEFFa\n", "a\r", "a\n\r", "\r\n\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if got, want := sourceSum(src), sha256.Sum256(normalizeSource(src)); got != want {
			t.Fatalf("sourceSum(%q) differs from the hash of its canonical form", src)
		}
	})
}
