package generator_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"govpack/generator"
	"govpack/generator/synth"
)

// Random edits applied through a Builder, each batch compared with a fresh
// Build of the same files: every output file and every diagnostic. The
// edits cover what reaches other pages: titles (navigation, backlinks,
// previous and next), heading texts and ids (anchors that break and are
// fixed, link texts taken from headings), governance data, broken files
// and their repair, documents and folders added and deleted, theme
// overrides, static files, the settings and an archived version.
func TestBuilderMatchesFreshBuild(t *testing.T) {
	fsys := synth.Pack(40)
	// An archived version, for redlines against the current one.
	for name, f := range maps.Clone(fsys) {
		data := f.Data
		if name == "govpack.toml" {
			data = bytes.Replace(data, []byte(`version = "1.0.0"`), []byte(`version = "0.9.0"`), 1)
		}
		fsys["history/0.9.0/"+name] = &fstest.MapFile{Data: data}
	}
	opts := generator.Options{Preview: true}
	b := generator.NewBuilder(fsys, opts)
	failed, built, redlines := 0, 0, 0
	compare := func(step string, changed []string) {
		t.Helper()
		got := b.Build(changed)
		if got.Finish != nil {
			// The files that show the whole pack come after the pages.
			extras, diags, ok := got.Finish(context.Background())
			if !ok {
				t.Fatalf("%s: finishing stopped without being cancelled", step)
			}
			for _, name := range slices.Sorted(maps.Keys(extras)) {
				if _, ok := got.Output[name]; ok || !generator.Deferred(name) {
					t.Fatalf("%s: finishing made %s, which is not left for it", step, name)
				}
				got.Output[name] = extras[name]
			}
			got.Diagnostics = append(got.Diagnostics, diags...)
			got.Diagnostics.Sort()
		}
		want := generator.Build(fsys, opts)
		if want.Output == nil {
			failed++
		} else {
			built++
		}
		if want.Output["governance/redlines/1.0.0.html"] != nil {
			redlines++
		}
		if g, w := got.Diagnostics.String(), want.Diagnostics.String(); g != w {
			t.Fatalf("%s: diagnostics differ from a fresh build:\n%s\nwant:\n%s", step, g, w)
		}
		if (got.Output == nil) != (want.Output == nil) {
			t.Fatalf("%s: output nil %v, a fresh build's %v", step, got.Output == nil, want.Output == nil)
		}
		for _, name := range slices.Sorted(maps.Keys(want.Output)) {
			if !bytes.Equal(got.Output[name], want.Output[name]) {
				t.Fatalf("%s: %s differs from a fresh build:\n%s\nwant:\n%s", step, name, got.Output[name], want.Output[name])
			}
		}
		if len(got.Output) != len(want.Output) {
			t.Fatalf("%s: %d files, a fresh build has %d", step, len(got.Output), len(want.Output))
		}
	}
	compare("first build", nil)

	r := rand.New(rand.NewPCG(3, 9))
	docs := func() []string {
		var out []string
		for name := range fsys {
			if strings.HasSuffix(name, ".md") {
				out = append(out, name)
			}
		}
		slices.Sort(out)
		return out
	}
	edit := func(name string, f func(string) string) {
		fsys[name] = &fstest.MapFile{Data: []byte(f(string(fsys[name].Data)))}
	}
	originals := map[string][]byte{} // files broken on purpose, to repair later
	breakFile := func(name string, f func(string) string) {
		if _, ok := originals[name]; !ok {
			originals[name] = fsys[name].Data
		}
		edit(name, f)
	}
	clause := regexp.MustCompile(`(?m)^### (\d+\.\d+) (.*)$`)
	title := regexp.MustCompile(`(?m)^title = "([^"]*)"`)
	memberName := regexp.MustCompile(`name = "Member (\d+)[^"]*"`)
	termName := regexp.MustCompile(`name = "(Term 1|Term 2|committee|ledger records|auditor|secretariat|Quorum|decision register)"`)
	kinds := map[int]int{}
	for step := 0; step < 150; step++ {
		var changed []string
		for range 1 + r.IntN(3) {
			all := slices.DeleteFunc(docs(), func(name string) bool { return strings.HasPrefix(name, "history/") })
			doc := all[r.IntN(len(all))]
			kind := r.IntN(15)
			kinds[kind]++
			switch kind {
			case 0: // a paragraph
				edit(doc, func(s string) string { return s + fmt.Sprintf("\nEdit %d.\n", step) })
			case 1: // a title: navigation, backlinks, previous and next
				edit(doc, func(s string) string {
					return title.ReplaceAllString(s, fmt.Sprintf(`title = "Retitled %d"`, step))
				})
			case 2: // a heading's text, keeping its clause number and id
				edit(doc, func(s string) string {
					m := clause.FindStringSubmatchIndex(s)
					if m == nil {
						return s
					}
					return s[:m[4]] + fmt.Sprintf("Renamed %d", step) + s[m[5]:]
				})
			case 3: // a heading's id: the anchors others link to break
				breakFile(doc, func(s string) string { return clause.ReplaceAllString(s, "### $1x $2") })
			case 4: // governance data
				edit("data/members.toml", func(s string) string {
					return memberName.ReplaceAllString(s, fmt.Sprintf(`name = "Member $1 (%d)"`, step))
				})
				doc = "data/members.toml"
			case 5: // a broken TOML file
				breakFile("data/glossary.toml", func(s string) string { return s + "[[term]\n" })
				doc = "data/glossary.toml"
			case 6: // every broken file repaired
				for name, src := range originals {
					fsys[name] = &fstest.MapFile{Data: src}
					changed = append(changed, name)
				}
				clear(originals)
			case 7: // a new note linking to a heading, a document and an entity
				doc = fmt.Sprintf("notes/n%d.md", step)
				target := strings.TrimSuffix(all[r.IntN(len(all))], ".md")
				fsys[doc] = &fstest.MapFile{Data: []byte(fmt.Sprintf("# Note %d\n\nSee [](../%s.md), [](../charter/doc-00008.md#9.1), [](member:member-001) and [](term:term-1).\n\n```go\nfunc main() {}\n```\n", step, target))}
				if strings.HasPrefix(target, "notes/") {
					fsys[doc] = &fstest.MapFile{Data: []byte(fmt.Sprintf("# Note %d\n\nSee [](../%s.md).\n", step, target))}
				}
			case 8: // a note deleted
				if strings.HasPrefix(doc, "notes/") {
					delete(fsys, doc)
				}
			case 9: // the notes folder deleted, reported as the folder
				for name := range fsys {
					if strings.HasPrefix(name, "notes/") {
						delete(fsys, name)
					}
				}
				doc = "notes"
			case 10: // a theme override added, changed or removed
				doc = "theme/templates/document.html"
				if _, ok := fsys[doc]; ok && r.IntN(2) == 0 {
					delete(fsys, doc)
				} else {
					fsys[doc] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`{{define "main"}}<article class="doc v%d"><h1>{{.Page.Title}}</h1>{{.Content}}</article>{{end}}`, step))}
				}
			case 11: // a static file
				doc = fmt.Sprintf("static/file-%d.txt", step%3)
				fsys[doc] = &fstest.MapFile{Data: []byte(fmt.Sprint(step))}
			case 13: // the archived version
				doc = "history/0.9.0/" + doc
				if _, ok := fsys[doc]; ok {
					edit(doc, func(s string) string { return s + fmt.Sprintf("\nArchived edit %d.\n", step) })
				}
			case 14: // a glossary term renamed to words of the prose: every body links it
				words := []string{"committee", "ledger records", "auditor", "secretariat", "Quorum", "decision register"}
				edit("data/glossary.toml", func(s string) string {
					return termName.ReplaceAllString(s, fmt.Sprintf(`name = %q`, words[r.IntN(len(words))]))
				})
				doc = "data/glossary.toml"
			case 12: // the settings
				doc = "govpack.toml"
				edit(doc, func(s string) string {
					return title.ReplaceAllString(s, fmt.Sprintf(`title = "Alliance %d"`, step))
				})
			}
			changed = append(changed, doc)
		}
		if step%25 == 24 {
			changed = []string{"*"} // the watcher lost events: everything is read again
		}
		compare(fmt.Sprintf("step %d (%v)", step, changed), changed)
	}
	compare("everything read again", nil)
	if failed < 10 || built < 30 || redlines < 10 {
		t.Errorf("%d builds failed, %d succeeded, %d had a redline: the edits test too little of one", failed, built, redlines)
	}
	for kind := range 14 {
		if kinds[kind] == 0 {
			t.Errorf("edit %d never happened", kind)
		}
	}
}
