package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"govpack/generator"
	"govpack/generator/markdown"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	out := fs.String("o", "", "write the site to `DIR` (default PACK/public)")
	zipFile := fs.String("zip", "", "write the site as a zip archive to `FILE` (instead of a directory, unless -o is given too)")
	strict := fs.Bool("strict", false, "treat warnings as errors")
	timings := fs.Bool("timings", false, "print how long each stage of the build took")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack build [PACK] [-o DIR] [--zip FILE] [--strict] [--timings]\n\nChecks the pack in PACK (default: the current directory) and, when it has no\nerrors, writes the site. The previous site is replaced only once the new one\nis complete. --zip writes a zip that works when unpacked and opened from the\nfile system, for handing a pack over. --timings prints, after the build, how\nlong each stage took.\n\n")
		fs.PrintDefaults()
	}
	pack, status, ok := parsePack(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if isWorkspace(pack) {
		if *zipFile != "" {
			fmt.Fprintf(stderr, "govpack build: --zip takes one pack, not a workspace\n")
			return exitUsage
		}
		if *timings {
			fmt.Fprintf(stderr, "govpack build: --timings takes one pack, not a workspace\n")
			return exitUsage
		}
		return runWorkspace(ctx, pack, workspaceOptions{build: true, out: *out, strict: *strict}, stdout, stderr)
	}
	opts := buildOptions{dir: *out, zip: *zipFile, strict: *strict, timings: *timings, start: time.Now()}
	if opts.dir == "" {
		opts.dir = filepath.Join(pack, "public")
	}
	if opts.zip == "" {
		// Streamed to dir, the site never sits in memory whole; a zip is
		// made from a site in memory.
		boundHeap(pack)
		return buildToDir(ctx, pack, opts, stdout, stderr)
	}
	return buildZip(ctx, pack, opts, *out != "", stdout, stderr)
}

// buildOptions are the flags of one pack's build.
type buildOptions struct {
	dir     string // where the site goes
	zip     string // the zip file to write, if any
	strict  bool
	timings bool      // print how long each stage took
	start   time.Time // when the command began
}

