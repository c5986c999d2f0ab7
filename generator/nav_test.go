package generator

import (
	"bytes"
	"html/template"
	"testing"
)

// navPartial is the "nav" partial the default theme had, run by the
// template engine: navHTML must write the same bytes.
const navPartial = `{{define "nav"}}{{$page := .Page}}<ul class="nav-tree">
  <li><a href="{{rel $page.URL "index.html"}}"{{if eq $page.URL "index.html"}} aria-current="page"{{end}}>Overview</a></li>
{{- range .Page.Nav}}
  <li class="nav-section">{{if .URL}}<a href="{{rel $page.URL .URL}}"{{if eq $page.URL .URL}} aria-current="page"{{end}}>{{.Title}}</a>{{else}}<span class="nav-heading">{{.Title}}</span>{{end}}
    <ul>
    {{- range .Docs}}
      <li><a href="{{rel $page.URL .URL}}"{{if eq $page.URL .URL}} aria-current="page"{{end}}>{{.Title}}</a></li>
    {{- end}}
    {{- if and .More .URL}}
      <li class="nav-more"><a href="{{rel $page.URL .URL}}">{{if .Docs}}{{.More}} more{{else}}{{.More}} documents{{end}}</a></li>
    {{- end}}
    </ul>
  </li>
{{- end}}
  <li class="nav-section"><a href="{{rel $page.URL "governance/index.html"}}"{{if eq $page.URL "governance/index.html"}} aria-current="page"{{end}}>Governance</a>
    <ul>
    {{- range .Site.Governance}}{{if ne .URL "governance/index.html"}}
      <li><a href="{{rel $page.URL .URL}}"{{if eq $page.URL .URL}} aria-current="page"{{end}}>{{.Title}}</a></li>
    {{- end}}{{end}}
    </ul>
  </li>
</ul>{{end}}
`

func TestNavHTMLMatchesTheTemplate(t *testing.T) {
	tmpl := template.Must(template.New("").Funcs(templateFuncs).Parse(navPartial))
	odd := `Fees & "costs" <b>'+'</b> ` + "\x00 é ≠ \ufdd0"
	nav := []navSection{
		{Name: "", Title: "Root", Docs: []Link{{Title: "Intro", URL: "intro.html"}}},
		{Name: "charter", Title: odd, URL: "charter/index.html", Docs: []Link{
			{Title: "A", URL: "charter/a.html"}, {Title: odd, URL: "charter/a b+c%zz%41é'.html"}, {Title: "C", URL: "charter/javascript:x.html"},
		}, More: 3},
		{Name: "specs", Title: "Specs", URL: "specs/index.html", More: 12},
		{Name: "empty", Title: "Empty", URL: "empty/index.html"},
	}
	gov := []Link{{Title: "Governance", URL: "governance/index.html"}, {Title: "Rights & duties", URL: "governance/rights.html"}}
	for _, page := range []string{"index.html", "intro.html", "charter/index.html", "charter/a.html", "charter/a b+c%zz%41é'.html", "governance/rights.html", "governance/members/m.html", "specs/deep/x.html"} {
		for _, n := range [][]navSection{nav, nil} {
			var want bytes.Buffer
			data := map[string]any{"Page": map[string]any{"URL": page, "Nav": n}, "Site": map[string]any{"Governance": gov}}
			if err := tmpl.ExecuteTemplate(&want, "nav", data); err != nil {
				t.Fatal(err)
			}
			if got := string(navHTML(page, n, gov)); got != want.String() {
				t.Errorf("page %s:\n%s\nwant:\n%s", page, got, want.String())
			}
		}
	}
}

