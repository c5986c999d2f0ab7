// Package synth generates valid governance packs of any size,
// deterministically, for benchmarks and tests: documents of about 7.5 KB of
// Markdown with numbered clauses of prose, lists, tables, about five
// cross-references each (to other documents' clauses and to entities),
// fenced code blocks (toml, go, yaml, json) on a third of them, and
// governance data that grows with the pack and passes every check.
//
// The same documents can be written as a Hugo site (Hugo), so the two
// generators can be compared on identical Markdown.
package synth

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"

	"govpack/generator/profile"
)

// sections are the site sections documents are spread over.
var sections = []string{"charter", "rights", "operations", "compliance", "specs", "annexes", "procedures", "guides"}

// Pack returns a pack of n documents (at least 20: one per item of the
// alliance profile) as an in-memory file system.
func Pack(n int) fstest.MapFS { return pack(n, 8, true) }

// Small returns a pack of n short documents (two clauses, no code), for
// tests that need many pages rather than realistic ones.
func Small(n int) fstest.MapFS { return pack(n, 2, false) }

// pack generates n documents whose articles have clauses 1..clauses, which
// other documents cite.
func pack(n, clauses int, code bool) fstest.MapFS {
	n = max(n, 20)
	g := &gen{r: rand.New(rand.NewPCG(1, uint64(n))), n: n, clauses: clauses, withCode: code, fs: fstest.MapFS{}}
	g.members = 5 + n/200
	g.terms = 10 + n/50
	g.rights = 10 + n/200
	g.committees = max(1, g.members/5)
	g.decisions = max(g.committees, n/100)
	g.data()
	for i := 0; i < n; i++ {
		g.document(i)
	}
	g.file("govpack.toml", fmt.Sprintf("title = \"Synthetic Alliance (%d documents)\"\nconsortium = \"Synthetic Alliance\"\nversion = \"1.0.0\"\neffective = 2026-01-01\n", n))
	return g.fs
}

// Hugo returns the documents of Pack(n) as a Hugo site: the same Markdown
// under content/, a minimal layout, code highlighting with CSS classes on,
// and taxonomies, RSS and the sitemap off.
func Hugo(n int) fstest.MapFS {
	site := fstest.MapFS{}
	for name, f := range Pack(n) {
		if strings.HasSuffix(name, ".md") {
			site["content/"+name] = f
		}
	}
	add := func(name, data string) { site[name] = &fstest.MapFile{Data: []byte(data)} }
	add("hugo.toml", hugoConfig)
	page := `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main>%s</main></body></html>
`
	add("layouts/_default/single.html", fmt.Sprintf(page, "{{ .Content }}"))
	add("layouts/_default/list.html", fmt.Sprintf(page, "{{ .Content }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>"))
	return site
}

// HugoFull returns the site of Hugo(n) with layouts that make what a
// govpack site has beyond the documents, as far as Hugo's own features
// go: every page with a stylesheet, a header, the sections as navigation,
// breadcrumbs, a table of contents (as govpack writes it twice: inline and
// beside the text) and links to the previous and next page; a print page
// holding every document; and a search index of every page's text. It
// leaves out what Hugo has no feature for (backlinks, the governance
// pages, checks, the manifest), so it is still less than govpack does.
func HugoFull(n int) fstest.MapFS {
	site := Hugo(n)
	add := func(name, data string) { site[name] = &fstest.MapFile{Data: []byte(data)} }
	add("hugo.toml", hugoConfig+`[markup.tableOfContents]
startLevel = 2
endLevel = 3
[outputFormats.print]
mediaType = "text/html"
baseName = "print"
isHTML = true
[outputFormats.searchindex]
mediaType = "application/json"
baseName = "search"
isPlainText = true
[outputs]
home = ["HTML", "print", "searchindex"]
`)
	add("layouts/_default/baseof.html", `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title><link rel="stylesheet" href="/style.css"><link rel="stylesheet" href="/chroma.css"></head>
<body><header><a href="{{ "" | relURL }}">{{ .Site.Title }}</a></header>
<nav><ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body></html>
`)
	add("layouts/_default/single.html", `{{ define "main" }}<nav class="breadcrumbs"><a href="{{ "" | relURL }}">Home</a> › {{ with .Parent }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> › {{ end }}{{ .Title }}</nav>
<details class="toc-inline"><summary>On this page</summary>{{ .TableOfContents }}</details>
<article><h1>{{ .Title }}</h1>{{ .Content }}</article>
<nav class="prevnext">{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
<aside class="toc">{{ .TableOfContents }}</aside>{{ end }}
`)
	add("layouts/_default/list.html", `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
`)
	add("layouts/index.print.html", `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Site.Title }}</title><link rel="stylesheet" href="/style.css"><link rel="stylesheet" href="/chroma.css"></head>
<body><nav><ol>{{ range .Site.RegularPages }}<li><a href="#{{ .File.UniqueID }}">{{ .Title }}</a></li>{{ end }}</ol></nav>
{{ range .Site.RegularPages }}<section id="{{ .File.UniqueID }}"><h1>{{ .Title }}</h1>{{ .Content }}</section>
{{ end }}</body></html>
`)
	add("layouts/index.searchindex.json", `{{- $pages := slice -}}
{{- range .Site.RegularPages -}}{{- $pages = $pages | append (dict "url" .RelPermalink "title" .Title "text" .Plain) -}}{{- end -}}
{{- $pages | jsonify -}}
`)
	return site
}

