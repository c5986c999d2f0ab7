package generator

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"

	"govpack/generator/decode"
	"govpack/generator/diag"
	"govpack/generator/profile"
)

// Entity kinds a reference can name, as written before the colon.
var entityKinds = []string{"member", "body", "role", "right", "responsibility", "decision", "node", "data", "term"}

// target is something a reference can point at.
type target struct {
	URL   string // site path from the root, with an optional #fragment
	Title string // what an empty link text shows
	Kind  string // an entity kind, or "document"
}

// backlink is one place that refers to a page or an entity.
type backlink struct {
	Title string // the referring page or entity
	Where string // the heading or kind it is under, when useful
	URL   string
}

// Links holds everything references resolve against, and what they resolved to.
type Links struct {
	docs      map[string]*Document      // by path
	anchors   map[string]map[string]int // document path → heading id → index in Headings
	entities  map[string]target         // "member:bank-a" → target
	assets    map[string]string         // source path of a non-document file → site path
	backlinks map[string][]backlink     // document path or "kind:id" → referrers
	filed     map[[2]string]bool        // (key, referring URL) already filed
}

// Backlinks returns who refers to key (a document path or "kind:id"),
// sorted and without repeats.
func (l *Links) Backlinks(key string) []backlink { return l.backlinks[key] }

// Target returns what a reference key resolves to.
func (l *Links) Target(key string) (target, bool) {
	t, ok := l.entities[key]
	return t, ok
}

// entityURL is where the page or anchor of each entity kind lives.
func entityURL(kind, id string) string {
	switch kind {
	case "member":
		return "governance/members/" + id + ".html"
	case "body":
		return "governance/bodies/" + id + ".html"
	case "role":
		return "governance/roles.html#" + id
	case "right", "responsibility":
		return "governance/rights.html#" + kind + "-" + id
	case "decision":
		return "governance/decisions.html#" + id
	case "node":
		return "governance/nodes.html#" + id
	case "data":
		return "governance/data.html#" + id
	case "term":
		return "governance/glossary.html#" + id
	}
	panic("unknown entity kind " + kind)
}

// newLinks indexes the pack's documents, anchors and entities.
func newLinks(p *Pack) *Links {
	l := &Links{
		docs:      make(map[string]*Document, len(p.Docs)),
		anchors:   make(map[string]map[string]int, len(p.Docs)),
		entities:  map[string]target{},
		assets:    map[string]string{},
		backlinks: make(map[string][]backlink, len(p.Docs)),
		filed:     map[[2]string]bool{},
	}
	for _, d := range p.Docs {
		l.docs[d.Path] = d
		l.anchors[d.Path] = d.anchorSet()
	}
	for _, a := range p.Assets {
		l.assets[a] = a
	}
	for _, s := range p.Static {
		l.assets["static/"+s] = s
	}
	add := func(kind, id, title string) {
		if id != "" {
			l.entities[kind+":"+id] = target{URL: entityURL(kind, id), Title: title, Kind: kind}
		}
	}
	d := &p.Data
	for _, x := range d.Members {
		add("member", x.ID, x.Name)
	}
	for _, x := range d.Bodies {
		add("body", x.ID, x.Name)
	}
	for _, x := range d.Roles {
		add("role", x.ID, x.Name)
	}
	for _, x := range d.Rights {
		add("right", x.ID, x.Title)
	}
	for _, x := range d.Responsibilities {
		add("responsibility", x.ID, x.Title)
	}
	for _, x := range d.Decisions {
		add("decision", x.ID, x.Title)
	}
	for _, x := range d.Nodes {
		add("node", x.ID, x.ID)
	}
	for _, x := range d.DataClasses {
		add("data", x.ID, x.Name)
	}
	for _, x := range d.Terms {
		add("term", x.ID, x.Name)
	}
	return l
}

// resolve resolves a reference written in file fromDir (the directory of
// the referring document; "" for TOML, whose paths are pack-relative). It
// returns the key backlinks are filed under and the target, or a message
// saying why it does not resolve.
func (l *Links) resolve(ref, fromDir, fromDoc string) (key string, t target, problem string) {
	return l.resolveSuggesting(ref, fromDir, fromDoc, nil)
}

// maxSuggestions is how many ids the unresolved references of one
// document, or of the pack's data, are compared with in all to find the
// nearest that exists: each is compared with every candidate, and a
// document can hold thousands of references to one with thousands of
// headings. A reference past it is told no nearest id.
const maxSuggestions = 20000

