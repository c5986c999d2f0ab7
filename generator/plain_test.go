package generator_test

import (
	"bytes"
	"context"
	"io/fs"
	"maps"
	"os"
	"slices"
	"testing"
	"testing/fstest"

	"govpack/generator"
	"govpack/generator/synth"
)

// plainCode is a document with code in languages the generated pack does
// not quote, so the plain build lexes and formats them with chroma too.
const plainCode = "+++\ntitle = \"Tooling\"\nweight = 90\ndescription = \"Scripts & queries\"\n+++\n\n# Tooling\n\n" +
	"```bash\nfor f in *.toml; do govpack check \"$f\" || exit 1; done\n```\n\n" +
	"```python\ndef quorum(n: int) -> int:\n    return n // 2 + 1  # a majority\n```\n\n" +
	"```sql\nSELECT id, name FROM member WHERE joined < '2026-01-01';\n```\n\n" +
	"```html\n<p class=\"note\">A <em>member</em> &amp; a node</p>\n```\n\n" +
	"```diff\n-quorum = 3\n+quorum = 4\n```\n\n" +
	"```no-such-language\nleft as it is\n```\n"

// plainPack is a generated pack of n documents, code in several
// languages and an archived version (for redlines).
func plainPack(n int) fstest.MapFS {
	fsys := synth.Pack(n)
	fsys["guides/tooling.md"] = &fstest.MapFile{Data: []byte(plainCode)}
	for name, f := range maps.Clone(fsys) {
		data := f.Data
		if name == "govpack.toml" {
			data = bytes.Replace(data, []byte(`version = "1.0.0"`), []byte(`version = "0.9.0"`), 1)
		}
		fsys["history/0.9.0/"+name] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// sameOutput fails t for every file that one output has and the other
// lacks or holds other bytes of.
func sameOutput(t *testing.T, got, want generator.Output) {
	t.Helper()
	for _, name := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: missing from the plain build", name)
		case !bytes.Equal(g, want[name]):
			at := 0
			for at < min(len(g), len(want[name])) && g[at] == want[name][at] {
				at++
			}
			t.Errorf("%s: differs at byte %d:\n plain %.200q\n  fast %.200q", name, at, g[at:], want[name][at:])
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: made by the plain build only", name)
		}
	}
}

// TestPlainBuildIsTheSame builds the sample pack and a generated one
// with every fast path and with none (Options.Plain): the sites must be
// the same byte for byte, and so must the diagnostics.
func TestPlainBuildIsTheSame(t *testing.T) {
	for name, fsys := range map[string]fs.FS{"sample": os.DirFS("../content"), "generated": plainPack(200)} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fast := generator.Build(fsys, generator.Options{})
			plain := generator.Build(fsys, generator.Options{Plain: true})
			if fast.Output == nil {
				t.Fatalf("the pack does not build:\n%s", fast.Diagnostics)
			}
			if got, want := plain.Diagnostics.String(), fast.Diagnostics.String(); got != want {
				t.Errorf("plain diagnostics:\n%s\nwant:\n%s", got, want)
			}
			sameOutput(t, plain.Output, fast.Output)
		})
	}
}

// TestPlainBuilderIsTheSame is TestPlainBuildIsTheSame for govpack
// serve's Builder, a build and a rebuild after an edit.
func TestPlainBuilderIsTheSame(t *testing.T) {
	t.Parallel()
	fsys := plainPack(40)
	opts := generator.Options{Preview: true}
	fast := generator.NewBuilder(fsys, opts)
	opts.Plain = true
	plain := generator.NewBuilder(fsys, opts)
	build := func(b *generator.Builder, changed []string) generator.Output {
		t.Helper()
		res := b.Build(changed)
		if res.Output == nil {
			t.Fatalf("the pack does not build:\n%s", res.Diagnostics)
		}
		out := maps.Clone(res.Output)
		if res.Finish != nil {
			extras, _, ok := res.Finish(context.Background())
			if !ok {
				t.Fatal("finishing stopped without being cancelled")
			}
			maps.Copy(out, extras)
		}
		return out
	}
	sameOutput(t, build(plain, nil), build(fast, nil))
	edited := "guides/tooling.md"
	fsys[edited] = &fstest.MapFile{Data: bytes.Replace([]byte(plainCode), []byte("quorum = 4"), []byte("quorum = 5"), 1)}
	sameOutput(t, build(plain, []string{edited}), build(fast, []string{edited}))
}