// hugoConfig is the configuration both Hugo sites share: highlighting with
// CSS classes on; taxonomies, RSS and the sitemap off.
const hugoConfig = `baseURL = "http://example.org/"
title = "Synthetic Alliance"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
[markup.highlight]
noClasses = false
`

// Write writes the files of fsys under dir.
func Write(fsys fstest.MapFS, dir string) error {
	for name, f := range fsys {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

type gen struct {
	r                                             *rand.Rand
	n                                             int
	members, terms, rights, committees, decisions int
	clauses                                       int
	withCode                                      bool
	fs                                            fstest.MapFS
	items                                         []profile.Item
}

func (g *gen) file(name, data string) { g.fs[name] = &fstest.MapFile{Data: []byte(data)} }

func member(i int) string { return fmt.Sprintf("member-%03d", i) }

// anchor is the first clause of document i, which TOML sources cite.
func anchor(i int) string { return fmt.Sprintf("%s#%d.1", docPath(i), i%9+1) }

func docPath(i int) string {
	return fmt.Sprintf("%s/doc-%05d.md", sections[i%len(sections)], i)
}

// data writes the governance data, scaled with the pack.
func (g *gen) data() {
	prof, _ := profile.Builtin("alliance")
	g.items = prof.Items
	var b strings.Builder
	for i := 0; i < g.members; i++ {
		kind := "ordinary"
		if i < 3 {
			kind = "founding"
		}
		fmt.Fprintf(&b, "[[member]]\nid = %q\nname = \"Member %d\"\nkind = %q\njurisdiction = \"Jurisdiction %d\"\njoined = 2025-01-%02d\n\n", member(i), i, kind, i%30, i%28+1)
	}
	g.file("data/members.toml", b.String())

	b.Reset()
	b.WriteString("[[body]]\nid = \"assembly\"\nname = \"General Assembly\"\nmembers = \"all\"\nchair = \"member-000\"\nestablished_by = \"charter/doc-00000.md#article-1\"\n\n")
	for c := 0; c < g.committees; c++ {
		var seats []string
		for k := 0; k < 5; k++ {
			seats = append(seats, fmt.Sprintf("%q", member((c*5+k)%g.members)))
		}
		fmt.Fprintf(&b, "[[body]]\nid = \"committee-%d\"\nname = \"Committee %d\"\nmembers = [%s]\npurpose = \"Committee number %d\"\n\n", c, c, strings.Join(seats, ", "), c)
	}
	fmt.Fprintf(&b, "[[decision]]\nid = \"amend\"\ntitle = \"Amend the charter\"\nbody = \"assembly\"\nquorum = 0.75\nthreshold = 0.75\nbasis = \"all\"\nsource = %q\n\n", anchor(0))
	for d := 0; d < g.decisions; d++ {
		c := d % g.committees
		fmt.Fprintf(&b, "[[decision]]\nid = \"decide-%d\"\ntitle = \"Decision %d of committee %d\"\nbody = \"committee-%d\"\nquorum = 0.6\nthreshold = 0.6\nsource = %q\n\n", d, d, c, c, anchor(d%g.n))
	}
	g.file("data/bodies.toml", b.String())

	b.Reset()
	for i := 0; i < g.rights; i++ {
		fmt.Fprintf(&b, "[[right]]\nid = \"right-%d\"\ntitle = \"Right number %d\"\nholders = [\"kind:ordinary\", \"member:member-000\"]\nsource = %q\n\n", i, i, anchor(i%g.n))
	}
	for i, it := range g.items {
		fmt.Fprintf(&b, "[[responsibility]]\nid = \"resp-%s\"\ntitle = \"Answer for %s\"\nholders = [\"body:assembly\"]\nitem = %q\nsource = %q\n\n", it.ID, it.Title, it.ID, anchor(i))
	}
	g.file("data/rights.toml", b.String())

	b.Reset()
	b.WriteString("[consensus]\nalgorithm = \"raft\"\n\n")
	for i := 0; i < g.members; i++ {
		fmt.Fprintf(&b, "[[node]]\nid = \"orderer-%d\"\noperator = %q\ntype = \"orderer\"\nregion = \"region-%d\"\n\n", i, member(i), i%6)
		for k := 0; k < 2; k++ {
			fmt.Fprintf(&b, "[[node]]\nid = \"peer-%d-%d\"\noperator = %q\ntype = \"peer\"\nregion = \"region-%d\"\n\n", i, k, member(i), i%6)
		}
	}
	fmt.Fprintf(&b, "[[data_class]]\nid = \"trade-record\"\nname = \"Trade record\"\nclassification = \"confidential\"\non_chain = \"hash\"\nowner = \"member-000\"\n\n")
	g.file("data/nodes.toml", b.String())

	b.Reset()
	for i := 0; i < g.terms; i++ {
		fmt.Fprintf(&b, "[[term]]\nid = \"term-%d\"\nname = \"Term %d\"\ndefinition = %q\n\n", i, i, g.sentence())
	}
	g.file("data/glossary.toml", b.String())
}

// The parts of a sentence of governance prose.
var (
	subjects = []string{"Each member", "The operator", "The General Assembly", "The committee", "An auditor", "The secretariat", "A founding member", "The node operator", "Every participant", "The chair", "A member bank", "The issuing bank", "The carrier", "The compliance officer"}
	modals   = []string{"shall", "may", "must", "shall not", "should", "may not"}
	verbs    = []string{"notify", "record", "approve", "publish", "retain", "review", "suspend", "audit", "report", "ratify", "rotate", "maintain", "endorse", "disclose", "archive", "verify", "reconcile", "escalate"}
	objects  = []string{"the ledger records", "every incident report", "the decision register", "the key material", "the annual budget", "the node certificates", "its contribution", "the data classification", "the service level report", "personal data", "the letter of credit", "each bill of lading", "the risk register", "the channel configuration", "the endorsement policy", "the upgrade schedule", "a written notice", "the membership fees"}
	tails    = []string{"within thirty business days", "before the next ordinary assembly", "in writing", "with the consent of the committee", "unless the assembly decides otherwise", "at least once a year", "as the operating rules set out", "on the ledger", "without undue delay", "after an independent review", "for the retention period of the data class", "where the law of its jurisdiction requires it", "during the maintenance window", "before any change reaches production"}
	nouns    = []string{"Quorum", "Notice", "Records", "Admission", "Withdrawal", "Fees", "Audit", "Keys", "Incidents", "Privacy", "Retention", "Endorsement", "Upgrades", "Disputes", "Liability", "Reporting", "Sanctions", "Budget", "Voting", "Channels"}
)

func (g *gen) pick(from []string) string { return from[g.r.IntN(len(from))] }

// sentence returns one sentence of about 90 bytes.
func (g *gen) sentence() string {
	return fmt.Sprintf("%s %s %s %s %s.", g.pick(subjects), g.pick(modals), g.pick(verbs), g.pick(objects), g.pick(tails))
}

// paragraph returns k sentences; refs of them end with a reference.
func (g *gen) paragraph(k, refs int) string {
	var b strings.Builder
	for s := 0; s < k; s++ {
		if s > 0 {
			b.WriteByte(' ')
		}
		sent := g.sentence()
		if s < refs {
			sent = fmt.Sprintf("%s (see %s).", sent[:len(sent)-1], g.ref())
		}
		b.WriteString(sent)
	}
	return b.String()
}

// ref returns a reference to an entity or a clause of another document.
func (g *gen) ref() string {
	switch g.r.IntN(7) {
	case 0:
		return fmt.Sprintf("[](member:%s)", member(g.r.IntN(g.members)))
	case 1:
		return fmt.Sprintf("[the committee](body:committee-%d)", g.r.IntN(g.committees))
	case 2:
		return fmt.Sprintf("[](term:term-%d)", g.r.IntN(g.terms))
	case 3:
		return fmt.Sprintf("[](right:right-%d)", g.r.IntN(g.rights))
	case 4:
		return fmt.Sprintf("[](decision:decide-%d)", g.r.IntN(g.decisions))
	}
	j, c := g.r.IntN(g.n), 1+g.r.IntN(g.clauses)
	return fmt.Sprintf("[clause %d.%d](../%s#%d.%d)", j%9+1, c, docPath(j), j%9+1, c)
}

// document writes document i: the first 20 cover the profile's items. Its
// article has numbered clauses of prose, one with a numbered list, one
// with a bulleted list, a table, five references spread over the clauses,
// and on every third document code blocks.
func (g *gen) document(i int) {
	var b strings.Builder
	fmt.Fprintf(&b, "+++\ntitle = \"Document %d\"\nweight = %d\n", i, i)
	if i < len(g.items) {
		fmt.Fprintf(&b, "covers = [%q]\n", g.items[i].ID)
	}
	b.WriteString("+++\n")
	article := i%9 + 1
	fmt.Fprintf(&b, "## Article %d — %s and %s\n\n%s\n\n", article, g.pick(nouns), strings.ToLower(g.pick(nouns)), g.paragraph(5, 0))
	refsIn := map[int]int{}
	for k := 0; k < 5; k++ {
		refsIn[1+g.r.IntN(g.clauses)]++
	}
	for c := 1; c <= g.clauses; c++ {
		fmt.Fprintf(&b, "### %d.%d %s\n\n%s\n\n%s\n\n", article, c, g.pick(nouns), g.paragraph(4, refsIn[c]), g.paragraph(3, 0))
		switch c {
		case 2:
			for k := 1; k <= 4; k++ {
				fmt.Fprintf(&b, "%d. %s\n", k, g.sentence())
			}
			b.WriteByte('\n')
		case 5:
			for k := 0; k < 3; k++ {
				fmt.Fprintf(&b, "- %s\n", g.sentence())
			}
			b.WriteByte('\n')
		case 6:
			b.WriteString("| Measure | Owner | Target |\n|---|---|---|\n")
			for k := 0; k < 5; k++ {
				fmt.Fprintf(&b, "| %s of %s | %s | %d days |\n", g.pick(nouns), strings.ToLower(g.pick(nouns)), g.pick(subjects), 1+g.r.IntN(90))
			}
			b.WriteByte('\n')
		}
		if g.withCode && i%3 == 0 && (c == 3 || c == 7) {
			g.code(&b, (i/3+c)%4)
		}
	}
	g.file(docPath(i), b.String())
}

// code writes a fenced code block of about 1.5 to 2.5 KB in one of four
// languages, as specifications quote configuration, chaincode and records.
// No two blocks are alike, as in real packs: a generator that repeated
// blocks would flatter any highlighter that remembers what it did.
func (g *gen) code(b *strings.Builder, lang int) {
	k := 8 + g.r.IntN(8)
	switch lang {
	case 0:
		b.WriteString("```toml\n# Nodes of one operator, as deployed.\n")
		for n := 0; n < k; n++ {
			fmt.Fprintf(b, "[[node]]\nid = \"peer-%d\"\nhost = \"peer%d.member-%03d.example\"\nport = %d\ntls = %t\nregion = \"region-%d\"\n\n", n, n, g.r.IntN(100), 7050+n, n%2 == 0, n%6)
		}
	case 1:
		b.WriteString("```go\n")
		for n := 0; n < k/2; n++ {
			v := g.r.IntN(10000)
			fmt.Fprintf(b, "// Transfer%d moves record id to the member to, after checking its owner.\nfunc (c *Contract) Transfer%d(ctx Context, id, to string) error {\n\trec, err := c.get(ctx, id)\n\tif err != nil {\n\t\treturn fmt.Errorf(\"record %%s: %%w\", id, err)\n\t}\n\tif rec.Owner != ctx.Member() {\n\t\treturn errors.New(\"only the owner may transfer a record\")\n\t}\n\trec.Owner, rec.Version = to, rec.Version+%d\n\treturn c.put(ctx, id, rec)\n}\n\n", v, v, n+1)
		}
	case 2:
		b.WriteString("```yaml\n# Gateway of the external access service.\nroutes:\n")
		for n := 0; n < k; n++ {
			fmt.Fprintf(b, "  - path: /api/v1/records/%d\n    methods: [GET, POST]\n    tls:\n      client_auth: require\n    limits:\n      requests_per_minute: %d\n", g.r.IntN(100000), 60*(n+1))
		}
	default:
		b.WriteString("```json\n[\n")
		for n := 0; n < k; n++ {
			sep := ","
			if n == k-1 {
				sep = ""
			}
			fmt.Fprintf(b, "  {\n    \"record_id\": \"lc-2026-%06d\",\n    \"status\": \"issued\",\n    \"amount\": { \"currency\": \"USD\", \"value\": \"%d.00\" },\n    \"parties\": [\"member-%03d\", \"member-%03d\"]\n  }%s\n", g.r.IntN(1000000), 1000+g.r.IntN(9000000), g.r.IntN(100), g.r.IntN(100), sep)
		}
		b.WriteString("]\n")
	}
	b.WriteString("```\n\n")
}
