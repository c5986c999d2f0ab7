package synth

import (
	"bytes"
	"testing"

	"govpack/generator"
)

func TestPackChecksClean(t *testing.T) {
	for _, n := range []int{20, 250} {
		res := generator.Build(Pack(n), generator.Options{})
		if len(res.Diagnostics) > 0 || res.Output == nil {
			t.Fatalf("Pack(%d):\n%s", n, res.Diagnostics)
		}
		if got := len(res.Pack.Docs); got != n {
			t.Errorf("Pack(%d) has %d documents", n, got)
		}
	}
}

func TestPackIsDeterministic(t *testing.T) {
	a, b := Pack(100), Pack(100)
	for name, f := range a {
		if !bytes.Equal(f.Data, b[name].Data) {
			t.Fatalf("%s differs between two calls", name)
		}
	}
}

func benchmarkCheck(b *testing.B, n int) {
	fsys := Pack(n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if res := generator.Check(fsys, generator.Options{}); res.Diagnostics.HasErrors() {
			b.Fatal(res.Diagnostics)
		}
	}
}

func BenchmarkCheck1000(b *testing.B)  { benchmarkCheck(b, 1000) }
func BenchmarkCheck10000(b *testing.B) { benchmarkCheck(b, 10000) }

func benchmarkBuild(b *testing.B, n int) {
	fsys := Pack(n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if res := generator.Build(fsys, generator.Options{}); res.Output == nil {
			b.Fatal(res.Diagnostics)
		}
	}
}

func BenchmarkBuild1000(b *testing.B)  { benchmarkBuild(b, 1000) }
func BenchmarkBuild10000(b *testing.B) { benchmarkBuild(b, 10000) }
