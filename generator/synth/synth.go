// Package synth generates valid governance packs of any size,
// deterministically, for benchmarks and tests: documents with numbered
// clauses, lists, tables, cross-references and code blocks, and governance
// data that grows with the pack and passes every check.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing/fstest"

	"govpack/generator/profile"
)

// sections are the site sections documents are spread over.
var sections = []string{"charter", "rights", "operations", "compliance", "specs", "annexes", "procedures", "guides"}

// words is the vocabulary of generated prose.
var words = strings.Fields(`member members alliance ledger node nodes consensus quorum threshold
body committee assembly decision decisions record records channel letter credit bill lading
invoice shipment carrier bank banks operator operators audit auditor report reports incident
security key keys certificate policy rule rules vote votes notice period days business written
procedure data class owner retention privacy personal hash hashes endorsement peer peers orderer
service level availability finality upgrade change window release risk register treatment
sanction suspension withdrawal admission accession contribution fee fees cost costs budget`)

// Pack returns a pack of n documents (at least 20: one per item of the
// alliance profile) as an in-memory file system.
func Pack(n int) fstest.MapFS {
	n = max(n, 20)
	g := &gen{r: rand.New(rand.NewPCG(1, uint64(n))), n: n, fs: fstest.MapFS{}}
	g.members = 5 + n/200
	g.terms = 10 + n/100
	g.rights = 10 + n/500
	g.committees = max(1, g.members/5)
	g.data()
	for i := 0; i < n; i++ {
		g.document(i)
	}
	g.file("govpack.toml", fmt.Sprintf("title = \"Synthetic Alliance (%d documents)\"\nconsortium = \"Synthetic Alliance\"\nversion = \"1.0.0\"\neffective = 2026-01-01\n", n))
	return g.fs
}

type gen struct {
	r                                  *rand.Rand
	n                                  int
	members, terms, rights, committees int
	fs                                 fstest.MapFS
	items                              []profile.Item
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
	for c := 0; c < g.committees; c++ {
		fmt.Fprintf(&b, "[[decision]]\nid = \"decide-%d\"\ntitle = \"Decision of committee %d\"\nbody = \"committee-%d\"\nquorum = 0.6\nthreshold = 0.6\nsource = %q\n\n", c, c, c, anchor(c%g.n))
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
		fmt.Fprintf(&b, "[[term]]\nid = \"term-%d\"\nname = \"Term %d\"\ndefinition = \"%s.\"\n\n", i, i, g.sentence(12))
	}
	g.file("data/glossary.toml", b.String())
}

func (g *gen) sentence(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[g.r.IntN(len(words))]
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// ref returns a reference to an entity or another document.
func (g *gen) ref(i int) string {
	switch g.r.IntN(6) {
	case 0:
		return fmt.Sprintf("[](member:%s)", member(g.r.IntN(g.members)))
	case 1:
		return fmt.Sprintf("[the committee](body:committee-%d)", g.r.IntN(g.committees))
	case 2:
		return fmt.Sprintf("[](term:term-%d)", g.r.IntN(g.terms))
	case 3:
		return fmt.Sprintf("[](right:right-%d)", g.r.IntN(g.rights))
	case 4:
		return fmt.Sprintf("[](decision:decide-%d)", g.r.IntN(g.committees))
	}
	j := g.r.IntN(g.n)
	return fmt.Sprintf("[clause %d.2](../%s#%d.2)", j%9+1, docPath(j), j%9+1)
}

var codeBlocks = []string{
	"```toml\n[node]\nid = \"orderer-1\"\nport = 7050\ntls = true\n```\n",
	"```go\nfunc (c *Contract) Transfer(ctx Context, id, to string) error {\n\tif id == \"\" {\n\t\treturn errors.New(\"no id\")\n\t}\n\treturn c.put(ctx, id, to)\n}\n```\n",
	"```yaml\nlisten: 0.0.0.0:8443\ntls:\n  client_auth: require\nlimits:\n  requests_per_minute: 600\n```\n",
	"```json\n{\n  \"record_id\": \"lc-2026-000481\",\n  \"status\": \"issued\",\n  \"amount\": { \"currency\": \"USD\", \"value\": \"1250000.00\" }\n}\n```\n",
}

// document writes document i: the first 20 cover the profile's items.
func (g *gen) document(i int) {
	var b strings.Builder
	fmt.Fprintf(&b, "+++\ntitle = \"Document %d\"\nweight = %d\n", i, i)
	if i < len(g.items) {
		fmt.Fprintf(&b, "covers = [%q]\n", g.items[i].ID)
	}
	b.WriteString("+++\n")
	article := i%9 + 1
	fmt.Fprintf(&b, "## Article %d — %s\n\n%s. %s.\n\n", article, g.sentence(3), g.sentence(14), g.sentence(10))
	for c := 1; c <= 3; c++ {
		fmt.Fprintf(&b, "### %d.%d %s\n\n", article, c, g.sentence(2))
		fmt.Fprintf(&b, "%s %s. %s, as %s sets out. %s.\n\n", g.sentence(12), g.ref(i), g.sentence(15), g.ref(i), g.sentence(9))
		if c == 2 {
			fmt.Fprintf(&b, "1. %s.\n2. %s %s.\n3. %s.\n\n", g.sentence(8), g.sentence(6), g.ref(i), g.sentence(7))
		}
	}
	fmt.Fprintf(&b, "| Measure | Target |\n|---|---|\n| %s | %d%% |\n| %s | %d days |\n\n", g.sentence(2), 90+g.r.IntN(10), g.sentence(2), 1+g.r.IntN(30))
	if i%3 == 0 {
		b.WriteString(codeBlocks[(i/3)%len(codeBlocks)])
	}
	g.file(docPath(i), b.String())
}
