package generator

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Link is a titled link to a site path, as templates receive it.
type Link struct {
	Title string
	URL   string // site path from the root; templates make it relative with rel
	Note  string // a qualifier shown beside the link, such as "chair" or "via role Auditor"
}

// holding is a right or responsibility as seen from one member.
type holding struct {
	Link   Link
	Via    string // how the member holds it: "directly", "as role X", ...
	Source Link
}

// memberView is what a member's page shows: what it may do, must do, runs
// and can block.
type memberView struct {
	Member           *Member
	Bodies           []Link
	Roles            []Link
	Rights           []holding
	Responsibilities []holding
	Nodes            []Link
	Data             []Link
	Vetoes           []Link
	Decisions        []memberDecision // the rules of the bodies it sits on
	Backlinks        []backlink
	Ratification     RatificationStatus // of the current version
}

// memberDecision is a decision rule as seen from one member: can it pass
// or block the rule alone, and if not, how many others it needs.
type memberDecision struct {
	Decision decisionView
	Seat     bool // it sits on the deciding body
	Veto     bool // it holds a veto over the rule
	// PassWith and BlockWith are how many other members must join it to
	// pass or to block the rule when every member votes; 0 means alone.
	PassWith, BlockWith int
}

// bodyView is a body's page.
type bodyView struct {
	Body          *Body
	Members       []Link
	Chair         Link
	EstablishedBy Link
	Decisions     []Link
	Rights        []Link
	Backlinks     []backlink
}

// matrixRow is one right or responsibility of the matrix.
type matrixRow struct {
	Kind        string // "right" or "responsibility"
	Anchor      string
	Entity      *Right
	Holders     []Link
	Source      Link
	Cells       []matrixCell // one per member, in member order
	Backlinks   []backlink
	ItemTitle   string
	Description string
	// Pillar is the profile pillar the row belongs to, for filtering: a
	// responsibility's item's pillar, or for a right (which serves no
	// item) the pillar of the item its source document covers.
	Pillar string
}

// matrixCell says whether and how one member holds a row.
type matrixCell struct {
	Member string // the member's id
	Held   bool
	Via    string
}

// decisionView is one decision rule with its arithmetic.
type decisionView struct {
	Decision  *Decision
	Link      Link // the rule on the decision rules page
	Body      Link
	Seats     int  // members of the body
	Present   int  // members present at the minimum quorum
	VotesAll  int  // yes votes needed when every member votes
	VotesMin  int  // yes votes needed at the minimum quorum
	Block     int  // no votes (or absences, when basis is all) that stop it when all vote
	Alone     bool // one member's vote can pass it
	Veto      []Link
	Source    Link
	Backlinks []backlink
}

// nodeView is the node plan with its fault tolerance.
type nodeView struct {
	Consensus  *Consensus
	FaultModel string // "crash" or "byzantine"
	Nodes      []nodeRow
	Consensual int // nodes that take part in consensus
	Tolerated  int // consensus nodes that may fail (crash) or misbehave (byzantine)
	// MembersTolerated is how many members may fail at once, whichever
	// they are, before the chain halts.
	MembersTolerated int
	Operators        []operatorRow
}

type nodeRow struct {
	Node      *Node
	Operator  Link
	Backlinks []backlink
}

type operatorRow struct {
	ID      string // the member's id
	Member  Link
	Nodes   int  // consensus nodes operated
	Halt    bool // enough to halt the chain alone
	Control bool // enough to decide alone
}

// views computes the generated pages' data from the pack and its links.
type views struct {
	p      *Pack
	l      *Links
	prof   profileLookup
	member map[string]*Member
	body   map[string]*Body
	role   map[string]*Role
	// held holds the holders of every right and responsibility, made once
	// (see heldBy): every member's page and the matrix look them up.
	held     map[*Right]map[string]string
	heldOnce sync.Once
}

// profileLookup gives an item's title for display.
type profileLookup func(id string) string

