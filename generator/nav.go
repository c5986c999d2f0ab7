package generator

import (
	"html/template"
	"io"
	"strconv"
	"strings"

	"govpack/generator/escape"
)

// navHTML is the navigation tree as the default theme's "nav" partial
// did show it, for the page at site path page: see writeNav.
func navHTML(page string, nav []navSection, governance []Link) template.HTML {
	var b strings.Builder
	b.Grow(navSize(nav, governance))
	writeNav(&b, page, nav, governance, nil)
	return template.HTML(b.String())
}

// navSize is about the size of the navigation tree's HTML.
func navSize(nav []navSection, governance []Link) int {
	size := 256 + 160*len(governance)
	for _, s := range nav {
		size += 128 + 128*len(s.Docs)
	}
	return size
}

// writeNav writes the navigation tree as the default theme's "nav"
// partial did. The template ran for every page and its escaping, one call
// per link, dominated the build; this writes the same bytes directly,
// escaping as html/template does in the same places. Themes may still
// build their own from .Page.Nav.
//
// links, when not nil, keeps the links written for the next page: a large
// site's pages show the same links of their section, each window shifted
// by one from the last, and a link is the same from every page of a
// directory but the one it marks.
func writeNav(b htmlWriter, page string, nav []navSection, governance []Link, links navLinks) {
	b.WriteString(`<ul class="nav-tree">` + "\n  ")
	links.write(b, page, "index.html", "Overview")
	b.WriteString("</li>")
	for _, s := range nav {
		b.WriteString("\n  " + `<li class="nav-section">`)
		if s.URL != "" {
			links.anchor(b, page, s.URL, s.Title)
		} else {
			b.WriteString(`<span class="nav-heading">`)
			escape.Template(b, s.Title)
			b.WriteString("</span>")
		}
		b.WriteString("\n    <ul>")
		for _, d := range s.Docs {
			b.WriteString("\n      ")
			links.write(b, page, d.URL, d.Title)
			b.WriteString("</li>")
		}
		if s.More != 0 && s.URL != "" {
			b.WriteString("\n      " + `<li class="nav-more"><a href="`)
			escape.URL(b, relURL(page, s.URL))
			b.WriteString(`">`)
			b.WriteString(strconv.Itoa(s.More))
			if len(s.Docs) > 0 {
				b.WriteString(" more")
			} else {
				b.WriteString(" documents")
			}
			b.WriteString("</a></li>")
		}
		b.WriteString("\n    </ul>\n  </li>")
	}
	b.WriteString("\n  " + `<li class="nav-section">`)
	links.anchor(b, page, "governance/index.html", "Governance")
	b.WriteString("\n    <ul>")
	for _, g := range governance {
		if g.URL != "governance/index.html" {
			b.WriteString("\n      ")
			links.write(b, page, g.URL, g.Title)
			b.WriteString("</li>")
		}
	}
	b.WriteString("\n    </ul>\n  </li>\n</ul>")
}

// htmlWriter is what the partials written in Go write to: a
// strings.Builder, or the buffer of the page itself.
type htmlWriter interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}

// navLinks holds the HTML of navigation links written before, by the
// directory of the page they were written for, URL and title.
type navLinks map[navLink]string

type navLink struct{ dir, url, title string }

// maxNavLinks bounds a navLinks: the links of 20,000 documents, a few MB.
const maxNavLinks = 20000

// write writes <li> and the link to url, marked when it is the page.
func (links navLinks) write(b htmlWriter, page, url, title string) {
	b.WriteString("<li>")
	links.anchor(b, page, url, title)
}

// anchor is navAnchor, from links where it was written for a page of the
// same directory before.
func (links navLinks) anchor(b htmlWriter, page, url, title string) {
	if links == nil || page == url || strings.IndexByte(url, '#') >= 0 {
		navAnchor(b, page, url, title) // marked, or relative to the page itself
		return
	}
	key := navLink{page[:strings.LastIndexByte(page, '/')+1], url, title}
	html, ok := links[key]
	if !ok {
		var a strings.Builder
		navAnchor(&a, page, url, title)
		html = a.String()
		if len(links) >= maxNavLinks {
			clear(links)
		}
		links[key] = html
	}
	b.WriteString(html)
}

func navAnchor(b htmlWriter, page, url, title string) {
	b.WriteString(`<a href="`)
	escape.URL(b, relURL(page, url))
	b.WriteByte('"')
	if page == url {
		b.WriteString(` aria-current="page"`)
	}
	b.WriteByte('>')
	escape.Template(b, title)
	b.WriteString("</a>")
}

