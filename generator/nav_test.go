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
  <li class="nav-section">{{if .URL}}<a href="{{rel $page.URL .URL}}"{{if eq $page.URL .URL}} aria-current="page"{{end}}>{{.Title}}</a>{{end}}
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
