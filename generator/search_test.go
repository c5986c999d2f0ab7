package generator_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"govpack/generator"
)

// siteSearch is a site's search index decoded as search.js decodes it.
type siteSearch struct {
	entries  []searchResult
	words    []string
	postings []string
	texts    []string // by entry
}

type searchResult struct{ URL, Label, Title string }

// readSearch decodes search/index.js and the text shards of a built site.
func readSearch(t *testing.T, out generator.Output) *siteSearch {
	t.Helper()
	var index struct {
		Pages    [][]string
		Words    string
		Postings string
		Shard    int
	}
	callArgs(t, out, "search/index.js", "govpackSearch.index", &index)
	s := &siteSearch{words: strings.Split(index.Words, " "), postings: strings.Split(index.Postings, " ")}
	for _, p := range index.Pages {
		for i := 2; i < len(p); i += 2 {
			url := p[0]
			if p[i] != "" {
				url += "#" + p[i]
			}
			s.entries = append(s.entries, searchResult{URL: url, Label: p[1], Title: p[i+1]})
		}
	}
	if len(s.words) != len(s.postings) {
		t.Fatalf("%d words but %d posting lists", len(s.words), len(s.postings))
	}
	for n := 0; n*index.Shard < len(s.entries); n++ {
		var shard []json.RawMessage
		callArgs(t, out, fmt.Sprintf("search/text-%d.js", n), "govpackSearch.text", &shard)
		var texts []string
		if len(shard) != 2 || string(shard[0]) != fmt.Sprint(n) || json.Unmarshal(shard[1], &texts) != nil {
			t.Fatalf("search/text-%d.js: want govpackSearch.text(%d, [texts])", n, n)
		}
		if want := min(index.Shard, len(s.entries)-n*index.Shard); len(texts) != want {
			t.Fatalf("search/text-%d.js holds %d texts, want %d", n, len(texts), want)
		}
		s.texts = append(s.texts, texts...)
	}
	return s
}

// callArgs decodes the JSON arguments of a script that is one call of fn.
func callArgs(t *testing.T, out generator.Output, file, fn string, v any) {
	t.Helper()
	src, ok := out[file]
	if !ok {
		t.Fatalf("no %s in the site", file)
	}
	args, ok := strings.CutPrefix(string(src), fn+"(")
	args, ok2 := strings.CutSuffix(args, ");\n")
	if !ok || !ok2 {
		t.Fatalf("%s is not one call of %s", file, fn)
	}
	if strings.HasPrefix(args, "{") {
		if err := json.Unmarshal([]byte(args), v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		return
	}
	if err := json.Unmarshal([]byte("["+args+"]"), v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

const postingDigits = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~!*"

func (s *siteSearch) list(w int) []int {
	var out []int
	v, prev := 0, -1
	for _, c := range s.postings[w] {
		d := strings.IndexRune(postingDigits, c)
		v = v*32 + d&31
		if d < 32 {
			prev += v
			out = append(out, prev)
			v = 0
		}
	}
	return out
}

var wordRE = regexp.MustCompile(`[\p{L}\p{N}]+`)

// find returns the entries whose words start with every word of the query,
// by the rule search.js applies, in entry order.
func (s *siteSearch) find(query string) []int {
	var found []int
	for i, tok := range wordRE.FindAllString(strings.ToLower(query), -1) {
		var hits []int
		for w, word := range s.words {
			if strings.HasPrefix(word, tok) {
				hits = append(hits, s.list(w)...)
			}
		}
		slices.Sort(hits)
		hits = slices.Compact(hits)
		if i > 0 {
			hits = slices.DeleteFunc(hits, func(e int) bool { _, ok := slices.BinarySearch(found, e); return !ok })
		}
		found = hits
	}
	return found
}

func (s *siteSearch) urls(entries []int) []string {
	var out []string
	for _, e := range entries {
		out = append(out, s.entries[e].URL)
	}
	return out
}

// Every result of the sample's index lands on a page and an anchor that
// exist; clauses, entities and generated pages all have entries; every
// word of an entry's text finds the entry; and a word of one clause's
// body finds that clause alone.
func TestSampleSearchIndex(t *testing.T) {
	out := buildSample(t).Output
	s := readSearch(t, out)

	kinds := map[string]int{}
	for i, e := range s.entries {
		page, anchor, _ := strings.Cut(e.URL, "#")
		html, ok := out[page]
		if !ok {
			t.Errorf("entry %q leads to %s, which the site lacks", e.Title, page)
			continue
		}
		if anchor != "" && !strings.Contains(string(html), ` id="`+anchor+`"`) {
			t.Errorf("entry %q leads to %s, which has no id %q", e.Title, page, anchor)
		}
		kind, _, _ := strings.Cut(page, "/")
		if strings.HasPrefix(page, "governance/") {
			kind = e.Label
		}
		kinds[kind]++
		if strings.HasSuffix(s.texts[i], " …") {
			continue // cut for snippets; its words are indexed in full
		}
		for _, w := range wordRE.FindAllString(strings.ToLower(e.Title+" "+s.texts[i]), -1) {
			if !slices.Contains(s.find(w), i) {
				t.Errorf("%q does not find entry %s, whose text holds it", w, e.URL)
			}
		}
	}
	for _, kind := range []string{"charter", "rights", "specs", "Member", "Body", "Roles", "Rights and responsibilities", "Decision rules", "Node plan", "Data classes", "Glossary"} {
		if kinds[kind] < 2 {
			t.Errorf("%d entries for %s, want one per clause or entity", kinds[kind], kind)
		}
	}

	// "quorate" occurs in the body of clause 5.1 only.
	if got, want := s.urls(s.find("quorate")), []string{"charter/05-decision-making.html#5.1"}; !slices.Equal(got, want) {
		t.Errorf("quorate finds %q, want %q", got, want)
	}
	// Every word of a query must match; the last may be a prefix.
	if got := s.urls(s.find("quorate meet")); !slices.Equal(got, []string{"charter/05-decision-making.html#5.1"}) {
		t.Errorf("quorate meet finds %q", got)
	}
	if got := s.find("quorate glossary"); len(got) != 0 {
		t.Errorf("quorate glossary finds %q, want nothing", s.urls(got))
	}
	if got := s.urls(s.find("MLETR")); !slices.Contains(got, "governance/glossary.html#mletr") {
		t.Errorf("MLETR finds %q, not the glossary entry", got)
	}
}
