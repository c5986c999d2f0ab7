package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"govpack/generator/escape"
)

// The search index lets a reader search the whole pack offline: no server
// and no fetch, which browsers block for file:// pages. The index is a
// script that hands its data to themes/default/assets/search.js, loaded on
// first use:
//
//	search/index.js    govpackSearch.index({pages, words, postings, shard})
//	search/text-N.js   govpackSearch.text(N, [section text, …])
//
// An entry is a place a result lands on: a heading section (clause) of a
// document, an entity, or a generated page. index.js holds what finding
// and listing results needs — the sorted vocabulary and, per word, the
// entries holding it — so it stays small; the section texts that snippets
// are cut from live in shards of searchShard entries, loaded only for the
// results shown.
const (
	searchIndexFile = "search/index.js"
	// searchShard is the number of entries per text shard: a results
	// list loads a few shards, not the whole text of a large site.
	searchShard = 100
	// searchTextMax bounds the text kept for snippets per entry; every
	// word of the section is indexed regardless.
	searchTextMax = 1500
)

// searchTextFile is the shard holding the text of entries
// [n*searchShard, (n+1)*searchShard).
func searchTextFile(n int) string { return fmt.Sprintf("search/text-%d.js", n) }

// searchPage is a page results land on, and the label results show for it.
type searchPage struct {
	URL, Label string
}

// searchEntry is one place a search can land on.
type searchEntry struct {
	page   int    // index into the pages
	anchor string // heading or entity id; "" for the top of the page
	title  string // the heading or entity name, shown as the result
	text   string // the body: its words are indexed, its start kept for snippets
	extra  string // words indexed but not shown, such as the page title
	// spilled, when set, is where text is (see bodySpill).
	spilled *spilledBody
}

// searchIndex is the index of a site before encoding.
type searchIndex struct {
	pages   []searchPage
	entries []searchEntry
	spill   *bodySpill // holding the entries' spilled texts
}

// spilledRun returns the part of the spill that holds the texts of
// entries i, i+1, … (before end) one after another, up to about a
// megabyte: a document's texts were written together, and are read back
// in one go.
func (idx *searchIndex) spilledRun(i, end int) spilledBody {
	run := *idx.entries[i].spilled
	for j := i + 1; j < end && run.n < 1<<20; j++ {
		b := idx.entries[j].spilled
		if b == nil || b.at != run.at+int64(run.n) {
			break
		}
		run.n += b.n
	}
	return run
}

// entryTexts gives the texts of consecutive entries, reading spilled ones
// back a run at a time (see spilledRun) with read.
type entryTexts struct {
	idx  *searchIndex
	end  int // entries from end on are not read ahead
	read func(spilledBody) (string, error)
	run  spilledBody // the run last read, whose text is text
	text string
}

// at returns the text of entry i.
func (t *entryTexts) at(i int) (string, error) {
	e := &t.idx.entries[i]
	if e.spilled == nil {
		return e.text, nil
	}
	if text, ok := within(t.run, t.text, *e.spilled); ok {
		return text, nil
	}
	t.run = t.idx.spilledRun(i, t.end)
	var err error
	if t.text, err = t.read(t.run); err != nil {
		return "", err
	}
	text, _ := within(t.run, t.text, *e.spilled)
	return text, nil
}

// within returns the text of b if it lies in run, whose text is text.
func within(run spilledBody, text string, b spilledBody) (string, bool) {
	off := b.at - run.at
	if off < 0 || off+int64(b.n) > int64(run.n) {
		return "", false
	}
	return text[off : off+int64(b.n)], true
}

// addSearchIndex writes the search index of the pack into out.
func addSearchIndex(ctx context.Context, out Output, p *Pack, spill *bodySpill) error {
	idx := buildSearchIndex(p)
	idx.spill = spill
	files, err := idx.encode(ctx)
	if err != nil {
		return err
	}
	maps.Copy(out, files)
	return nil
}