// buildZip builds the pack in memory and writes it as a zip, and into the
// directory too when alsoDir.
func buildZip(ctx context.Context, pack string, opts buildOptions, alsoDir bool, stdout, stderr io.Writer) int {
	res, status := buildSite("build", pack, opts.dir, "the site", opts.strict, stderr)
	if res == nil {
		return status
	}
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "govpack build: interrupted; the site was not written\n")
		return exitUsage
	}
	writing := time.Now()
	root := zipRoot(opts.zip)
	if err := generator.WriteZip(res.Output, opts.zip, root); err != nil {
		fmt.Fprintf(stderr, "govpack build: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "wrote %d files (%d documents) to %s, in the folder %s/\n", len(res.Output), len(res.Pack.Docs), opts.zip, root)
	if alsoDir {
		if err := generator.Write(res.Output, opts.dir); err != nil {
			fmt.Fprintf(stderr, "govpack build: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "wrote %d files (%d documents) to %s in %v\n", len(res.Output), len(res.Pack.Docs), opts.dir, time.Since(opts.start).Round(time.Millisecond))
	}
	if opts.timings {
		printTimings(stdout, withWrite(res.Timings, time.Since(writing)))
	}
	return exitOK
}

// buildToDir builds the pack into opts.dir, writing each file as the
// build makes it (a large site never sits in memory whole) into a
// directory that replaces opts.dir only when the build succeeded.
func buildToDir(ctx context.Context, pack string, opts buildOptions, stdout, stderr io.Writer) int {
	dir, strict := opts.dir, opts.strict
	skip, err := generator.OutputDir(pack, dir)
	if err != nil {
		fmt.Fprintf(stderr, "govpack build: %v\n", err)
		return exitUsage
	}
	site, err := generator.CreateSiteDir(dir)
	if err != nil {
		fmt.Fprintf(stderr, "govpack build: %v\n", err)
		return exitUsage
	}
	// On a signal the half-written site goes at once, not when the build
	// ends: the process may not live that long.
	stopAbort := context.AfterFunc(ctx, site.Abort)
	defer stopAbort()
	store, storeFile := openHighlightStore(pack)
	defer store.Close()
	res := generator.Build(packFS(pack), options(generator.Options{SkipDir: skip, Files: site, Highlights: store}))
	if ctx.Err() != nil {
		site.Abort() // again: a write under way during the first may have left a file
		fmt.Fprintf(stderr, "govpack build: interrupted; the site was not written\n")
		return exitUsage
	}
	diags := res.Diagnostics
	if strict {
		diags = strictly(diags)
	}
	if status := report(diags, stderr); status != exitOK || res.Output == nil {
		site.Abort()
		fmt.Fprintf(stderr, "govpack build: the site was not written\n")
		return status
	}
	if !stopAbort() {
		site.Abort()
		fmt.Fprintf(stderr, "govpack build: interrupted; the site was not written\n")
		return exitUsage
	}
	committing := time.Now()
	if err := site.Commit(); err != nil {
		fmt.Fprintf(stderr, "govpack build: %v\n", err)
		return exitUsage
	}
	timings := withWrite(res.Timings, time.Since(committing))
	saveHighlightStore(store, storeFile, "build", stderr)
	fmt.Fprintf(stdout, "wrote %d files (%d documents) to %s in %v\n", res.Files, len(res.Pack.Docs), dir, time.Since(opts.start).Round(time.Millisecond))
	if opts.timings {
		printTimings(stdout, timings)
	}
	return exitOK
}

// withWrite adds d, the time the command took to write the site after
// the build, to timings: to the last stage when the build wrote as it
// rendered, else as a write stage of its own.
func withWrite(timings []generator.StageTime, d time.Duration) []generator.StageTime {
	if n := len(timings); n > 0 && timings[n-1].Stage == generator.StageRenderWrite {
		timings[n-1].Duration += d
		return timings
	}
	return append(timings, generator.StageTime{Stage: generator.StageWrite, Duration: d})
}

// timingUnit is what printTimings rounds each stage to before it adds
// them up, so that the printed stages add up to the printed total.
const timingUnit = 10 * time.Microsecond

// printTimings prints how long each stage took, in milliseconds, and its
// share of the whole, as a table that ends with the total.
func printTimings(w io.Writer, timings []generator.StageTime) {
	var total time.Duration
	rounded := make([]time.Duration, len(timings))
	for i, st := range timings {
		rounded[i] = st.Duration.Round(timingUnit)
		total += rounded[i]
	}
	share := func(d time.Duration) float64 {
		if total == 0 {
			return 0
		}
		return 100 * float64(d) / float64(total)
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	fmt.Fprintf(w, "%-14s %10s %7s\n", "stage", "ms", "share")
	for i, st := range timings {
		fmt.Fprintf(w, "%-14s %10.2f %6.1f%%\n", st.Stage, ms(rounded[i]), share(rounded[i]))
	}
	fmt.Fprintf(w, "%-14s %10.2f %6.1f%%\n", "total", ms(total), share(total))
}

// buildSite builds the pack for a command that writes what (into or
// from outDir, which is then not a source) and reports the diagnostics.
// It returns no result when the pack has errors.
func buildSite(cmd, pack, outDir, what string, strict bool, stderr io.Writer) (*generator.Result, int) {
	skip, err := generator.OutputDir(pack, outDir)
	if err != nil {
		fmt.Fprintf(stderr, "govpack %s: %v\n", cmd, err)
		return nil, exitUsage
	}
	store, storeFile := openHighlightStore(pack)
	defer store.Close()
	res := generator.Build(packFS(pack), options(generator.Options{SkipDir: skip, Highlights: store}))
	diags := res.Diagnostics
	if strict {
		diags = strictly(diags)
	}
	if status := report(diags, stderr); status != exitOK || res.Output == nil {
		fmt.Fprintf(stderr, "govpack %s: %s was not written\n", cmd, what)
		return nil, status
	}
	saveHighlightStore(store, storeFile, cmd, stderr)
	return res, exitOK
}

// plainEnv, set to 1, makes every build and check plain (see
// generator.Options.Plain): the same site, made without the fast paths,
// to tell a fault of one from a fault of the libraries.
const plainEnv = "GOVPACK_PLAIN"

// options returns o as the environment adjusts it.
func options(o generator.Options) generator.Options {
	o.Plain = os.Getenv(plainEnv) == "1"
	return o
}

// cacheEnv names the directory where builds keep highlighted code for the
// next build of the same pack ("off": keep none). The default is govpack/
// in the user's cache directory.
const cacheEnv = "GOVPACK_CACHE"

// openHighlightStore opens the highlight store of the pack in dir, or
// returns nil when there is none to use.
func openHighlightStore(pack string) (*markdown.HighlightStore, string) {
	dir := os.Getenv(cacheEnv)
	if dir == "off" {
		return nil, ""
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, ""
		}
		dir = filepath.Join(base, "govpack")
	}
	abs, err := filepath.Abs(pack)
	if err != nil {
		return nil, ""
	}
	sum := sha256.Sum256([]byte(abs))
	file := filepath.Join(dir, "highlights-"+hex.EncodeToString(sum[:8]))
	return markdown.OpenHighlightStore(file), file
}

// saveHighlightStore saves what the build highlighted for the next one; a
// store that cannot be saved costs time later, so it is only a note.
func saveHighlightStore(store *markdown.HighlightStore, file, cmd string, stderr io.Writer) {
	if store == nil {
		return
	}
	if err := store.Save(file); err != nil {
		fmt.Fprintf(stderr, "govpack %s: highlighted code not kept for the next build: %v (set %s=off to stop trying)\n", cmd, err, cacheEnv)
	}
}

// zipRoot is the folder a zip's entries go under: the file's name without
// .zip, or "site" when that is no plain folder name ("...zip", ".zip"),
// so that unpacking never writes beside or above the folder.
func zipRoot(file string) string {
	root := strings.TrimSuffix(filepath.Base(file), ".zip")
	if root == "" || strings.HasPrefix(root, ".") || strings.ContainsAny(root, "/\\\x00") {
		return "site"
	}
	return root
}
