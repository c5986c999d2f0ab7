package main

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// pdfLayout is what govpack pdf reads back from a PDF Chromium printed:
// the number of pages and the page (from 1) of each named destination.
// Chromium writes a destination for every element an in-page link
// targets, named after its id, so the destinations say where each part
// of the print page landed.
type pdfLayout struct {
	Pages int
	Dests map[string]int
}

var (
	startXRef   = regexp.MustCompile(`startxref\s+(\d+)`)
	trailerRoot = regexp.MustCompile(`/Root\s+(\d+)\s+\d+\s+R`)
	catalogRef  = regexp.MustCompile(`/(Pages|Dests)\s+(\d+)\s+\d+\s+R`)
	pagesType   = regexp.MustCompile(`/Type\s*/Pages\b`)
	pageType    = regexp.MustCompile(`/Type\s*/Page\b`)
	kidsArray   = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	objRef      = regexp.MustCompile(`(\d+)\s+\d+\s+R`)
	destEntry   = regexp.MustCompile(`/((?:[^\s/\[\]<>(){}%#]|#[0-9A-Fa-f]{2})+)\s*\[\s*(\d+)\s+\d+\s+R`)
	hexEscape   = regexp.MustCompile(`#([0-9A-Fa-f]{2})`)
	endObj      = regexp.MustCompile(`[\s>\]]endobj`)
)

// readPDFLayout reads the page tree and the /Dests dictionary of the
// catalog, the form Chromium's PDF writer (Skia) uses: a classic
// cross-reference table and plain, uncompressed dictionaries. Anything
// else is an error, never a guess.
func readPDFLayout(pdf []byte) (pdfLayout, error) {
	offsets, root, err := readXRef(pdf)
	if err != nil {
		return pdfLayout{}, err
	}
	doc := pdfObjects{pdf, offsets}
	catalog, err := doc.object(root)
	if err != nil {
		return pdfLayout{}, err
	}
	refs := map[string]int{}
	for _, m := range catalogRef.FindAllSubmatch(catalog, -1) {
		refs[string(m[1])], _ = strconv.Atoi(string(m[2]))
	}
	if _, ok := refs["Pages"]; !ok {
		return pdfLayout{}, errors.New("the catalog names no page tree")
	}
	pageOf := map[int]int{}
	if err := doc.numberPages(refs["Pages"], pageOf, map[int]bool{}); err != nil {
		return pdfLayout{}, err
	}

	layout := pdfLayout{Pages: len(pageOf), Dests: map[string]int{}}
	destsObj, ok := refs["Dests"]
	if !ok {
		return layout, nil // a PDF without in-page links has no destinations
	}
	dests, err := doc.object(destsObj)
	if err != nil {
		return pdfLayout{}, err
	}
	for _, m := range destEntry.FindAllSubmatch(dests, -1) {
		obj, _ := strconv.Atoi(string(m[2]))
		page, ok := pageOf[obj]
		if !ok {
			return pdfLayout{}, fmt.Errorf("destination %s points at object %d, which is no page", m[1], obj)
		}
		layout.Dests[pdfName(m[1])] = page
	}
	return layout, nil
}

// pdfObjects finds a PDF's objects by number through its cross-reference
// table.
type pdfObjects struct {
	pdf     []byte
	offsets map[int]int
}

// object returns object n, up to its endobj.
func (o pdfObjects) object(n int) ([]byte, error) {
	off, ok := o.offsets[n]
	if !ok || off >= len(o.pdf) {
		return nil, fmt.Errorf("object %d is not in the cross-reference table", n)
	}
	body := o.pdf[off:]
	head := []byte(strconv.Itoa(n) + " ")
	if !bytes.HasPrefix(body, head) {
		return nil, fmt.Errorf("object %d is not where the cross-reference table says", n)
	}
	// The object ends at the keyword endobj; the same letters inside a
	// name ("/x-endobj") follow a regular character, never a delimiter.
	if m := endObj.FindIndex(body); m != nil {
		return body[:m[0]], nil
	}
	return nil, fmt.Errorf("object %d has no endobj", n)
}

// numberPages walks the page tree from node n, depth first, numbering
// its pages in pageOf (object number → page number from 1).
func (o pdfObjects) numberPages(n int, pageOf map[int]int, seen map[int]bool) error {
	if seen[n] {
		return fmt.Errorf("the page tree loops at object %d", n)
	}
	seen[n] = true
	node, err := o.object(n)
	if err != nil {
		return err
	}
	switch {
	case pagesType.Match(node):
		kids := kidsArray.FindSubmatch(node)
		if kids == nil {
			return fmt.Errorf("page tree node %d has no /Kids", n)
		}
		for _, k := range objRef.FindAllSubmatch(kids[1], -1) {
			kid, _ := strconv.Atoi(string(k[1]))
			if err := o.numberPages(kid, pageOf, seen); err != nil {
				return err
			}
		}
	case pageType.Match(node):
		pageOf[n] = len(pageOf) + 1
	default:
		return fmt.Errorf("object %d in the page tree is neither /Pages nor /Page", n)
	}
	return nil
}

// readXRef reads the last cross-reference table: object number → byte
// offset, and the catalog's object number from the trailer.
func readXRef(pdf []byte) (map[int]int, int, error) {
	ms := startXRef.FindAllSubmatch(pdf, -1)
	if ms == nil {
		return nil, 0, errors.New("no startxref: not a PDF, or a truncated one")
	}
	off, _ := strconv.Atoi(string(ms[len(ms)-1][1]))
	if off >= len(pdf) || !bytes.HasPrefix(pdf[off:], []byte("xref")) {
		return nil, 0, errors.New("no classic cross-reference table (a compressed one is not supported)")
	}
	rest := pdf[off+len("xref"):]
	trailer := bytes.Index(rest, []byte("trailer"))
	if trailer < 0 {
		return nil, 0, errors.New("no trailer after the cross-reference table")
	}
	fields := bytes.Fields(rest[:trailer])
	offsets := map[int]int{}
	for i := 0; i+1 < len(fields); {
		first, err1 := strconv.Atoi(string(fields[i]))
		count, err2 := strconv.Atoi(string(fields[i+1]))
		if err1 != nil || err2 != nil || count < 0 || i+2+3*count > len(fields) {
			return nil, 0, errors.New("malformed cross-reference table")
		}
		i += 2
		for n := first; n < first+count; n++ {
			at, err := strconv.Atoi(string(fields[i]))
			if err != nil {
				return nil, 0, errors.New("malformed cross-reference entry")
			}
			if string(fields[i+2]) == "n" {
				offsets[n] = at
			}
			i += 3
		}
	}
	m := trailerRoot.FindSubmatch(rest[trailer:])
	if m == nil {
		return nil, 0, errors.New("the trailer names no catalog")
	}
	root, _ := strconv.Atoi(string(m[1]))
	return offsets, root, nil
}

// pdfName decodes the #xx escapes of a PDF name.
func pdfName(b []byte) string {
	return string(hexEscape.ReplaceAllFunc(b, func(m []byte) []byte {
		v, _ := strconv.ParseUint(string(m[1:]), 16, 8)
		return []byte{byte(v)}
	}))
}
