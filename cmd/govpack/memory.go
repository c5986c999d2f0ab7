package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// Go's collector lets the heap grow to twice what is live before it
// collects, and a build's live heap peaks only at its end, so a build
// would use about twice the memory it needs. boundHeap gives the build of
// the pack in dir a soft memory limit instead, unless the user set one
// (GOMEMLIMIT, "off" included): an allowance plus a multiple of the bytes
// of Markdown and TOML. Measured, the live heap peaks at 2.7 times the
// sources of a generated pack of 10,000 documents and at 3.2 times those
// of 1,000, where the allowance covers the difference. The limit is soft:
// a pack that needs more gets it, the collector then working harder (Go
// caps that at half the CPU) rather than the build failing.
//
// Under that limit the collector need not also run each time the heap
// doubles (GOGC): a build's live heap is a third of the limit for most of
// it, so that rule alone would collect twice as often as the limit asks,
// for no memory saved (the peak is the limit either way). Measured on
// 10,000 documents: a sixteenth of the CPU less, the same peak. A GOGC the
// user set is left alone.
func boundHeap(dir string) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return
	}
	debug.SetMemoryLimit(heapAllowance + heapPerSourceByte*sourceBytes(dir))
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(-1)
	}
}

const (
	heapAllowance     = 64 << 20
	heapPerSourceByte = 4
)

// sourceBytes adds up the sizes of the Markdown and TOML files under dir,
// archived versions included, the output and dot-directories left out.
func sourceBytes(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "public") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".toml") {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