func newViews(p *Pack, l *Links, prof profileLookup) *views {
	v := &views{p: p, l: l, prof: prof, member: map[string]*Member{}, body: map[string]*Body{}, role: map[string]*Role{}}
	for i := range p.Data.Members {
		v.member[p.Data.Members[i].ID] = &p.Data.Members[i]
	}
	for i := range p.Data.Bodies {
		v.body[p.Data.Bodies[i].ID] = &p.Data.Bodies[i]
	}
	for i := range p.Data.Roles {
		v.role[p.Data.Roles[i].ID] = &p.Data.Roles[i]
	}
	return v
}

// link returns the link of a reference key, or a plain title when it
// does not resolve (the build has already failed then).
func (v *views) link(ref string) Link {
	if ref == "" {
		return Link{}
	}
	key, t, problem := v.l.resolve(ref, "", "")
	if problem != "" || key == "" && t.URL == "" {
		return Link{Title: ref}
	}
	return Link{Title: t.Title, URL: t.URL}
}

func (v *views) memberLink(id string) Link { return v.link("member:" + id) }

// bodyMembers expands a body's member list ("all" is every member).
func (v *views) bodyMembers(b *Body) []string {
	if len(b.Members) == 1 && b.Members[0] == "all" {
		ids := make([]string, len(v.p.Data.Members))
		for i, m := range v.p.Data.Members {
			ids[i] = m.ID
		}
		return ids
	}
	return b.Members
}

// holders expands typed holders to member ids, each with how it holds.
func (v *views) holders(refs []string) map[string]string {
	out := map[string]string{}
	add := func(id, via string) {
		if _, ok := out[id]; !ok {
			out[id] = via
		}
	}
	for _, h := range refs {
		kind, id, _ := strings.Cut(h, ":")
		switch kind {
		case "member":
			add(id, "directly")
		case "role":
			if r := v.role[id]; r != nil {
				for _, m := range r.Holders {
					add(m, "as "+r.Name)
				}
			}
		case "body":
			if b := v.body[id]; b != nil {
				for _, m := range v.bodyMembers(b) {
					add(m, "through "+b.Name)
				}
			}
		case "kind":
			for _, m := range v.p.Data.Members {
				if m.Kind == id {
					add(m.ID, "as a "+id+" member")
				}
			}
		}
	}
	return out
}

// heldBy returns v.holders(r.Holders) of right or responsibility r of
// the pack's data, made for all of them the first time.
func (v *views) heldBy(r *Right) map[string]string {
	v.heldOnce.Do(func() {
		d := &v.p.Data
		v.held = make(map[*Right]map[string]string, len(d.Rights)+len(d.Responsibilities))
		for _, list := range [][]Right{d.Rights, d.Responsibilities} {
			for i := range list {
				v.held[&list[i]] = v.holders(list[i].Holders)
			}
		}
	})
	if held, ok := v.held[r]; ok {
		return held
	}
	return v.holders(r.Holders)
}