// buildSearchIndex lists the entries of every document, entity and
// generated page, in a fixed order: documents by path, then entities by
// kind in source order.
func buildSearchIndex(p *Pack) *searchIndex {
	idx := &searchIndex{}
	perDoc := make([][]searchEntry, len(p.Docs))
	parallel(len(p.Docs), func(i int) {
		// A document a Builder did not parse again keeps its entries.
		d := p.Docs[i]
		if d.searchEntries == nil {
			d.searchEntries = documentEntries(d)
		}
		perDoc[i] = d.searchEntries
	})
	data := &p.Data
	size := len(governancePages) + len(data.Members) + len(data.Bodies) + len(data.Roles) + len(data.Rights) +
		len(data.Responsibilities) + len(data.Decisions) + len(data.Nodes) + len(data.DataClasses) + len(data.Terms)
	for _, entries := range perDoc {
		size += len(entries)
	}
	idx.entries = make([]searchEntry, 0, size)
	for i, d := range p.Docs {
		page := idx.page(d.URL, d.Title)
		for _, e := range perDoc[i] {
			e.page = page
			idx.entries = append(idx.entries, e)
		}
	}
	for _, g := range governancePages {
		idx.add(g.URL, g.Title, searchEntry{title: g.Title})
	}
	for _, m := range data.Members {
		idx.add(entityURL("member", m.ID), "Member", searchEntry{title: m.Name,
			text: joinText(m.Kind+" member", m.Jurisdiction, m.Description), extra: m.ID})
	}
	for _, b := range data.Bodies {
		idx.add(entityURL("body", b.ID), "Body", searchEntry{title: b.Name, text: joinText(b.Purpose), extra: b.ID})
	}
	for _, r := range data.Roles {
		idx.addEntity("role", r.ID, searchEntry{title: r.Name, text: r.Description})
	}
	for _, r := range data.Rights {
		idx.addEntity("right", r.ID, searchEntry{title: r.Title, text: r.Description})
	}
	for _, r := range data.Responsibilities {
		idx.addEntity("responsibility", r.ID, searchEntry{title: r.Title, text: joinText(r.Description), extra: r.Item})
	}
	for _, dc := range data.Decisions {
		idx.addEntity("decision", dc.ID, searchEntry{title: dc.Title, text: dc.Description, extra: dc.Body})
	}
	for _, n := range data.Nodes {
		idx.addEntity("node", n.ID, searchEntry{title: n.ID,
			text: joinText(n.Type+" operated by "+n.Operator, n.Region, n.Description)})
	}
	for _, dc := range data.DataClasses {
		idx.addEntity("data", dc.ID, searchEntry{title: dc.Name,
			text: joinText(dc.Classification, "on chain: "+dc.OnChain, dc.Retention, dc.LegalBasis, dc.Description)})
	}
	for _, t := range data.Terms {
		idx.addEntity("term", t.ID, searchEntry{title: t.Name, text: t.Definition, extra: strings.Join(t.Aliases, " ")})
	}
	return idx
}

// page returns the index of the page at url, adding it when new.
func (idx *searchIndex) page(url, label string) int {
	if n := len(idx.pages); n > 0 && idx.pages[n-1].URL == url {
		return n - 1
	}
	idx.pages = append(idx.pages, searchPage{URL: url, Label: label})
	return len(idx.pages) - 1
}

// add adds an entry at url, which may carry an anchor.
func (idx *searchIndex) add(url, label string, e searchEntry) {
	page, anchor, _ := strings.Cut(url, "#")
	e.page = idx.page(page, label)
	e.anchor = anchor
	idx.entries = append(idx.entries, e)
}

// addEntity adds an entity that lives at an anchor of a generated page,
// labelled with that page's title.
func (idx *searchIndex) addEntity(kind, id string, e searchEntry) {
	url := entityURL(kind, id)
	page, _, _ := strings.Cut(url, "#")
	label := kind
	for _, g := range governancePages {
		if g.URL == page {
			label = g.Title
		}
	}
	idx.add(url, label, e)
}

func joinText(parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), ". ")
}

// documentEntries lists a document's clauses. The text before the first
// heading lands on the top of the page, under the document title, and is
// left out when empty. The document title is indexed with the first entry
// only, so that its words do not weigh on every clause.
func documentEntries(d *Document) []searchEntry {
	// The text before the first heading is an entry titled after the
	// document, left out when it is empty and headings follow.
	var entries []searchEntry
	var lead *searchEntry
	eachClause(d, new(bytes.Buffer), func(c clause) {
		e := searchEntry{anchor: c.id, title: c.title, text: collapseSpace(c.text)} // text of its own
		switch {
		case lead == nil:
			e.title = d.Title
			lead = &e
			return
		case len(entries) == 0 && lead.text != "":
			entries = append(entries, *lead)
		}
		entries = append(entries, e)
	})
	if len(entries) == 0 {
		entries = append(entries, *lead)
	}
	entries[0].extra = d.Title
	return entries
}