// resolveSuggesting is resolve, comparing unresolved references with as
// many ids as *suggestions says, and counting them off; any number when
// suggestions is nil.
func (l *Links) resolveSuggesting(ref, fromDir, fromDoc string, suggestions *int) (key string, t target, problem string) {
	if kind, id, ok := strings.Cut(ref, ":"); ok && isEntityKind(kind) {
		key = kind + ":" + id
		t, found := l.entities[key]
		if !found {
			return "", target{}, fmt.Sprintf("reference %q does not resolve: no %s with id %q%s", ref, kind, id, l.suggest(kind, id, suggestions))
		}
		return key, t, ""
	}
	file, frag, _ := strings.Cut(ref, "#")
	docPath := fromDoc
	if file != "" {
		docPath = path.Join(fromDir, file)
		if strings.HasPrefix(docPath, "../") || docPath == ".." {
			return "", target{}, fmt.Sprintf("reference %q points outside the pack", ref)
		}
	}
	if site, ok := l.assets[docPath]; ok && file != "" {
		if frag != "" {
			site += "#" + frag
		}
		return "", target{URL: site, Title: path.Base(docPath), Kind: "file"}, ""
	}
	d, ok := l.docs[docPath]
	if !ok {
		if !strings.HasSuffix(docPath, ".md") {
			return "", target{}, fmt.Sprintf("reference %q does not resolve: no document or file %q in the pack", ref, docPath)
		}
		return "", target{}, fmt.Sprintf("reference %q does not resolve: no document %q", ref, docPath)
	}
	t = target{URL: d.URL, Title: d.Title, Kind: "document"}
	if frag != "" {
		i, ok := l.anchors[docPath][frag]
		if !ok {
			return "", target{}, fmt.Sprintf("reference %q does not resolve: %s has no heading with id %q%s", ref, docPath, frag, suggestNearest(frag, l.anchors[docPath], suggestions))
		}
		t.URL += "#" + frag
		t.Title = d.Headings[i].Text
	}
	return docPath, t, ""
}

func isEntityKind(s string) bool {
	for _, k := range entityKinds {
		if k == s {
			return true
		}
	}
	return false
}

// suggest names the nearest existing id of kind, if one is close.
func (l *Links) suggest(kind, id string, suggestions *int) string {
	if !takeSuggestion(id, len(l.entities), suggestions) {
		return ""
	}
	ids := map[string]bool{}
	prefix := kind + ":"
	for k := range l.entities {
		if strings.HasPrefix(k, prefix) {
			ids[strings.TrimPrefix(k, prefix)] = true
		}
	}
	return suggestNearest(id, ids, nil)
}

// maxSuggestLen is the longest id a suggestion is looked for: comparing
// two ids costs the product of their lengths.
const maxSuggestLen = 64

// takeSuggestion reports whether an unresolved id may be compared with
// n candidates for the nearest, counting them off *suggestions.
func takeSuggestion(id string, n int, suggestions *int) bool {
	if len(id) > maxSuggestLen {
		return false
	}
	if suggestions != nil {
		if *suggestions < n {
			return false
		}
		*suggestions -= n
	}
	return true
}

// suggestFrom returns `; did you mean "x"?` for the candidate nearest to s,
// or "" when none is close.
func suggestFrom(s string, candidates map[string]bool) string {
	return suggestNearest(s, candidates, nil)
}

