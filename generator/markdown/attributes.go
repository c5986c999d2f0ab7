package markdown

import (
	"bytes"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// A DroppedAttribute is what Parse left out of a heading's attributes:
// an id the theme's own elements use, or the attributes besides the id.
type DroppedAttribute struct {
	Pos   int      // offset of the (first) attribute in the source, or of its heading
	Names []string // "id"; or "class", "style"... each once, the first few
	Count int      // how many attributes, Names or not
	Value string   // the id, when Theme
	Theme bool     // an id the theme's own elements use
}

// maxNames is how many names a DroppedAttribute keeps, for its message.
const maxNames = 3

// droppedKey is where a parsed document keeps its dropped attributes, in
// its metadata (see OutlineOf).
const droppedKey = "govpack.dropped-attributes"

// filterAttributes drops from h every attribute but its id unless the
// pack allows raw HTML, as {style="position:fixed…"} can cover the page
// and {.class} borrow the theme's looks; and an id the theme uses for
// its own elements, which would take their place in links and scripts.
// It returns what it dropped.
func filterAttributes(h *ast.Heading, src []byte, unsafe bool, dropped []DroppedAttribute) []DroppedAttribute {
	attrs := h.Attributes()
	if len(attrs) == 0 {
		return dropped
	}
	id, hasID := HeadingID(h)
	if hasID && ReservedID(id) {
		dropped = append(dropped, DroppedAttribute{Pos: attributePos(h, src, "id"), Names: []string{"id"}, Count: 1, Value: id, Theme: true})
		hasID = false
	}
	keep := attrs[:0:0]
	var others DroppedAttribute
	for _, a := range attrs {
		switch name := string(a.Name); {
		case name == "id":
			if hasID {
				keep = append(keep, a)
			}
		case unsafe:
			keep = append(keep, a)
		default:
			others.Count++
			if len(others.Names) < maxNames && !slices.Contains(others.Names, name) {
				others.Names = append(others.Names, name)
			}
		}
	}
	if others.Count > 0 {
		// One for the heading, however many it has: looking each up
		// would cost the line's length every time.
		others.Pos = attributePos(h, src, others.Names[0])
		dropped = append(dropped, others)
	}
	h.RemoveAttributes()
	for _, a := range keep {
		h.SetAttribute(a.Name, a.Value)
	}
	return dropped
}

// attributePos returns the offset of attribute name in the attribute
// block {…} that ends h's (last) line: "#id", ".class" or "name=";
// the block itself, or the heading, when it cannot be told.
func attributePos(h *ast.Heading, src []byte, name string) int {
	lines := h.Lines()
	if lines.Len() == 0 {
		return h.Pos()
	}
	last := lines.At(lines.Len() - 1)
	start := bytes.LastIndexByte(src[:last.Start], '\n') + 1
	line := src[start:lineEnd(src, last.Start)]
	open := bytes.LastIndexByte(line, '{')
	if open < 0 {
		return last.Start
	}
	block := string(line[open:])
	forms := []string{name + "="}
	switch name {
	case "id":
		forms = append(forms, "#")
	case "class":
		forms = append(forms, ".")
	}
	at := len(block)
	for _, f := range forms {
		// An attribute starts the block or follows white space: the "." of
		// {#7.2} is no class.
		for i := 1; i < at; i++ {
			if strings.HasPrefix(block[i:], f) && (i == 1 || block[i-1] == ' ' || block[i-1] == '\t') {
				at = i
			}
		}
	}
	if at == len(block) {
		at = 0
	}
	return start + open + at
}
