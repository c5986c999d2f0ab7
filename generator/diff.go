package generator

import (
	"bytes"
	"fmt"
	"html"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"unsafe"

	"github.com/yuin/goldmark/ast"

	"govpack/generator/decode"
)

// Change is one difference between two versions of a pack, at the level
// people amend it: a clause of a document, or a governance entity.
type Change struct {
	Kind   string        // "added", "removed" or "changed"
	Where  string        // "charter/a.md#5.2", "charter/a.md" or "decision:admit-member"
	Title  string        // the clause heading or the entity's name
	Words  []WordChange  // for a changed clause: the word-level redline
	Fields []FieldChange // for a changed entity
}

// WordChange is a run of words kept ('='), removed ('-') or added ('+').
type WordChange struct {
	Op   byte
	Text string
}

// FieldChange is one changed field of an entity.
type FieldChange struct {
	Field, Old, New string
}

// Diff compares two checked packs and returns their differences in a
// stable order: documents by path and clause order, then entities by kind
// and id.
func Diff(old, new *Pack) []Change {
	var out []Change
	out = append(out, diffDocuments(old, new)...)
	out = append(out, diffEntities(old, new)...)
	return out
}

// clause is one section of a document: its heading and the text up to the
// next heading. The text before the first heading is the clause "".
type clause struct {
	id, title, text string
}

func clauses(d *Document) []clause {
	var cs []clause
	eachClause(d, new(bytes.Buffer), func(c clause) {
		c.text = strings.Clone(c.text)
		cs = append(cs, c)
	})
	return cs
}

// eachClause calls fn with each clause of d in order, the clause "" first.
// The text is made in buf and is good only until fn returns: the search
// index keeps it in a form of its own, and a new string for every clause
// of a large pack was a tenth of what a build allocates.
func eachClause(d *Document, buf *bytes.Buffer, fn func(clause)) {
	var c clause
	done := func() {
		c.text = strings.TrimSpace(unsafe.String(unsafe.SliceData(buf.Bytes()), buf.Len()))
		fn(c)
		buf.Reset()
	}
	buf.Reset()
	next := 0 // d.Headings are in the order of the tree
	for n := d.tree().FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			done()
			x := headingOf(d, h, &next)
			c = clause{id: x.ID, title: x.Text}
			continue
		}
		writeBlockText(buf, n, d.Source)
		buf.WriteByte('\n')
	}
	done()
}

// headingOf returns the recorded heading of a heading node, looking from
// d.Headings[*next] on and moving *next past it: from the start each
// time, a document of many headings took time in their square.
func headingOf(d *Document, h *ast.Heading, next *int) Heading {
	for i := *next; i < len(d.Headings); i++ {
		if d.Headings[i].node == h {
			*next = i + 1
			return d.Headings[i]
		}
	}
	return Heading{}
}

func diffDocuments(old, new *Pack) []Change {
	oldDocs, newDocs := map[string]*Document{}, map[string]*Document{}
	var paths []string
	for _, d := range old.Docs {
		oldDocs[d.Path] = d
		paths = append(paths, d.Path)
	}
	for _, d := range new.Docs {
		newDocs[d.Path] = d
		if oldDocs[d.Path] == nil {
			paths = append(paths, d.Path)
		}
	}
	sort.Strings(paths)
	var out []Change
	for _, p := range paths {
		o, n := oldDocs[p], newDocs[p]
		switch {
		case o == nil:
			out = append(out, Change{Kind: "added", Where: p, Title: n.Title})
			continue
		case n == nil:
			out = append(out, Change{Kind: "removed", Where: p, Title: o.Title})
			continue
		}
		oc, nc := clauses(o), clauses(n)
		oldByID := map[string]clause{}
		for _, c := range oc {
			oldByID[c.id] = c
		}
		seen := map[string]bool{}
		for _, c := range nc {
			seen[c.id] = true
			where := p
			if c.id != "" {
				where += "#" + c.id
			}
			prev, ok := oldByID[c.id]
			switch {
			case !ok:
				out = append(out, Change{Kind: "added", Where: where, Title: c.title, Words: wholeClause('+', c)})
			case prev.text != c.text || prev.title != c.title:
				out = append(out, Change{Kind: "changed", Where: where, Title: c.title, Words: wordDiff(strings.TrimSpace(prev.title+"\n"+prev.text), strings.TrimSpace(c.title+"\n"+c.text))})
			}
		}
		for _, c := range oc {
			if !seen[c.id] {
				out = append(out, Change{Kind: "removed", Where: p + "#" + c.id, Title: c.title, Words: wholeClause('-', c)})
			}
		}
	}
	return out
}