// The partials below ran the template engine once per link on every page;
// these write the same bytes directly. Themes call them from the partials
// of the same names, or write their own.

// breadcrumbsHTML is the trail from the overview to the page.
func breadcrumbsHTML(pi pageInfo) template.HTML {
	return partialHTML(func(b htmlWriter) { writeBreadcrumbs(b, &pi) })
}

// partialHTML is what write writes, as HTML for a template.
func partialHTML(write func(htmlWriter)) template.HTML {
	var b strings.Builder
	write(&b)
	return template.HTML(b.String())
}

func writeBreadcrumbs(b htmlWriter, pi *pageInfo) {
	if pi.Kind == "home" {
		return
	}
	b.WriteString(`<nav class="breadcrumbs" aria-label="Breadcrumbs"><ol>` + "\n  " + `<li><a href="`)
	escape.URL(b, relURL(pi.URL, "index.html"))
	b.WriteString(`">Overview</a></li>`)
	if pi.Section != "" {
		b.WriteString(`<li><a href="`)
		escape.URL(b, relURL(pi.URL, pi.SectionURL))
		b.WriteString(`">`)
		escape.Template(b, pi.Section)
		b.WriteString("</a></li>")
	}
	b.WriteString("\n  " + `<li><span aria-current="page">`)
	escape.Template(b, pi.Title)
	b.WriteString("</span></li>\n</ol></nav>")
}

// tocHTML is the table of contents of a page.
func tocHTML(toc []Heading) template.HTML {
	return partialHTML(func(b htmlWriter) { writeTOC(b, toc) })
}

func writeTOC(b htmlWriter, toc []Heading) {
	b.WriteString(`<h2 id="toc-title">On this page</h2>` + "\n")
	writeTOCList(b, toc)
}

// tocListHTML is the list of a page's table of contents, which the
// default theme also shows folded above the content.
func tocListHTML(toc []Heading) template.HTML {
	return partialHTML(func(b htmlWriter) { writeTOCList(b, toc) })
}

func writeTOCList(b htmlWriter, toc []Heading) {
	b.WriteString("<ul>")
	for _, h := range toc {
		b.WriteString("\n  " + `<li class="toc-`)
		b.WriteString(strconv.Itoa(h.Level))
		b.WriteString(`"><a href="#`)
		escape.URLPart(b, h.ID)
		b.WriteString(`">`)
		escape.Template(b, h.Text)
		b.WriteString("</a></li>")
	}
	b.WriteString("\n</ul>")
}

// backlinksHTML lists who refers to a page or an entity, from the page at from.
func backlinksHTML(from string, links []backlink) template.HTML {
	return partialHTML(func(b htmlWriter) { writeBacklinks(b, from, links) })
}

func writeBacklinks(b htmlWriter, from string, links []backlink) {
	if len(links) == 0 {
		return
	}
	b.WriteString(`<section class="backlinks">` + "\n<h2>Referenced by</h2>\n<ul>")
	for _, l := range links {
		b.WriteString("\n  <li>")
		navAnchorPlain(b, relURL(from, l.URL), l.Title)
		if l.Where != "" {
			b.WriteString(` <span class="where">`)
			escape.Template(b, l.Where)
			b.WriteString("</span>")
		}
		b.WriteString("</li>")
	}
	b.WriteString("\n</ul>\n</section>")
}

// prevNextHTML links to the previous and next pages in reading order.
func prevNextHTML(pi pageInfo) template.HTML {
	return partialHTML(func(b htmlWriter) { writePrevNext(b, &pi) })
}

func writePrevNext(b htmlWriter, pi *pageInfo) {
	if pi.Prev == nil && pi.Next == nil {
		return
	}
	b.WriteString(`<nav class="prevnext" aria-label="Previous and next">` + "\n")
	for _, x := range []struct {
		l           *Link
		class, word string
	}{{pi.Prev, "prev", "Previous"}, {pi.Next, "next", "Next"}} {
		if x.l != nil {
			b.WriteString(`<a class="` + x.class + `" rel="` + x.class + `" href="`)
			escape.URL(b, relURL(pi.URL, x.l.URL))
			b.WriteString(`"><span>` + x.word + `</span> `)
			escape.Template(b, x.l.Title)
			b.WriteString("</a>")
		}
		b.WriteString("\n")
	}
	b.WriteString("</nav>")
}

// navAnchorPlain writes a link to a relative URL.
func navAnchorPlain(b htmlWriter, url, title string) {
	b.WriteString(`<a href="`)
	escape.URL(b, url)
	b.WriteString(`">`)
	escape.Template(b, title)
	b.WriteString("</a>")
}
