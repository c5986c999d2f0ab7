package main

import (
	"fmt"
	"strings"
	"testing"
)

// minimalPDF is a PDF in the form Chromium writes: two pages, the second
// listed first in the page tree, and two named destinations, one with an
// escaped "/" and one whose name holds "endobj".
func minimalPDF() []byte {
	objects := []string{
		"<</Type /Catalog /Pages 2 0 R /Dests 4 0 R>>",
		"<</Type /Pages /Count 2 /Kids [5 0 R 3 0 R]>>",
		"<</Type /Page /Parent 2 0 R>>",
		"<</a#2Fb [3 0 R /XYZ 0 842 0]\n/x-endobj [5 0 R /XYZ 0 10 0]>>",
		"<</Type /Page /Parent 2 0 R>>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	var offsets []int
	for i, o := range objects {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return []byte(b.String())
}

func TestReadPDFLayout(t *testing.T) {
	layout, err := readPDFLayout(minimalPDF())
	if err != nil {
		t.Fatal(err)
	}
	if layout.Pages != 2 || layout.Dests["a/b"] != 2 || layout.Dests["x-endobj"] != 1 || len(layout.Dests) != 2 {
		t.Errorf("got %+v; want 2 pages, a/b on page 2 and x-endobj on page 1", layout)
	}
}

// The reader of Chromium's PDFs never panics, whatever it is given.
func FuzzReadPDFLayout(f *testing.F) {
	f.Add(minimalPDF())
	f.Fuzz(func(t *testing.T, pdf []byte) {
		layout, err := readPDFLayout(pdf)
		if err == nil && layout.Pages < 0 {
			t.Fatal("negative page count")
		}
	})
}
