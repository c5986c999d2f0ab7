// Command govpack checks a governance pack and turns it into a static site.
//
// Usage:
//
//	govpack build [PACK] [-o DIR]   check, then write the site (default PACK/public)
//	govpack check [PACK]            check only, write nothing
//
// Exit status: 0 success, 1 the pack has errors, 2 usage or I/O failure.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"govpack/generator"
	"govpack/generator/diag"
)

// Exit statuses.
const (
	exitOK     = 0
	exitErrors = 1
	exitUsage  = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `govpack checks a governance pack and turns it into a static site.

Usage:
  govpack build [PACK] [-o DIR]   check the pack, then write the site (default PACK/public)
  govpack check [PACK]            check the pack and write nothing

PACK is a directory holding govpack.toml (default: the current directory).
Run 'govpack COMMAND --help' for a command's options.

Exit status: 0 success, 1 the pack has errors, 2 usage or I/O failure.
`

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "build":
		return runBuild(ctx, args[1:], stdout, stderr)
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "govpack: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// parse parses a command's flags; flags may come before or after PACK.
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pack string, status int, ok bool) {
	fs.SetOutput(stderr)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(stdout)
				fs.Usage()
				return "", exitOK, false
			}
			return "", exitUsage, false
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch len(positional) {
	case 0:
		return ".", 0, true
	case 1:
		return positional[0], 0, true
	}
	fmt.Fprintf(stderr, "govpack %s: too many arguments: %s\n", fs.Name(), strings.Join(positional, " "))
	return "", exitUsage, false
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack check [PACK]\n\nChecks the pack in PACK (default: the current directory) and writes nothing.\n")
		fs.PrintDefaults()
	}
	pack, status, ok := parse(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if status, ok := checkPackDir(pack, stderr); !ok {
		return status
	}
	res := generator.Check(os.DirFS(pack), generator.Options{})
	status = report(res.Diagnostics, stderr)
	if status == exitOK {
		fmt.Fprintf(stdout, "%s: %d documents checked\n", pack, len(res.Pack.Docs))
	}
	return status
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	out := fs.String("o", "", "write the site to `DIR` (default PACK/public)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack build [PACK] [-o DIR]\n\nChecks the pack in PACK (default: the current directory) and, when it has no\nerrors, writes the site. The previous site is replaced only once the new one\nis complete.\n\n")
		fs.PrintDefaults()
	}
	pack, status, ok := parse(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if status, ok := checkPackDir(pack, stderr); !ok {
		return status
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join(pack, "public")
	}
	skip, err := generator.OutputDir(pack, dir)
	if err != nil {
		fmt.Fprintf(stderr, "govpack build: %v\n", err)
		return exitUsage
	}
	start := time.Now()
	res := generator.Build(os.DirFS(pack), generator.Options{SkipDir: skip})
	if status := report(res.Diagnostics, stderr); status != exitOK {
		fmt.Fprintf(stderr, "govpack build: the site was not written\n")
		return status
	}
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "govpack build: interrupted; the site was not written\n")
		return exitUsage
	}
	if err := generator.Write(res.Output, dir); err != nil {
		fmt.Fprintf(stderr, "govpack build: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "wrote %d files (%d documents) to %s in %v\n", len(res.Output), len(res.Pack.Docs), dir, time.Since(start).Round(time.Millisecond))
	return exitOK
}

// checkPackDir reports a pack path that is not a directory as a usage error.
func checkPackDir(pack string, stderr io.Writer) (int, bool) {
	fi, err := os.Stat(pack)
	if err != nil {
		fmt.Fprintf(stderr, "govpack: %v\n", err)
		return exitUsage, false
	}
	if !fi.IsDir() {
		fmt.Fprintf(stderr, "govpack: %s is not a directory\n", pack)
		return exitUsage, false
	}
	return 0, true
}

// report prints diagnostics and returns the exit status they call for:
// an I/O problem is exit 2, any other error exit 1.
func report(diags diag.List, stderr io.Writer) int {
	fmt.Fprint(stderr, diags.String())
	status := exitOK
	for _, d := range diags {
		if d.Severity != diag.Error {
			continue
		}
		if strings.HasPrefix(d.Rule, "io/") {
			return exitUsage
		}
		status = exitErrors
	}
	if errs, warns := diags.Count(); errs+warns > 0 {
		fmt.Fprintf(stderr, "%d errors, %d warnings\n", errs, warns)
	}
	return status
}