// wholeClause is the redline of a clause added or removed whole: its text,
// all inserted or all struck, since the clause is what was agreed.
func wholeClause(op byte, c clause) []WordChange {
	text := strings.Join(strings.Fields(c.title+"\n"+c.text), " ")
	if text == "" {
		return nil
	}
	return []WordChange{{Op: op, Text: text}}
}

// wordDiff returns a word-level redline from a to b: the longest common
// subsequence of words, or the whole text replaced when the texts are too
// long to align cheaply.
func wordDiff(a, b string) []WordChange {
	return elide(alignWords(a, b), 10)
}

// alignWords is the full word-level diff of a and b.
func alignWords(a, b string) []WordChange {
	aw, bw := strings.Fields(a), strings.Fields(b)
	var ops []WordChange
	emit := func(op byte, w string) {
		if n := len(ops); n > 0 && ops[n-1].Op == op {
			ops[n-1].Text += " " + w
			return
		}
		ops = append(ops, WordChange{Op: op, Text: w})
	}
	if len(aw)*len(bw) > 4_000_000 {
		emit('-', strings.Join(aw, " "))
		emit('+', strings.Join(bw, " "))
		return ops
	}
	// lcs[i][j] is the LCS length of aw[i:] and bw[j:].
	lcs := make([][]int32, len(aw)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(bw)+1)
	}
	for i := len(aw) - 1; i >= 0; i-- {
		for j := len(bw) - 1; j >= 0; j-- {
			if aw[i] == bw[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(aw) || j < len(bw) {
		switch {
		case i < len(aw) && j < len(bw) && aw[i] == bw[j]:
			emit('=', aw[i])
			i, j = i+1, j+1
		case i < len(aw) && (j == len(bw) || lcs[i+1][j] >= lcs[i][j+1]):
			emit('-', aw[i]) // deletions first, as a redline reads
			i++
		default:
			emit('+', bw[j])
			j++
		}
	}
	return ops
}

// elide shortens the unchanged runs of a redline to ctx words on each side
// of a change, so that a changed row of a long table reads as the row.
func elide(ops []WordChange, ctx int) []WordChange {
	for k := range ops {
		if ops[k].Op != '=' {
			continue
		}
		words := strings.Fields(ops[k].Text)
		first, last := k == 0, k == len(ops)-1
		keep := 2 * ctx
		if first || last {
			keep = ctx
		}
		if len(words) <= keep+2 {
			continue
		}
		switch {
		case first:
			ops[k].Text = "… " + strings.Join(words[len(words)-ctx:], " ")
		case last:
			ops[k].Text = strings.Join(words[:ctx], " ") + " …"
		default:
			ops[k].Text = strings.Join(words[:ctx], " ") + " … " + strings.Join(words[len(words)-ctx:], " ")
		}
	}
	return ops
}

// diffEntities compares the governance data entity by entity.
func diffEntities(old, new *Pack) []Change {
	var out []Change
	kinds := []struct {
		kind string
		get  func(*Data) any
	}{
		{"member", func(d *Data) any { return d.Members }},
		{"body", func(d *Data) any { return d.Bodies }},
		{"role", func(d *Data) any { return d.Roles }},
		{"right", func(d *Data) any { return d.Rights }},
		{"responsibility", func(d *Data) any { return d.Responsibilities }},
		{"decision", func(d *Data) any { return d.Decisions }},
		{"node", func(d *Data) any { return d.Nodes }},
		{"data", func(d *Data) any { return d.DataClasses }},
		{"term", func(d *Data) any { return d.Terms }},
		{"amendment", func(d *Data) any { return d.Amendments }},
	}
	for _, k := range kinds {
		o, n := entitiesByID(k.get(&old.Data)), entitiesByID(k.get(&new.Data))
		ids := maps.Clone(o)
		maps.Copy(ids, n)
		for _, id := range slices.Sorted(maps.Keys(ids)) {
			where := k.kind + ":" + id
			ov, okOld := o[id]
			nv, okNew := n[id]
			switch {
			case !okOld:
				out = append(out, Change{Kind: "added", Where: where, Title: entityName(nv)})
			case !okNew:
				out = append(out, Change{Kind: "removed", Where: where, Title: entityName(ov)})
			default:
				if fields := fieldChanges(ov, nv); len(fields) > 0 {
					out = append(out, Change{Kind: "changed", Where: where, Title: entityName(nv), Fields: fields})
				}
			}
		}
	}
	var oc, nc reflect.Value
	if old.Data.Consensus != nil {
		oc = reflect.ValueOf(*old.Data.Consensus)
	}
	if new.Data.Consensus != nil {
		nc = reflect.ValueOf(*new.Data.Consensus)
	}
	switch {
	case !oc.IsValid() && nc.IsValid():
		out = append(out, Change{Kind: "added", Where: "consensus", Title: new.Data.Consensus.Algorithm})
	case oc.IsValid() && !nc.IsValid():
		out = append(out, Change{Kind: "removed", Where: "consensus", Title: old.Data.Consensus.Algorithm})
	case oc.IsValid():
		if fields := fieldChanges(oc, nc); len(fields) > 0 {
			out = append(out, Change{Kind: "changed", Where: "consensus", Title: new.Data.Consensus.Algorithm, Fields: fields})
		}
	}
	if fields := fieldChanges(reflect.ValueOf(old.Settings), reflect.ValueOf(new.Settings)); len(fields) > 0 {
		out = append(out, Change{Kind: "changed", Where: SettingsFile, Title: new.Settings.Title, Fields: fields})
	}
	return out
}

// entitiesByID indexes a slice of entities by id (version for amendments).
func entitiesByID(list any) map[string]reflect.Value {
	out := map[string]reflect.Value{}
	v := reflect.ValueOf(list)
	for i := 0; i < v.Len(); i++ {
		e := v.Index(i)
		id := e.FieldByName("ID")
		if !id.IsValid() {
			id = e.FieldByName("Version")
		}
		out[id.String()] = e
	}
	return out
}

func entityName(v reflect.Value) string {
	for _, f := range []string{"Name", "Title", "ID", "Version"} {
		if x := v.FieldByName(f); x.IsValid() && x.String() != "" {
			return x.String()
		}
	}
	return ""
}

// fieldChanges compares two entities of one type, field by TOML field.
func fieldChanges(a, b reflect.Value) []FieldChange {
	var out []FieldChange
	t := a.Type()
	for _, k := range decode.Keys(t) {
		i, name, f := k.Index, k.Name, t.Field(k.Index)
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(decode.Date{}) {
			for _, sub := range fieldChanges(a.Field(i), b.Field(i)) {
				sub.Field = name + "." + sub.Field
				out = append(out, sub)
			}
			continue
		}
		av, bv := formatValue(a.Field(i)), formatValue(b.Field(i))
		if av != bv {
			out = append(out, FieldChange{Field: name, Old: av, New: bv})
		}
	}
	return out
}

func formatValue(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = fmt.Sprint(v.Index(i).Interface())
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case reflect.String:
		return v.String()
	}
	if d, ok := v.Interface().(decode.Date); ok {
		return d.String()
	}
	return fmt.Sprint(v.Interface())
}

// FormatChanges writes changes as text for terminals and CI: a redline
// marks removed words [-like this-] and added words {+like this+}.
func FormatChanges(changes []Change) string {
	var b strings.Builder
	for _, c := range changes {
		fmt.Fprintf(&b, "%-8s %s", c.Kind, c.Where)
		if c.Title != "" {
			fmt.Fprintf(&b, "  %q", c.Title)
		}
		b.WriteByte('\n')
		if len(c.Words) > 0 {
			b.WriteString("         ")
			for i, w := range c.Words {
				if i > 0 {
					b.WriteByte(' ')
				}
				switch w.Op {
				case '-':
					b.WriteString("[-" + w.Text + "-]")
				case '+':
					b.WriteString("{+" + w.Text + "+}")
				default:
					b.WriteString(w.Text)
				}
			}
			b.WriteByte('\n')
		}
		for _, f := range c.Fields {
			fmt.Fprintf(&b, "         %s: %s → %s\n", f.Field, orNone(f.Old), orNone(f.New))
		}
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" || s == "[]" {
		return "(none)"
	}
	return s
}

// FormatChangesHTML returns a self-contained HTML redline page, which a
// site can carry under static/.
func FormatChangesHTML(title string, changes []Change) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s</title>\n", html.EscapeString(title))
	b.WriteString("<style>body{font:1rem/1.6 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}del{background:#fde2e1;color:#8a1c12}ins{background:#dcf5e3;color:#125c2b;text-decoration:none}.kind{font:600 .75rem system-ui;text-transform:uppercase;letter-spacing:.05em;color:#5a6570}code{font-size:.9em}table{border-collapse:collapse}td,th{border:1px solid #dde3e8;padding:.3rem .5rem;text-align:left}</style>\n</head>\n<body>\n")
	fmt.Fprintf(&b, "<h1>%s</h1>\n", html.EscapeString(title))
	if len(changes) == 0 {
		b.WriteString("<p>No differences.</p>\n")
	}
	for _, c := range changes {
		fmt.Fprintf(&b, "<section>\n<h2><span class=\"kind\">%s</span> <code>%s</code> %s</h2>\n", c.Kind, html.EscapeString(c.Where), html.EscapeString(c.Title))
		if len(c.Words) > 0 {
			b.WriteString("<p>")
			for i, w := range c.Words {
				if i > 0 {
					b.WriteByte(' ')
				}
				t := html.EscapeString(w.Text)
				switch w.Op {
				case '-':
					b.WriteString("<del>" + t + "</del>")
				case '+':
					b.WriteString("<ins>" + t + "</ins>")
				default:
					b.WriteString(t)
				}
			}
			b.WriteString("</p>\n")
		}
		if len(c.Fields) > 0 {
			b.WriteString("<table>\n<tr><th>Field</th><th>Before</th><th>After</th></tr>\n")
			for _, f := range c.Fields {
				fmt.Fprintf(&b, "<tr><td>%s</td><td><del>%s</del></td><td><ins>%s</ins></td></tr>\n", html.EscapeString(f.Field), html.EscapeString(orNone(f.Old)), html.EscapeString(orNone(f.New)))
			}
			b.WriteString("</table>\n")
		}
		b.WriteString("</section>\n")
	}
	b.WriteString("</body>\n</html>\n")
	return b.String()
}

