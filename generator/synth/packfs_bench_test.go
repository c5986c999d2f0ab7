//go:build linux

package synth

import (
	"io/fs"
	"os"
	"testing"

	"govpack/generator"
)

// BenchmarkReadDisk checks and builds the pack on disk through os.DirFS
// and through the os.Root the commands read a pack with, in turn, so
// that the cost of confining every read to the pack shows beside the
// same work unconfined.
func BenchmarkReadDisk(b *testing.B) {
	forSizes(b, func(b *testing.B, p *benchPack) {
		for _, fsys := range []struct {
			name string
			open func() (fs.FS, func())
		}{
			{"dirfs", func() (fs.FS, func()) { return os.DirFS(p.packDir()), func() {} }},
			{"root", func() (fs.FS, func()) {
				r, err := generator.OpenPack(p.packDir())
				if err != nil {
					b.Fatal(err)
				}
				return r, func() { r.Close() }
			}},
		} {
			b.Run("check/"+p.medium+"/"+fsys.name, func(b *testing.B) {
				loop(b, func() {
					f, done := fsys.open()
					defer done()
					if res := generator.Check(f, generator.Options{}); res.Diagnostics.HasErrors() {
						b.Fatal(res.Diagnostics)
					}
				})
			})
			b.Run("build/"+p.medium+"/"+fsys.name, func(b *testing.B) {
				loop(b, func() {
					f, done := fsys.open()
					defer done()
					if res := generator.Build(f, generator.Options{}); res.Output == nil {
						b.Fatal(res.Diagnostics)
					}
				})
			})
		}
	})
}
