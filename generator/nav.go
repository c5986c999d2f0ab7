package generator

import (
	"html/template"
	"strconv"
	"strings"
)

// navHTML writes the navigation tree as the default theme's "nav" partial
// did, for the page at site path page. The template ran for every page and
// its escaping, one call per link, dominated the build; this writes the
// same bytes directly, escaping as html/template does in the same places.
// Themes may still build their own from .Page.Nav.
func navHTML(page string, nav []navSection, governance []Link) template.HTML {
	size := 256 + 160*len(governance)
	for _, s := range nav {
		size += 128 + 128*len(s.Docs)
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteString(`<ul class="nav-tree">` + "\n  ")
	navLink(&b, page, "index.html", "Overview")
	b.WriteString("</li>")
	for _, s := range nav {
		b.WriteString("\n  " + `<li class="nav-section">`)
		if s.URL != "" {
			navAnchor(&b, page, s.URL, s.Title)
		}
		b.WriteString("\n    <ul>")
		for _, d := range s.Docs {
			b.WriteString("\n      ")
			navLink(&b, page, d.URL, d.Title)
			b.WriteString("</li>")
		}
		if s.More != 0 && s.URL != "" {
			b.WriteString("\n      " + `<li class="nav-more"><a href="`)
			writeURLAttr(&b, relURL(page, s.URL))
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
	navAnchor(&b, page, "governance/index.html", "Governance")
	b.WriteString("\n    <ul>")
	for _, g := range governance {
		if g.URL != "governance/index.html" {
			b.WriteString("\n      ")
			navLink(&b, page, g.URL, g.Title)
			b.WriteString("</li>")
		}
	}
	b.WriteString("\n    </ul>\n  </li>\n</ul>")
	return template.HTML(b.String())
}

// navLink writes <li> and the link to url, marked when it is the page.
func navLink(b *strings.Builder, page, url, title string) {
	b.WriteString("<li>")
	navAnchor(b, page, url, title)
}

func navAnchor(b *strings.Builder, page, url, title string) {
	b.WriteString(`<a href="`)
	writeURLAttr(b, relURL(page, url))
	b.WriteByte('"')
	if page == url {
		b.WriteString(` aria-current="page"`)
	}
	b.WriteByte('>')
	writeHTML(b, title)
	b.WriteString("</a>")
}

// writeURLAttr writes a URL into a quoted attribute as html/template does:
// a scheme other than http, https or mailto is refused, characters outside
// RFC 3986 are percent-encoded, and the result is HTML-escaped.
func writeURLAttr(b *strings.Builder, u string) {
	if scheme, _, ok := strings.Cut(u, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		u = "#ZgotmplZ"
	}
	var n strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			n.WriteByte(c)
		case c == '%' && i+2 < len(u) && isHex(u[i+1]) && isHex(u[i+2]):
			n.WriteByte(c)
		default:
			n.WriteByte('%')
			n.WriteString(strconv.FormatInt(int64(c)>>4, 16))
			n.WriteString(strconv.FormatInt(int64(c)&15, 16))
		}
	}
	writeHTML(b, n.String())
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// writeHTML writes s escaped as html/template escapes text and attribute
// values.
func writeHTML(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case 0:
			rep = "\uFFFD"
		case '"':
			rep = "&#34;"
		case '&':
			rep = "&amp;"
		case '\'':
			rep = "&#39;"
		case '+':
			rep = "&#43;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		default:
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(rep)
		start = i + 1
	}
	b.WriteString(s[start:])
}
