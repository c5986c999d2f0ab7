// Package escape holds the escapers govpack writes pages and scripts
// with: HTML text and attribute values, URLs in attributes, and JSON
// strings. Each writes exactly what a standard-library escaper writes,
// named in its comment, so pages written directly read byte for byte as
// the templates they replace did; the tests fuzz each against it. They
// are hand-written because they run on every link of every page and on
// tens of megabytes of search text: nothing is allocated when there is
// nothing to escape, the HTML escapers look each byte up in a table, and
// the JSON strings are scanned eight bytes at a time. The package imports only the
// standard library, so every stage can use it.
package escape

import "io"

// replacements maps a byte to what it is written as; "" keeps it.
type replacements [256]string

// htmlBytes are the bytes html.EscapeString replaces.
var htmlBytes = replacements{'&': "&amp;", '\'': "&#39;", '<': "&lt;", '>': "&gt;", '"': "&#34;"}

// templateBytes are the bytes html/template replaces in text and in
// quoted attribute values: html.EscapeString's, '+' and NUL.
var templateBytes = replacements{0: "\uFFFD", '"': "&#34;", '&': "&amp;", '\'': "&#39;", '+': "&#43;", '<': "&lt;", '>': "&gt;"}

// HTML writes s as html.EscapeString returns it: &, ', <, > and " become
// entities, every other byte (NUL and invalid UTF-8 too) is kept. It is
// safe in HTML text and in quoted attribute values; chroma's formatter
// escapes code so, and highlighted code must read the same.
func HTML(w io.StringWriter, s string) {
	replace(w, s, &htmlBytes)
}

// Template writes s as html/template escapes a string in HTML text or in
// a quoted attribute value: as HTML does, and + becomes &#43; and NUL
// U+FFFD. Invalid UTF-8 is kept, as html/template keeps it. The
// partials written in Go use it, to write the bytes the templates did.
func Template(w io.StringWriter, s string) {
	replace(w, s, &templateBytes)
}

// replace writes s with the bytes rep replaces replaced.
func replace(w io.StringWriter, s string, rep *replacements) {
	last := 0
	for i := 0; i < len(s); i++ {
		r := rep[s[i]]
		if r == "" {
			continue // most bytes: one load, where a switch took several branches
		}
		w.WriteString(s[last:i])
		w.WriteString(r)
		last = i + 1
	}
	w.WriteString(s[last:])
}