func (v *views) memberView(m *Member) memberView {
	d := &v.p.Data
	mv := memberView{Member: m, Backlinks: v.l.Backlinks("member:" + m.ID), Ratification: v.p.ratifications[m.ID]}
	if mv.Ratification.State == "" {
		mv.Ratification.State = "none"
	}
	for i := range d.Bodies {
		b := &d.Bodies[i]
		for _, id := range v.bodyMembers(b) {
			if id == m.ID {
				l := v.link("body:" + b.ID)
				if b.Chair == m.ID {
					l.Note = "chair"
				}
				mv.Bodies = append(mv.Bodies, l)
				break
			}
		}
	}
	for _, r := range d.Roles {
		for _, h := range r.Holders {
			if h == m.ID {
				mv.Roles = append(mv.Roles, v.link("role:"+r.ID))
			}
		}
	}
	for i := range d.Rights {
		r := &d.Rights[i]
		if via, ok := v.heldBy(r)[m.ID]; ok {
			mv.Rights = append(mv.Rights, holding{Link: v.link("right:" + r.ID), Via: via, Source: v.link(r.Source)})
		}
	}
	for i := range d.Responsibilities {
		r := &d.Responsibilities[i]
		if via, ok := v.heldBy(r)[m.ID]; ok {
			mv.Responsibilities = append(mv.Responsibilities, holding{Link: v.link("responsibility:" + r.ID), Via: via, Source: v.link(r.Source)})
		}
	}
	for _, n := range d.Nodes {
		if n.Operator == m.ID {
			l := v.link("node:" + n.ID)
			l.Note = n.Type
			mv.Nodes = append(mv.Nodes, l)
		}
	}
	for _, dc := range d.DataClasses {
		if dc.Owner == m.ID || dc.Owner == "member:"+m.ID {
			mv.Data = append(mv.Data, v.link("data:"+dc.ID))
		}
	}
	for _, dec := range d.Decisions {
		for _, id := range dec.Veto {
			if id == m.ID {
				mv.Vetoes = append(mv.Vetoes, v.link("decision:"+dec.ID))
			}
		}
	}
	for _, dv := range v.decisions() {
		md := memberDecision{Decision: dv}
		if b := v.body[dv.Decision.Body]; b != nil {
			md.Seat = slices.Contains(v.bodyMembers(b), m.ID)
		}
		md.Veto = slices.Contains(dv.Decision.Veto, m.ID)
		if !md.Seat && !md.Veto {
			continue
		}
		if md.Seat {
			md.PassWith = max(dv.VotesAll-1, 0)
			if dv.Alone {
				md.PassWith = 0
			}
			md.BlockWith = max(dv.Block-1, 0)
		}
		if md.Veto {
			md.BlockWith = 0
		}
		mv.Decisions = append(mv.Decisions, md)
	}
	return mv
}

func (v *views) bodyView(b *Body) bodyView {
	bv := bodyView{Body: b, EstablishedBy: v.link(b.EstablishedBy), Backlinks: v.l.Backlinks("body:" + b.ID)}
	if b.Chair != "" {
		bv.Chair = v.memberLink(b.Chair)
	}
	for _, id := range v.bodyMembers(b) {
		bv.Members = append(bv.Members, v.memberLink(id))
	}
	for _, dec := range v.p.Data.Decisions {
		if dec.Body == b.ID {
			bv.Decisions = append(bv.Decisions, v.link("decision:"+dec.ID))
		}
	}
	for _, group := range []struct {
		kind string
		list []Right
	}{{"right", v.p.Data.Rights}, {"responsibility", v.p.Data.Responsibilities}} {
		for _, r := range group.list {
			for _, h := range r.Holders {
				if h == "body:"+b.ID {
					bv.Rights = append(bv.Rights, v.link(group.kind+":"+r.ID))
				}
			}
		}
	}
	return bv
}

// matrix returns the member columns and the rows of the rights and
// responsibilities matrix.
func (v *views) matrix() ([]Link, []matrixRow) {
	var cols []Link
	for _, m := range v.p.Data.Members {
		cols = append(cols, v.memberLink(m.ID))
	}
	var rows []matrixRow
	for _, group := range []struct {
		kind string
		list []Right
	}{{"right", v.p.Data.Rights}, {"responsibility", v.p.Data.Responsibilities}} {
		for i := range group.list {
			r := &group.list[i]
			row := matrixRow{
				Kind: group.kind, Anchor: group.kind + "-" + r.ID, Entity: r,
				Source: v.link(r.Source), Backlinks: v.l.Backlinks(group.kind + ":" + r.ID),
				Description: r.Description,
			}
			if r.Item != "" && v.prof != nil {
				row.ItemTitle = v.prof(r.Item)
			}
			for _, h := range r.Holders {
				if strings.HasPrefix(h, "kind:") {
					row.Holders = append(row.Holders, Link{Title: strings.TrimPrefix(h, "kind:") + " members"})
				} else {
					row.Holders = append(row.Holders, v.link(h))
				}
			}
			held := v.heldBy(r)
			for _, m := range v.p.Data.Members {
				via, ok := held[m.ID]
				row.Cells = append(row.Cells, matrixCell{Member: m.ID, Held: ok, Via: via})
			}
			rows = append(rows, row)
		}
	}
	return cols, rows
}