// collapseSpace returns text with its runs of white space made one space
// and none at either end: strings.Join(strings.Fields(text), " ") without
// the slice of every word.
func collapseSpace(text string) string {
	out := make([]byte, 0, len(text))
	pending := false // white space since the last word
	for i := 0; i < len(text); {
		// Bytes that are neither ASCII white space nor part of a longer
		// character, and single spaces between them, are copied a run
		// at a time: most of any text.
		j := i
		for j < len(text) {
			if j+8 <= len(text) && plainWord(load64(text, j), j == i) {
				j += 8
				continue
			}
			if !spaceOrMultibyte[text[j]] {
				j++
			} else if text[j] == ' ' && j > i && j+1 < len(text) && !spaceOrMultibyte[text[j+1]] {
				j += 2
			} else {
				break
			}
		}
		if j > i {
			if pending && len(out) > 0 {
				out = append(out, ' ')
			}
			pending = false
			out = append(out, text[i:j]...)
			i = j
			continue
		}
		if text[i] < utf8.RuneSelf {
			pending = true
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			pending = true
		} else {
			if pending && len(out) > 0 {
				out = append(out, ' ')
			}
			pending = false
			out = append(out, text[i:i+size]...)
		}
		i += size
	}
	if len(out) == 0 {
		return ""
	}
	return unsafe.String(&out[0], len(out)) // out is not used again
}

// plainWord reports whether the eight bytes of w are ASCII from '!' on
// and single spaces between them: bytes collapseSpace copies as they are.
// A space may not end w, where the next byte may be a space too, nor
// start a run.
func plainWord(w uint64, startsRun bool) bool {
	const ones, highs, lows = 0x0101010101010101, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f
	spaces := w ^ (ones * ' ')
	spaces = ^((spaces&lows + lows) | spaces) & highs // the high bit of each space byte
	below := w | spaces>>7                            // spaces as '!', for the test below
	if (below-ones*'!')&^below&highs|w&highs != 0 || spaces&(spaces<<8) != 0 || spaces>>56 != 0 {
		return false // a byte below '!' but a space, past ASCII, or two spaces in a row
	}
	return !startsRun || spaces&0x80 == 0
}

