package generator_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"govpack/generator"
)

// checkDoc checks a pack of one document, src, under the default limits.
func checkDoc(src string) string {
	fsys := fstest.MapFS{
		"govpack.toml": {Data: []byte("title = \"T\"\nprofile = \"profile.toml\"\n")},
		"profile.toml": {Data: []byte("id = \"p\"\ntitle = \"P\"\n")},
		"a/doc.md":     {Data: []byte(src)},
	}
	return generator.Check(fsys, generator.Options{}).Diagnostics.String()
}

// The inputs goldmark takes minutes or gigabytes on, each past a default
// limit, are refused where the limit is passed.
func TestDefaultLimits(t *testing.T) {
	nested := ""
	for i := range 300 {
		nested += strings.Repeat("  ", i) + "- item\n"
	}
	for _, tc := range []struct{ name, src, want string }{
		{"large", strings.Repeat("[](a/doc.md)\n", 1<<20/13+1),
			"a/doc.md:80660:10: error: document is larger than 1048576 bytes (limits.document_bytes in govpack.toml) [doc/limit]\n"},
		{"nested on a line", "# T\n\n" + strings.Repeat("> ", 400) + "x\n",
			"a/doc.md:3:201: error: block quotes and list items nest more than 100 deep (limits.depth in govpack.toml) [doc/limit]\n"},
		{"nested by indent", nested,
			"a/doc.md:101:201: error: block quotes and list items nest more than 100 deep (limits.depth in govpack.toml) [doc/limit]\n"},
		{"links", strings.Repeat("[](a/doc.md) ", 20001),
			"a/doc.md:1:260001: error: document has more than 20000 links, images and footnote marks (each '[' counts) (limits.links in govpack.toml) [doc/limit]\n"},
		{"footnotes", strings.Repeat("[^x]\n", 5001),
			"a/doc.md:5001:1: error: document has more than 5000 footnote references and definitions (each \"[^\" counts) (limits.footnotes in govpack.toml) [doc/limit]\n"},
		{"definitions", strings.Repeat("[x]: /u\n", 5001),
			"a/doc.md:5001:3: error: document has more than 5000 link reference definitions (each \"]:\" counts) (limits.definitions in govpack.toml) [doc/limit]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkDoc(tc.src); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