// votesNeeded is the smallest whole number of votes that reaches
// threshold of n. Thresholds are written as decimals, so 2/3 arrives as
// 0.6667: the tolerance allows for a value rounded to four decimals
// (0.00005 per seat), so 0.6667 of 3 needs 2 votes while 0.5001 of 2,
// written to mean more than half, still needs 2.
func votesNeeded(threshold float64, n int) int {
	return int(math.Ceil(threshold*float64(n) - 0.00005*float64(n) - 1e-9))
}

func (v *views) decisions() []decisionView {
	var out []decisionView
	for i := range v.p.Data.Decisions {
		dec := &v.p.Data.Decisions[i]
		dv := decisionView{Decision: dec, Link: v.link("decision:" + dec.ID), Body: v.link("body:" + dec.Body), Source: v.link(dec.Source), Backlinks: v.l.Backlinks("decision:" + dec.ID)}
		if b := v.body[dec.Body]; b != nil {
			dv.Seats = len(v.bodyMembers(b))
		}
		dv.Present = max(votesNeeded(dec.Quorum, dv.Seats), 1)
		dv.VotesAll = votesNeeded(dec.Threshold, dv.Seats)
		dv.VotesMin = votesNeeded(dec.Threshold, dv.Present)
		if dec.Basis == "all" {
			dv.VotesMin = dv.VotesAll
		}
		dv.Block = dv.Seats - dv.VotesAll + 1
		dv.Alone = dv.Seats == 1 || dv.VotesMin <= 1 && dec.Threshold > 0
		for _, id := range dec.Veto {
			dv.Veto = append(dv.Veto, v.memberLink(id))
		}
		out = append(out, dv)
	}
	return out
}

// byzantine lists the consensus algorithms that tolerate malicious nodes.
var byzantine = map[string]bool{"pbft": true, "ibft": true, "ibft2": true, "qbft": true, "hotstuff": true, "tendermint": true, "hotstuff2": true}

func (v *views) nodePlan() nodeView {
	nv := nodeView{Consensus: v.p.Data.Consensus, FaultModel: "crash"}
	if c := v.p.Data.Consensus; c != nil && byzantine[strings.ToLower(c.Algorithm)] {
		nv.FaultModel = "byzantine"
	}
	count := map[string]int{}
	for i := range v.p.Data.Nodes {
		n := &v.p.Data.Nodes[i]
		nv.Nodes = append(nv.Nodes, nodeRow{Node: n, Operator: v.memberLink(n.Operator), Backlinks: v.l.Backlinks("node:" + n.ID)})
		if n.Type == "validator" || n.Type == "orderer" {
			nv.Consensual++
			count[n.Operator]++
		}
	}
	if nv.Consensual > 0 {
		if nv.FaultModel == "byzantine" {
			nv.Tolerated = (nv.Consensual - 1) / 3
		} else {
			nv.Tolerated = (nv.Consensual - 1) / 2
		}
	}
	n := nv.Consensual
	var counts []int
	for _, m := range v.p.Data.Members {
		c := count[m.ID]
		if c == 0 {
			continue
		}
		row := operatorRow{ID: m.ID, Member: v.memberLink(m.ID), Nodes: c}
		if nv.FaultModel == "byzantine" {
			row.Halt, row.Control = 3*c >= n, 3*c >= 2*n
		} else {
			row.Halt, row.Control = 2*c >= n, 2*c > n
		}
		nv.Operators = append(nv.Operators, row)
		counts = append(counts, c)
	}
	// The worst case is the members with the most nodes failing together.
	sort.Sort(sort.Reverse(sort.IntSlice(counts)))
	failed := 0
	for _, c := range counts {
		if failed+c > nv.Tolerated {
			break
		}
		failed += c
		nv.MembersTolerated++
	}
	return nv
}

// percent formats a 0..1 fraction for people: 0.6667 → "66.67%".
func percent(f float64) string {
	s := fmt.Sprintf("%.2f", f*100)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}
