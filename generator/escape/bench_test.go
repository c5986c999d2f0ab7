package escape

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sampleText is the sample pack's Markdown: text as pages hold it, with
// code, quotes and the odd ampersand.
func sampleText(b *testing.B) string {
	files, err := filepath.Glob("../../content/*/*.md")
	if err != nil || len(files) == 0 {
		b.Fatalf("no sample documents: %v", err)
	}
	var s strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		s.Write(data)
	}
	return s.String()
}

func BenchmarkHTML(b *testing.B) {
	s := sampleText(b)
	var buf bytes.Buffer
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		buf.Reset()
		HTML(&buf, s)
	}
}

func BenchmarkTemplate(b *testing.B) {
	s := sampleText(b)
	var buf bytes.Buffer
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		buf.Reset()
		Template(&buf, s)
	}
}

func BenchmarkAppendJSON(b *testing.B) {
	s := sampleText(b)
	buf := make([]byte, 0, 2*len(s))
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		buf = AppendJSON(buf[:0], s)
	}
}
