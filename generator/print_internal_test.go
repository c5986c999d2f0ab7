package generator

import (
	"bytes"
	"testing"
)

// editAttrs reads HTML that may hold a pack's raw HTML (unsafe_html): it
// never panics, and an edit that changes nothing leaves the bytes alone.
func FuzzEditAttrs(f *testing.F) {
	f.Add([]byte(`<h2 id="7.2">7.2 Quorum</h2><p><a href="../governance/members/a.html#x" class="ref">A</a> <img src="x.png" alt=""></p>`))
	f.Add([]byte(`<section aria-labelledby="a b"> id="unclosed`))
	f.Add([]byte(` href="&amp;&#34;"`))
	f.Fuzz(func(t *testing.T, body []byte) {
		same := editAttrs(bytes.Clone(body), func(_, v string) string { return v })
		if !bytes.Equal(same, body) {
			t.Fatalf("an edit that changes nothing changed %q into %q", body, same)
		}
		out := editAttrs(body, func(name, v string) string { return name + ":" + v })
		if len(out) < len(body) {
			t.Fatalf("editing every value made %q shorter: %q", body, out)
		}
	})
}

func TestEditAttrs(t *testing.T) {
	got := string(editAttrs([]byte(`<a href="a.html#x" data-id="keep" title="id=&#34;no&#34;"><h2 id="x">`), func(name, v string) string { return name + "=" + v }))
	want := `<a href="href=a.html#x" data-id="keep" title="id=&#34;no&#34;"><h2 id="id=x">`
	if got != want {
		t.Errorf("editAttrs:\n got %s\nwant %s", got, want)
	}
}
