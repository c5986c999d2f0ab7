package markdown

import "strings"

// ReservedID reports whether the default theme, or govpack's own markup
// around a document, uses id for an element of its own on some page: a
// heading with that id would take the element's place in links, and the
// theme's script would act on the heading instead. An explicit heading id
// that is reserved is dropped. TestReservedIDs holds the list to the
// theme's files.
func ReservedID(id string) bool {
	switch id {
	case "bodies", "contents", "data", "decisions", "filter-count",
		"filter-member", "filter-pillar", "members", "nodes", "operators",
		"print-contents", "print-title", "ratification", "responsibilities",
		"rights", "roles":
		return true
	}
	// Ids made with a number or a name: search results, glossary tips,
	// footnotes.
	for _, prefix := range [...]string{"search-result-", "tip-", "fn:", "fnref:"} {
		if strings.HasPrefix(id, prefix) {
			return true
		}
	}
	return layoutID(id)
}

// layoutID reports whether id is one of the fixed ids of the layout
// around every document: a generated heading id is numbered past these.
// It may be any other reserved id: those are on pages of other kinds,
// or made with a number or a name a heading's text seldom matches, and
// numbering past a prefix could never end; links to headings such as
// "Members" keep working.
func layoutID(id string) bool {
	switch id {
	case "content", "search-input", "search-results", "search-status", "toc-title":
		return true
	}
	return false
}