// partials are the breadcrumbs, toc, toc-list, backlinks and prevnext partials the
// default theme had: the functions that replace them must write the same
// bytes.
const partials = `{{define "breadcrumbs"}}{{if ne .Page.Kind "home"}}<nav class="breadcrumbs" aria-label="Breadcrumbs"><ol>
  <li><a href="{{rel .Page.URL "index.html"}}">Overview</a></li>
  {{- with .Page.Section}}<li><a href="{{rel $.Page.URL $.Page.SectionURL}}">{{.}}</a></li>{{end}}
  <li><span aria-current="page">{{.Page.Title}}</span></li>
</ol></nav>{{end}}{{end}}

{{define "toc"}}<h2 id="toc-title">On this page</h2>
{{template "toc-list" .}}{{end}}

{{define "toc-list"}}<ul>
{{- range .Page.TOC}}
  <li class="toc-{{.Level}}"><a href="#{{.ID}}">{{.Text}}</a></li>
{{- end}}
</ul>{{end}}

{{define "backlinks"}}{{if .Links}}<section class="backlinks">
<h2>Referenced by</h2>
<ul>
{{- range .Links}}
  <li><a href="{{rel $.From .URL}}">{{.Title}}</a>{{with .Where}} <span class="where">{{.}}</span>{{end}}</li>
{{- end}}
</ul>
</section>{{end}}{{end}}

{{define "prevnext"}}{{if or .Page.Prev .Page.Next}}<nav class="prevnext" aria-label="Previous and next">
{{with .Page.Prev}}<a class="prev" rel="prev" href="{{rel $.Page.URL .URL}}"><span>Previous</span> {{.Title}}</a>{{end}}
{{with .Page.Next}}<a class="next" rel="next" href="{{rel $.Page.URL .URL}}"><span>Next</span> {{.Title}}</a>{{end}}
</nav>{{end}}{{end}}`

func TestPartialFuncsMatchTheTemplates(t *testing.T) {
	tmpl := template.Must(template.New("").Funcs(templateFuncs).Parse(partials))
	odd := `Fees & "costs" <b>'+'</b> ` + "\x00 é ≠"
	run := func(name string, data any) string {
		t.Helper()
		var b bytes.Buffer
		if err := tmpl.ExecuteTemplate(&b, name, data); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	links := []Link{{Title: odd, URL: "charter/a b+c%zz%41é'.html"}, {Title: "B", URL: "governance/rights.html#right-x:y"}, {Title: "J", URL: "charter/javascript:x.html"}}
	for _, page := range []string{"index.html", "charter/a.html", "governance/members/m.html", "specs/deep/x y.html"} {
		for i, pi := range []pageInfo{
			{Kind: "home", URL: page, Title: odd},
			{Kind: "document", URL: page, Title: odd, Section: odd, SectionURL: "charter/index.html", Prev: &links[0], Next: &links[1]},
			{Kind: "document", URL: page, Title: "T", Prev: &links[2]},
			{Kind: "member", URL: page, Title: "M", Section: "Governance", SectionURL: "governance/index.html", Next: &links[2]},
			{Kind: "section", URL: page, Title: "S", Section: "Root"},
		} {
			pi.TOC = []Heading{{Level: 2, ID: "9.1", Text: odd}, {Level: 3, ID: "é-x:y/z?a#b%41+c", Text: "x"}}
			if i%2 == 1 {
				pi.TOC = nil
			}
			data := map[string]any{"Page": pi}
			if got, want := string(breadcrumbsHTML(pi)), run("breadcrumbs", data); got != want {
				t.Errorf("breadcrumbs of %s:\n%s\nwant:\n%s", page, got, want)
			}
			if got, want := string(tocHTML(pi.TOC)), run("toc", data); got != want {
				t.Errorf("toc of %s:\n%s\nwant:\n%s", page, got, want)
			}
			if got, want := string(tocListHTML(pi.TOC)), run("toc-list", data); got != want {
				t.Errorf("toc list of %s:\n%s\nwant:\n%s", page, got, want)
			}
			if got, want := string(prevNextHTML(pi)), run("prevnext", data); got != want {
				t.Errorf("prevnext of %s:\n%s\nwant:\n%s", page, got, want)
			}
		}
		for _, bl := range [][]backlink{nil, {{Title: odd, Where: odd, URL: links[0].URL}, {Title: "B", URL: links[1].URL}, {Title: "J", Where: "node", URL: links[2].URL}}} {
			if got, want := string(backlinksHTML(page, bl)), run("backlinks", backrefs{From: page, Links: bl}); got != want {
				t.Errorf("backlinks from %s:\n%s\nwant:\n%s", page, got, want)
			}
		}
	}
}