// load64 returns the eight bytes of s at i, little-endian.
func load64(s string, i int) uint64 {
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// spaceOrMultibyte marks the bytes collapseSpace looks at one by one.
var spaceOrMultibyte = func() (t [256]bool) {
	for c := range t {
		t[c] = c == ' ' || '\t' <= c && c <= '\r' || c >= utf8.RuneSelf
	}
	return t
}()

// appendWords appends the words of text that search matches: runs of
// letters and digits, lower-cased. search.js splits queries by the same
// rule (/[\p{L}\p{N}]+/gu and toLowerCase).
func appendWords(words []string, text string) []string {
	// Words are lower-cased one by one, and only those with a character
	// lower-casing changes: most are lower-case already, and a copy of the
	// whole text would be most of the work.
	start, changes := -1, false // the word being read, and whether lower-casing changes it
	for i := 0; i < len(text); {
		// Runs of separators, and of lower-case letters and digits within a
		// word, are passed over a byte at a time.
		skip := byteSeparates
		if start >= 0 {
			skip = byteInWord
		}
		for i < len(text) && wordClass[text[i]] == skip {
			i++
		}
		if i == len(text) {
			break
		}
		inWord, changed, size := false, false, 1
		if class := wordClass[text[i]]; class != byteStartsRune {
			inWord, changed = class != byteSeparates, class == byteInWordUpper
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			lower := unicode.ToLower(r) // as strings.ToLower maps each character
			inWord, changed = unicode.IsLetter(lower) || unicode.IsNumber(lower), lower != r
		}
		switch {
		case inWord && start < 0:
			start, changes = i, changed
		case inWord:
			changes = changes || changed
		case start >= 0:
			words = appendWord(words, text[start:i], changes)
			start = -1
		}
		i += size
	}
	if start >= 0 {
		words = appendWord(words, text[start:], changes)
	}
	return words
}

// wordClass classes bytes for appendWords.
var wordClass = func() (class [256]byte) {
	for b := range class {
		switch {
		case b >= utf8.RuneSelf:
			class[b] = byteStartsRune
		case 'A' <= b && b <= 'Z':
			class[b] = byteInWordUpper
		case asciiWordByte(byte(b)):
			class[b] = byteInWord
		}
	}
	return class
}()

const (
	byteSeparates   byte = iota // an ASCII character that is no letter or digit
	byteInWord                  // an ASCII letter or digit lower-casing keeps
	byteInWordUpper             // an ASCII upper-case letter
	byteStartsRune              // part of a character of more than one byte
)

func appendWord(words []string, w string, changes bool) []string {
	if changes {
		w = strings.ToLower(w)
	}
	return append(words, w)
}

// encode returns the index files: the vocabulary with postings in
// search/index.js and the texts in shards.
func (idx *searchIndex) encode(ctx context.Context) (Output, error) {
	// Postings: for each word, the ascending entries holding it. Each
	// core indexes a run of consecutive entries into a table of its own,
	// and the runs' lists are joined word by word in order; one table
	// filled entry by entry from every core's words would be the index's
	// time.
	runs := min(len(idx.entries), 4*runtime.GOMAXPROCS(0))
	perRun := make([]postingRun, runs)
	errs := make([]error, runs)
	parallel(runs, func(r int) {
		perRun[r], errs[r] = idx.postings(ctx, r*len(idx.entries)/runs, (r+1)*len(idx.entries)/runs)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	words, lists := joinPostings(perRun)
	pages := idx.pageEntries()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The index is encoded while the text shards are: alone, it would
	// leave all cores but one idle.
	var index []byte
	arenas := sync.Pool{New: func() any { return new([]byte) }}
	shards := make([][]byte, (len(idx.entries)+searchShard-1)/searchShard)
	errs = make([]error, len(shards)) // a shard's texts read back
	parallel(len(shards)+1, func(n int) {
		if n == 0 {
			index = indexScript(pages, strings.Join(words, " "), lists)
			return
		}
		arena := arenas.Get().(*[]byte)
		defer arenas.Put(arena)
		shards[n-1], errs[n-1] = idx.textShard(n-1, arena)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := Output{searchIndexFile: index}
	for n, shard := range shards {
		out[searchTextFile(n)] = shard
	}
	return out, nil
}

// postings indexes the entries from first to end: each word they hold,
// with the ascending entries holding it.
func (idx *searchIndex) postings(ctx context.Context, first, end int) (postingRun, error) {
	run := postingRun{ids: map[string]int32{}}
	var recent [4096]struct {
		word string
		id   int32
	}
	var ws []string
	var scratch bytes.Buffer // a text's words are copied when kept
	texts := entryTexts{idx: idx, end: end, read: func(b spilledBody) (string, error) {
		return idx.spill.getInto(b, &scratch)
	}}
	for i := first; i < end; i++ {
		if ctx.Err() != nil {
			return run, nil // encode reports it
		}
		e := &idx.entries[i]
		text, err := texts.at(i)
		if err != nil {
			return run, err
		}
		ws = ws[:0]
		for _, s := range []string{e.title, text, e.extra} {
			ws = appendWords(ws, s)
		}
		for _, w := range ws {
			// Most words of a text are a few common ones: a table
			// by length and three letters finds them before the map.
			slot := &recent[(len(w)*961+int(w[0])*31+int(w[len(w)-1])+int(w[len(w)/2])*7)%len(recent)]
			id, ok := slot.id, slot.word == w
			if !ok {
				id, ok = run.ids[w]
			}
			if !ok {
				id = int32(len(run.words))
				w = strings.Clone(w) // not the whole text it was cut from
				run.ids[w] = id
				run.words = append(run.words, w)
				run.lists = append(run.lists, nil)
			}
			slot.word, slot.id = run.words[id], id
			if list := run.lists[id]; len(list) == 0 || list[len(list)-1] != int32(i) {
				run.lists[id] = append(list, int32(i)) // not again for a word seen in the entry
			}
		}
	}
	return run, nil
}

// joinPostings joins the runs' postings: every word, sorted, and the
// postings of each in the same order, its entries as deltas, written in
// chunks of words in parallel.
func joinPostings(perRun []postingRun) (words []string, lists string) {
	for _, run := range perRun {
		words = append(words, run.words...)
	}
	slices.Sort(words)
	words = slices.Compact(words)
	chunks := make([]strings.Builder, min(len(words), 16*runtime.GOMAXPROCS(0)))
	parallel(len(chunks), func(c int) {
		b := &chunks[c]
		for i := c * len(words) / len(chunks); i < (c+1)*len(words)/len(chunks); i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			prev := -1
			for _, run := range perRun {
				if id, ok := run.ids[words[i]]; ok {
					for _, e := range run.lists[id] {
						writeDelta(b, int(e)-prev)
						prev = int(e)
					}
				}
			}
		}
	})
	size := 0
	for c := range chunks {
		size += chunks[c].Len()
	}
	var all strings.Builder
	all.Grow(size)
	for c := range chunks {
		all.WriteString(chunks[c].String())
	}
	return words, all.String()
}

// pageEntries lists each page as [url, label, anchor, title, anchor,
// title, …]: its entries follow one another, numbered in order across
// pages.
func (idx *searchIndex) pageEntries() [][]string {
	pages := make([][]string, len(idx.pages))
	for i, pg := range idx.pages {
		pages[i] = []string{pg.URL, pg.Label}
	}
	for _, e := range idx.entries {
		pages[e.page] = append(pages[e.page], e.anchor, e.title)
	}
	return pages
}

// textShard is the script of text shard n: the texts of its entries.
// Spilled texts are read back into arena, an array a core uses for shard
// after shard: the shard's script is what is kept.
func (idx *searchIndex) textShard(n int, arena *[]byte) ([]byte, error) {
	first, end := n*searchShard, min(len(idx.entries), (n+1)*searchShard)
	room := 0
	for i := first; i < end; i++ {
		if b := idx.entries[i].spilled; b != nil {
			room += b.n
		}
	}
	*arena = slices.Grow((*arena)[:0], room)
	var texts []string
	entries := entryTexts{idx: idx, end: end, read: func(b spilledBody) (text string, err error) {
		*arena, text, err = idx.spill.appendTo(b, *arena)
		return text, err
	}}
	size := 64
	for i := first; i < end; i++ {
		text, err := entries.at(i)
		if err != nil {
			return nil, err
		}
		text = truncateText(text, searchTextMax)
		texts = append(texts, text)
		size += len(text) + len(text)/32 + 3 // quotes, comma, a few escapes
	}
	shard := append(make([]byte, 0, size), "govpackSearch.text("...)
	shard = append(strconv.AppendInt(shard, int64(n), 10), ',')
	return append(appendJSONStrings(shard, texts), ");\n"...), nil
}

// postingRun is the postings of a run of consecutive entries: each word
// with its ascending entries.
type postingRun struct {
	ids   map[string]int32 // index in words and lists
	words []string
	lists [][]int32
}

// postingDigits encode posting deltas five bits a character, most
// significant first: the first 32 end a number, the last 32 continue it.
// None needs escaping in a JavaScript string.
const postingDigits = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~!*"

func writeDelta(b *strings.Builder, v int) {
	var buf [8]byte
	i := len(buf) - 1
	buf[i] = postingDigits[v&31]
	for v >>= 5; v > 0; v >>= 5 {
		i--
		buf[i] = postingDigits[32+v&31]
	}
	b.Write(buf[i:])
}

// truncateText cuts text to at most max bytes at a word boundary.
func truncateText(text string, max int) string {
	if len(text) <= max {
		return text
	}
	cut := strings.LastIndexByte(text[:max], ' ')
	if cut <= 0 {
		cut = max
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
	}
	return text[:cut] + " …"
}

// indexScript returns search/index.js: the pages with their entries'
// anchors and titles, the words, their postings and the shard size.
func indexScript(pages [][]string, words, postings string) []byte {
	size := len(words) + len(postings) + 64
	for _, pg := range pages {
		for _, s := range pg {
			size += len(s) + 3
		}
	}
	b := append(make([]byte, 0, size+size/64), `govpackSearch.index({"pages":[`...)
	for i, pg := range pages {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONStrings(b, pg)
	}
	b = escape.AppendJSON(append(b, `],"postings":`...), postings)
	b = strconv.AppendInt(append(b, `,"shard":`...), searchShard, 10)
	b = escape.AppendJSON(append(b, `,"words":`...), words)
	return append(b, "});\n"...)
}

// appendJSONStrings appends list as a JSON array, null when nil.
func appendJSONStrings(b []byte, list []string) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = escape.AppendJSON(b, s)
	}
	return append(b, ']')
}

// isSearchFile reports whether the index writes a file at site path name.
func isSearchFile(name string) bool {
	n, ok := strings.CutPrefix(name, "search/text-")
	n, js := strings.CutSuffix(n, ".js")
	if !ok || !js || n == "" {
		return name == searchIndexFile
	}
	return strings.Trim(n, "0123456789") == ""
}
