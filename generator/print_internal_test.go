package generator

import (
	"bytes"
	"html"
	"slices"
	"testing"
)

// editAttrs reads HTML that may hold a pack's raw HTML (unsafe_html): it
// never panics, and an edit that changes nothing leaves the bytes alone.
func FuzzEditAttrs(f *testing.F) {
	f.Add([]byte(`<h2 id="7.2">7.2 Quorum</h2><p><a href="../governance/members/a.html#x" class="ref">A</a> <img src="x.png" alt=""></p>`))
	f.Add([]byte(`<section aria-labelledby="a b"> id="unclosed`))
	f.Add([]byte(` href="&amp;&#34;"`))
	f.Add([]byte(` href="&#10&#10"`)) // escaped again, a value can come out shorter
	f.Fuzz(func(t *testing.T, body []byte) {
		same := editAttrs(nil, bytes.Clone(body), func(_, v string) string { return v })
		if !bytes.Equal(same, body) {
			t.Fatalf("an edit that changes nothing changed %q into %q", body, same)
		}
		// Every value edited reads back as edited, and nothing else
		// becomes an attribute value.
		var want, got []string
		out := editAttrs(make([]byte, 3, 64), bytes.Clone(body), func(name, v string) string { // into: room of any length
			want = append(want, name+":"+v)
			return name + ":" + v
		})
		editAttrs(nil, out, func(_, v string) string { got = append(got, v); return v })
		if !slices.Equal(got, want) {
			t.Fatalf("edited %q into %q, which reads back %q, not %q", body, out, got, want)
		}
	})
}

func TestEditAttrs(t *testing.T) {
	got := string(editAttrs(nil, []byte(`<a href="a.html#x" data-id="keep" title="id=&#34;no&#34;"><h2 id="x">`), func(name, v string) string { return name + "=" + v }))
	want := `<a href="href=a.html#x" data-id="keep" title="id=&#34;no&#34;"><h2 id="id=x">`
	if got != want {
		t.Errorf("editAttrs:\n got %s\nwant %s", got, want)
	}
}

// FuzzEditAttrsScan holds editAttrs to the plain byte-by-byte scan it
// replaced: the same attributes edited, the same bytes out.
func FuzzEditAttrsScan(f *testing.F) {
	f.Add([]byte(`<h2 id="7.2">7.2 Quorum</h2><p><a href="../governance/members/a.html#x" class="ref">A</a> <img src="x.png" alt=""></p>`))
	f.Add([]byte(`<section aria-labelledby="a b"> id="unclosed`))
	f.Add([]byte(` id=" id="x" href="y"`))
	f.Add([]byte(`<p title=" id="> href="z"`))
	f.Fuzz(func(t *testing.T, body []byte) {
		edit := func(name, v string) string { return name + ":" + v }
		got := editAttrs(make([]byte, 0, len(body)), bytes.Clone(body), edit)
		want := editAttrsByteScan(bytes.Clone(body), edit)
		if !bytes.Equal(got, want) {
			t.Fatalf("editAttrs(%q)\n got %q\nwant %q", body, got, want)
		}
	})
}

// editAttrsByteScan is the first editAttrs: every whitespace byte tried
// as the start of each attribute name.
func editAttrsByteScan(body []byte, edit func(name, value string) string) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(body); i++ {
		if c := body[i]; c != ' ' && c != '\n' && c != '\t' && c != '\r' {
			continue
		}
		rest := body[i+1:]
		for _, name := range printAttrs {
			if len(rest) < len(name)+2 || string(rest[:len(name)]) != name || rest[len(name)] != '=' || rest[len(name)+1] != '"' {
				continue
			}
			start := i + 1 + len(name) + 2
			end := bytes.IndexByte(body[start:], '"')
			if end < 0 {
				break
			}
			end += start
			value := html.UnescapeString(string(body[start:end]))
			if changed := edit(name, value); changed != value {
				out = append(append(out, body[last:start]...), html.EscapeString(changed)...)
				last = end
			}
			i = end
			break
		}
	}
	if out == nil {
		return body
	}
	return append(out, body[last:]...)
}

// FuzzAppendIDs holds appendIDs to the ids editAttrs edits.
func FuzzAppendIDs(f *testing.F) {
	f.Add([]byte(`<h2 id="7.2">7.2 Quorum</h2><p><a href="a.html#x" class="ref">A</a><span class="kd">id="no"</span></p>`))
	f.Add([]byte(`<a href="x id="y">z</a> <b id="w">`))
	f.Add([]byte(`<a href="" id="x"> data-id="n" id="&amp;a"`))
	f.Add([]byte(`<a href="x href="y id="z">`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got := appendIDs([]string{"before"}, body)
		want := appendIDsByEdit([]string{"before"}, body)
		if !slices.Equal(got, want) {
			t.Fatalf("appendIDs(%q) = %q, editAttrs edits %q", body, got, want)
		}
	})
}