// suggestNearest is suggestFrom, or "" when no suggestion may be looked
// for (see takeSuggestion).
func suggestNearest[V any](s string, candidates map[string]V, suggestions *int) string {
	if !takeSuggestion(s, len(candidates), suggestions) {
		return ""
	}
	// A candidate whose length is further off than a typo's distance
	// cannot be the nearest: left out, it costs nothing to compare.
	slack := max(2, len(s)/3)
	names := make([]string, 0, len(candidates))
	for c := range candidates {
		if len(c) <= len(s)+slack && len(c) >= len(s)-slack {
			names = append(names, c)
		}
	}
	if best := decode.Nearest(s, names); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// addBacklink files from under key, once per referring URL.
func (l *Links) addBacklink(key string, from backlink) {
	if key == "" {
		return
	}
	if l.filed[[2]string{key, from.URL}] {
		return
	}
	l.filed[[2]string{key, from.URL}] = true
	l.backlinks[key] = append(l.backlinks[key], from)
}

// isExternal reports whether a link destination leaves the pack: a URL with
// a scheme that is not an entity kind, or a protocol-relative URL.
func isExternal(dest string) bool {
	if strings.HasPrefix(dest, "//") {
		return true
	}
	scheme, _, ok := strings.Cut(dest, ":")
	if !ok || strings.ContainsAny(scheme, "/#?.") {
		return false
	}
	return !isEntityKind(scheme)
}

// linkDocuments resolves every link of every document, rewrites it to the
// relative URL of its target, fills empty link texts and records
// backlinks. An unresolved link is an error at its position.
//
// Every link is set from its form as written, so linking a document that
// an earlier build linked gives the same result as linking it fresh. When
// nothing a reference can resolve to has changed since that build (cache
// tells), the document's diagnostics and backlinks are taken as they were.
func linkDocuments(p *Pack, l *Links, diags *diag.List, cache *cache) {
	gen := cache.linkGeneration(p, l)
	refs := 0
	for _, d := range p.Docs {
		refs += len(d.refs)
	}
	l.filed = make(map[[2]string]bool, refs)
	// Resolving reads the links and writes only its own document: it is
	// spread over the cores. Backlinks are filed after, in document order.
	parallel(len(p.Docs), func(i int) {
		if d := p.Docs[i]; gen == 0 || d.linked.gen != gen {
			linkDocument(d, l, gen != 0)
			d.linked.gen = gen
		}
	})
	for _, d := range p.Docs {
		*diags = append(*diags, d.linked.diags...)
		for _, b := range d.linked.backlinks {
			l.addBacklink(b.key, b.from)
		}
		if gen == 0 {
			d.linked.backlinks = nil // no next build takes them
		}
	}
}

// linkDocument links one document, keeping its diagnostics and the
// backlinks it files in d.linked, each once when keep says the next build
// takes them (filing drops repeats anyway). It only reads l.
func linkDocument(d *Document, l *Links, keep bool) {
	dir := path.Dir(d.Path)
	if dir == "." {
		dir = ""
	}
	d.linked.diags, d.linked.backlinks = nil, nil
	var filed map[[2]string]bool
	suggestions := maxSuggestions
	for i, r := range d.refs {
		dest, t, resolved := linkRef(d, r, dir, l, &suggestions)
		set := linkState{dest: dest}
		if resolved && r.emptyText {
			set.text = t.Title
		}
		if resolved && t.Kind != "document" && t.Kind != "file" {
			set.kind = t.Kind
		}
		if set != d.refs[i].set || !d.refs[i].applied {
			d.refs[i].set, d.refs[i].applied = set, true
			set.apply(r)
			d.rendered = false // the body shows the link as it was
		}
		if resolved && t.key != d.Path && t.key != "" {
			here := backlink{Title: d.Title, URL: d.URL}
			if r.heading >= 0 {
				h := d.Headings[r.heading]
				here = backlink{Title: d.Title, URL: d.URL + "#" + h.ID, Where: h.Text}
			}
			if keep {
				if filed == nil {
					filed = map[[2]string]bool{}
				}
				if filed[[2]string{t.key, here.URL}] {
					continue
				}
				filed[[2]string{t.key, here.URL}] = true
			}
			d.linked.backlinks = append(d.linked.backlinks, keyedBacklink{t.key, here})
		}
	}
}

// linkState is what linking sets on a link or an image.
type linkState struct {
	dest string
	text string // the text of a link written without one
	kind string // the kind of entity it names, for its class
}

// apply sets the node of r as s says, from its form as written.
func (s linkState) apply(r docRef) {
	switch n := r.node.(type) {
	case *ast.Image:
		n.Destination = []byte(s.dest)
	case *ast.Link:
		n.Destination = []byte(s.dest)
		if r.emptyText {
			n.RemoveChildren(n)
			if s.text != "" {
				n.AppendChild(n, ast.NewString([]byte(s.text)))
			}
		}
		n.RemoveAttributes() // links have none as parsed; "class" is ours
		if s.kind != "" {
			n.SetAttributeString("class", []byte("ref ref-"+s.kind))
		}
	}
}

// linkRef resolves one link of d. It returns the destination the page
// shows: relative to the page when the link resolves, as written when it
// does not (the build then has errors) or leaves the pack.
// Unresolved, it is told the nearest id that exists while *suggestions
// lasts.
func linkRef(d *Document, r docRef, dir string, l *Links, suggestions *int) (string, keyedTarget, bool) {
	ref := r.dest
	if ref == "" || isExternal(ref) {
		return ref, keyedTarget{}, false
	}
	if strings.HasPrefix(ref, "/") {
		d.linked.diags.Errorf(d.pos(r.at), diag.RuleRefSyntax, "reference %q is absolute; write it relative to this document so the site works from any path", ref)
		return ref, keyedTarget{}, false
	}
	key, t, problem := l.resolveSuggesting(ref, dir, d.Path, suggestions)
	if problem != "" {
		d.linked.diags.Errorf(d.pos(r.at), diag.RuleRefUnresolved, "%s", problem)
		return ref, keyedTarget{}, false
	}
	return relURL(d.URL, t.URL), keyedTarget{t, key}, true
}

// keyedTarget is a resolved target and the key its backlinks go under.
type keyedTarget struct {
	target
	key string
}

// keyedBacklink is a backlink and the key it is filed under.
type keyedBacklink struct {
	key  string
	from backlink
}

// linkData resolves the references held in TOML and records backlinks
// from the entities that hold them.
func linkData(p *Pack, l *Links, prof *profile.Profile, diags *diag.List) {
	k := &dataLinker{l: l, diags: diags, suggestions: maxSuggestions,
		memberKinds: map[string]bool{"founding": true, "ordinary": true, "observer": true}}
	for _, kind := range p.Settings.MemberKinds {
		k.memberKinds[kind] = true
	}
	d := &p.Data
	k.members(d)
	k.rights(d, prof)
	k.decisions(d)
	k.records(d)
	for _, links := range l.backlinks {
		slices.SortFunc(links, func(a, b backlink) int {
			if c := strings.Compare(a.Title, b.Title); c != 0 {
				return c
			}
			return strings.Compare(a.URL, b.URL)
		})
	}
}

// dataLinker resolves the references the governance data makes, filing a
// backlink for each and reporting each that does not resolve.
type dataLinker struct {
	l           *Links
	diags       *diag.List
	memberKinds map[string]bool
	suggestions int // "did you mean" searches left (see maxSuggestions)
}

// ref resolves a general reference: a document path or a typed entity.
func (k *dataLinker) ref(from backlink, value string, pos diag.Pos) {
	if value == "" {
		return
	}
	key, _, problem := k.l.resolveSuggesting(value, "", "", &k.suggestions)
	if problem != "" {
		k.diags.Errorf(pos, diag.RuleRefUnresolved, "%s", problem)
		return
	}
	k.l.addBacklink(key, from)
}

// bare resolves a bare id of one kind.
func (k *dataLinker) bare(from backlink, kind, id string, pos diag.Pos) {
	if id == "" {
		return
	}
	if strings.Contains(id, ":") {
		k.ref(from, id, pos)
		return
	}
	k.ref(from, kind+":"+id, pos)
}

// holder resolves a typed holder: an entity or a member kind.
func (k *dataLinker) holder(from backlink, value string, pos diag.Pos) {
	kind, id, ok := strings.Cut(value, ":")
	switch {
	case !ok:
		k.diags.Errorf(pos, diag.RuleRefSyntax, "holder %q must be typed, such as \"member:%s\", \"role:%s\", \"body:%s\" or \"kind:founding\"", value, value, value, value)
	case kind == "kind":
		if !k.memberKinds[id] {
			k.diags.Errorf(pos, diag.RuleRefUnresolved, "holder %q names no member kind; kinds are founding, ordinary, observer and those in member_kinds", value)
		}
	case kind == "member" || kind == "role" || kind == "body":
		k.ref(from, value, pos)
	default:
		k.diags.Errorf(pos, diag.RuleRefSyntax, "holder %q must be a member, role, body or member kind", value)
	}
}

// members checks the members' kinds and links the bodies and roles they
// sit in.
func (k *dataLinker) members(d *Data) {
	for _, x := range d.Members {
		if !k.memberKinds[x.Kind] && x.Kind != "" {
			k.diags.Errorf(x.At("kind"), diag.RuleTOMLValue, "member kind %q is not founding, ordinary, observer or declared in member_kinds", x.Kind)
		}
	}
	for _, x := range d.Bodies {
		from := backlink{Title: x.Name, Where: "body", URL: entityURL("body", x.ID)}
		for i, m := range x.Members {
			if m == "all" && len(x.Members) == 1 {
				continue
			}
			k.bare(from, "member", m, x.At(fmt.Sprintf("members[%d]", i)))
		}
		k.bare(from, "member", x.Chair, x.At("chair"))
		k.ref(from, x.EstablishedBy, x.At("established_by"))
	}
	for _, x := range d.Roles {
		from := backlink{Title: x.Name, Where: "role", URL: entityURL("role", x.ID)}
		for i, m := range x.Holders {
			k.bare(from, "member", m, x.At(fmt.Sprintf("holders[%d]", i)))
		}
	}
}

// rights links the rights' and responsibilities' holders and sources, and
// checks the profile items responsibilities serve.
func (k *dataLinker) rights(d *Data, prof *profile.Profile) {
	for _, group := range []struct {
		kind string
		list []Right
	}{{"right", d.Rights}, {"responsibility", d.Responsibilities}} {
		kind := group.kind
		for _, x := range group.list {
			from := backlink{Title: x.Title, Where: kind, URL: entityURL(kind, x.ID)}
			for i, h := range x.Holders {
				k.holder(from, h, x.At(fmt.Sprintf("holders[%d]", i)))
			}
			k.ref(from, x.Source, x.At("source"))
			if x.Item != "" && prof != nil {
				if _, ok := prof.Item(x.Item); !ok {
					ids := map[string]bool{}
					for _, it := range prof.Items {
						ids[it.ID] = true
					}
					k.diags.Errorf(x.At("item"), diag.RuleRefUnresolved, "item %q is not an item of profile %q%s", x.Item, prof.ID, suggestFrom(x.Item, ids))
				}
			}
		}
	}
}

// decisions links the decision rules' bodies, vetoes and sources.
func (k *dataLinker) decisions(d *Data) {
	for _, x := range d.Decisions {
		from := backlink{Title: x.Title, Where: "decision rule", URL: entityURL("decision", x.ID)}
		k.bare(from, "body", x.Body, x.At("body"))
		for i, m := range x.Veto {
			k.bare(from, "member", m, x.At(fmt.Sprintf("veto[%d]", i)))
		}
		k.ref(from, x.Source, x.At("source"))
		if x.Basis != "cast" && x.Basis != "all" {
			k.diags.Errorf(x.At("basis"), diag.RuleTOMLValue, "basis %q must be \"cast\" or \"all\"", x.Basis)
		}
	}
}

// records links the nodes' operators, the data classes' owners, the
// amendments and the ratifications.
func (k *dataLinker) records(d *Data) {
	for _, x := range d.Nodes {
		from := backlink{Title: x.ID, Where: "node", URL: entityURL("node", x.ID)}
		k.bare(from, "member", x.Operator, x.At("operator"))
	}
	for _, x := range d.DataClasses {
		from := backlink{Title: x.Name, Where: "data class", URL: entityURL("data", x.ID)}
		k.bare(from, "member", x.Owner, x.At("owner"))
	}
	for _, x := range d.Amendments {
		from := backlink{Title: "Amendment " + x.Version, Where: "amendment", URL: amendmentURL(x.Version)}
		k.bare(from, "decision", x.Decision, x.At("decision"))
		for i, c := range x.Changes {
			k.ref(from, c, x.At(fmt.Sprintf("changes[%d]", i)))
		}
	}
	for _, x := range d.Ratifications {
		k.bare(backlink{Title: "Ratification by " + x.Member, URL: "governance/amendments.html"}, "member", x.Member, x.At("member"))
	}
}

func amendmentURL(version string) string {
	return "governance/amendments.html#v" + version
}

// relURL returns the URL of site path to as seen from the page at site
// path from, so the site works from any sub-path and from the file system.
func relURL(from, to string) string {
	toPath, frag, hasFrag := strings.Cut(to, "#")
	if toPath == from && hasFrag {
		return "#" + frag
	}
	// Drop the directories both paths share, then climb out of the rest.
	common := 0
	for i := 0; i < len(from) && i < len(toPath) && from[i] == toPath[i]; i++ {
		if from[i] == '/' {
			common = i + 1
		}
	}
	return strings.Repeat("../", strings.Count(from[common:], "/")) + to[common:]
}

// rootPrefix is the way from a page up to the site root: "" or "../../".
func rootPrefix(page string) string {
	return strings.Repeat("../", strings.Count(page, "/"))
}
