// Command synthpack writes a generated pack of N documents to a directory,
// or, with -hugo, the same documents as a Hugo site, to compare the two
// generators on identical Markdown (-hugo-full: with layouts that also make
// a print page, a search index and each page's table of contents):
//
//	go run ./generator/synth/cmd/synthpack -n 10000 /dev/shm/pack
//	go run ./generator/synth/cmd/synthpack -n 10000 -hugo /dev/shm/hugo
//	govpack build /dev/shm/pack -o /dev/shm/pack-site
//	hugo --quiet -s /dev/shm/hugo -d /dev/shm/hugo-site
package main

import (
	"flag"
	"fmt"
	"os"

	"govpack/generator/synth"
)

func main() {
	n := flag.Int("n", 1000, "number of documents")
	hugo := flag.Bool("hugo", false, "write a Hugo site with the same documents")
	hugoFull := flag.Bool("hugo-full", false, "write a Hugo site with the same documents and layouts that make much of what a govpack site has (see synth.HugoFull)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: synthpack [-n N] [-hugo | -hugo-full] DIR\n\nWrites a generated governance pack of N documents to DIR, which must not\nexist, or with -hugo the same documents as a Hugo site (-hugo-full: with\nlayouts that also make a print page, a search index and tables of contents).\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	dir := flag.Arg(0)
	if _, err := os.Stat(dir); err == nil {
		fmt.Fprintf(os.Stderr, "synthpack: %s exists; give a new directory\n", dir)
		os.Exit(2)
	}
	fsys := synth.Pack(*n)
	switch {
	case *hugoFull:
		fsys = synth.HugoFull(*n)
	case *hugo:
		fsys = synth.Hugo(*n)
	}
	if err := synth.Write(fsys, dir); err != nil {
		fmt.Fprintf(os.Stderr, "synthpack: %v\n", err)
		os.Exit(1)
	}
}