// CheckAmendment compares the amendment recorded for the new version with
// the actual changes: a listed clause or entity that did not change, and a
// changed clause the amendment does not list. It returns one message each.
func CheckAmendment(new *Pack, changes []Change) []string {
	var am *Amendment
	for i := range new.Data.Amendments {
		if new.Data.Amendments[i].Version == new.Settings.Version {
			am = &new.Data.Amendments[i]
		}
	}
	if am == nil {
		if len(changes) > 0 {
			return []string{fmt.Sprintf("version %q has %d changes but no [[amendment]] records it", new.Settings.Version, len(changes))}
		}
		return nil
	}
	changed := map[string]bool{}
	wholeDoc := map[string]bool{} // documents added or removed as a whole
	for _, c := range changes {
		changed[c.Where] = true
		if doc, _, ok := strings.Cut(c.Where, "#"); ok {
			changed[doc] = true
		} else if strings.HasSuffix(c.Where, ".md") {
			wholeDoc[c.Where] = true
		}
	}
	listed := map[string]bool{}
	var out []string
	for _, ref := range am.Changes {
		r := strings.Replace(ref, "data_class:", "data:", 1)
		listed[r] = true
		doc, _, _ := strings.Cut(r, "#")
		if !changed[r] && !wholeDoc[doc] {
			out = append(out, fmt.Sprintf("amendment %s lists %s, which did not change", am.Version, ref))
		}
	}
	for _, c := range changes {
		doc, _, _ := strings.Cut(c.Where, "#")
		if strings.Contains(c.Where, ".md") && !listed[c.Where] && !listed[doc] {
			out = append(out, fmt.Sprintf("%s %s, but amendment %s does not list it", c.Where, c.Kind, am.Version))
		}
	}
	return out
}
