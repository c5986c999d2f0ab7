package markdown

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestHeadingIDs(t *testing.T) {
	src := []byte(`# Title
## Article 7 — Decision-making
### 7.2 Quorum
### 7.2 Quorum
## Section 3: Scope
## § 4.1 Fees
## 1. Introduction
## Voting *procedure*
## Members' rights
## Explicit {#custom}
## custom
## 2026 budget
## ---

> ## Quoted 3.1

- ## Listed
`)
	doc := New(false).Parse(src)
	var b bytes.Buffer
	if err := New(false).Render(&b, src, doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<h1 id="title">`, `<h2 id="article-7">`, `<h3 id="7.2">`, `<h3 id="7.2-1">`,
		`<h2 id="section-3">`, `<h2 id="4.1">`, `<h2 id="1">`, `<h2 id="voting-procedure">`,
		`<h2 id="members-rights">`, `<h2 id="custom">Explicit <a class="anchor" href="#custom" aria-label="Link to this section">#</a></h2>`,
		`<h2 id="custom-1">custom <a class="anchor" href="#custom-1" aria-label="Link to this section">#</a></h2>`,
		`<h2 id="2026-budget">`, `<h2 id="quoted-3-1">`, `<h2 id="listed">`,
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %s in\n%s", want, b.String())
		}
	}
}

func TestRawHTMLIsEscaped(t *testing.T) {
	src := []byte("a <b>x</b>\n\n<div onclick=\"x()\">\n</div>\n")
	for _, c := range []struct {
		unsafe bool
		want   []string
		not    string
	}{
		{false, []string{"a &lt;b&gt;x&lt;/b&gt;", "&lt;div onclick=&quot;x()&quot;&gt;"}, "<div"},
		{true, []string{"a <b>x</b>", `<div onclick="x()">`}, "&lt;"},
	} {
		conv := New(c.unsafe)
		var b bytes.Buffer
		if err := conv.Render(&b, src, conv.Parse(src)); err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("unsafe=%v: missing %q in %s", c.unsafe, w, b.String())
			}
		}
		if strings.Contains(b.String(), c.not) {
			t.Errorf("unsafe=%v: found %q in %s", c.unsafe, c.not, b.String())
		}
	}
}

func TestHighlight(t *testing.T) {
	src := []byte("```go\nfunc main() {}\n```\n\n```nosuchlang\nplain <text>\n```\n")
	conv := New(false)
	doc := conv.Parse(src)
	if errs := conv.Highlight(doc, src); len(errs) > 0 {
		t.Fatal(errs)
	}
	var b bytes.Buffer
	if err := conv.Render(&b, src, doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<span class="kd">func</span>`, `<pre><code class="language-nosuchlang">plain &lt;text&gt;`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in %s", want, b.String())
		}
	}
}

func TestCSSIsScoped(t *testing.T) {
	var b bytes.Buffer
	if err := New(false).CSS(&b); err != nil {
		t.Fatal(err)
	}
	css := b.String()
	for _, want := range []string{":root[data-theme=light] .chroma .kd", ":root[data-theme=dark] .chroma .kd",
		"@media screen and (prefers-color-scheme: dark) {\n/* Background */ :root:not([data-theme]) .bg",
		"@media print, (prefers-color-scheme: light) {\n/* Background */ :root:not([data-theme]) .bg"} {
		if !strings.Contains(css, want) {
			t.Errorf("stylesheet lacks %q", want)
		}
	}
	// The light and dark styles never apply together: a token only the
	// light style colours would keep a light-theme colour on a dark page.
	if strings.Contains(css, "not([data-theme=dark])") || strings.Contains(css, "not([data-theme=light])") {
		t.Error("the light and dark styles overlap")
	}
	for _, line := range strings.Split(css, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), ".") {
			t.Errorf("unscoped rule %q", line)
		}
	}
}

// FuzzConvert feeds arbitrary Markdown through parse, highlight and render.
func FuzzConvert(f *testing.F) {
	f.Add([]byte("# T\n## 7.2 Q {#x}\n```go\nx\n```\n[a](member:b) <b>\n"))
	f.Add([]byte("| a |\n|---|\n| b |\n\nterm\n: def\n\n[^1]\n\n[^1]: note\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, unsafe := range []bool{false, true} {
			conv := New(unsafe)
			doc := conv.Parse(src)
			conv.Highlight(doc, src)
			var b bytes.Buffer
			if err := conv.Render(&b, src, doc); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// clausePattern is the clause number clauseID reads, as a regular
// expression: the reference it is held to.
var clausePattern = regexp.MustCompile(`(?i)^(?:(?:(article|section|clause|part|chapter|schedule|annex|appendix)\s+|(§)\s*)(\d+(?:\.\d+)*)\.?|(\d+(?:\.\d+)+)\.?|(\d+)\.)(?:$|[\s:—–-])`)

// clauseIDByPattern is clauseID by clausePattern.
func clauseIDByPattern(s string) (string, bool) {
	m := clausePattern.FindStringSubmatch(s)
	switch {
	case m == nil:
		return "", false
	case m[1] != "":
		return strings.ToLower(m[1]) + "-" + m[3], true
	case m[2] != "":
		return m[3], true
	case m[4] != "":
		return m[4], true
	}
	return m[5], true
}

var clauseCases = []string{
	"7.2 Quorum", "Article 7 — Decision-making", "ARTICLE 7", "article\t12: x", "§ 4.1 Fees", "§4.1", "§ x",
	"1. Introduction", "1.", "1", "2026 budget", "7.2", "7.2.", "7.2.x", "7..2", "7.2-a", "7.2–a", "7.2—a",
	"Articles 7", "Article7", "Article 7x", "Article 7.", "Article 7.2.3.", "Section 3: Scope", "Part\u00a03",
	"Schedule 2 ", "annex  10.1", "Appendix", "Chapter 1.2a", "ſection 3", "Clause 1.0.", "12.", "12.a",
	"", "§", "7.", "1.2.3 Title", "a. b", "Part 2:x",
}

func TestClauseID(t *testing.T) {
	for _, s := range clauseCases {
		got, gotOK := clauseID(s)
		want, wantOK := clauseIDByPattern(s)
		if got != want || gotOK != wantOK {
			t.Errorf("clauseID(%q) = %q, %v; want %q, %v", s, got, gotOK, want, wantOK)
		}
	}
}

func FuzzClauseID(f *testing.F) {
	for _, s := range clauseCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, gotOK := clauseID(s)
		want, wantOK := clauseIDByPattern(s)
		if got != want || gotOK != wantOK {
			t.Errorf("clauseID(%q) = %q, %v; want %q, %v", s, got, gotOK, want, wantOK)
		}
	})
}
