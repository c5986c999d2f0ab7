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
	"strings"
	"syscall"

	"govpack/generator/diag"
)

// Exit statuses.
const (
	exitOK     = 0
	exitErrors = 1
	exitUsage  = 2
)

func main() {
	ctx, stop := notifyContext()
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// notifyContext returns a context that Ctrl-C (SIGINT) or SIGTERM, as a
// CI system sends to cancel a job, cancels: commands then remove what
// they were writing and stop. A second signal ends the process at once.
func notifyContext() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop)
	return ctx, stop
}

const usage = `govpack checks a governance pack and turns it into a static site.

Usage:
  govpack build [PACK] [-o DIR] [--zip FILE] [--strict]
        check the pack, then write the site (default PACK/public)
  govpack new DIR [--consortium NAME] [--profile NAME|FILE]
        write a starter pack holding every section of the profile as a marked stub
  govpack profile show [NAME]
        print a built-in profile (default alliance), to start one of your own
  govpack theme export DIR
        write the default theme to DIR, to copy into a pack's theme/ and change
  govpack schema [-o DIR] [--force]
        write JSON Schemas of the pack's TOML files, for editors that validate TOML
  govpack check [PACK] [--format text|json|sarif] [--strict]
        check the pack and write nothing
  govpack serve [PACK] [--addr 127.0.0.1:1313] [--poll]
        serve the site from memory, rebuild on every save, reload open pages
  govpack pdf [PACK] -o FILE [--chrome PATH] [--per-document]
        print the whole pack to a PDF with headless Chromium
  govpack verify SITE [--pack PACK]
        check a published site against its manifest.json
  govpack digest [PACK]
        print the pack digest, the text members sign to ratify a version
  govpack sign [PACK] --member ID --key KEY [--date YYYY-MM-DD]
        ratify the pack: sign its digest with ssh-keygen and record it
  govpack diff OLD NEW | govpack diff --git REV [PACK]  [--format text|html]
        compare two versions: clauses with a word-level redline, entities field by field

PACK is a directory holding govpack.toml (default: the current directory).
A directory holding govpack.work.toml is a workspace: build and check handle
every pack it lists, in parallel, with one summary line per pack.
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
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "pdf":
		return runPDF(ctx, args[1:], stdout, stderr)
	case "verify":
		return runVerify(args[1:], stdout, stderr)
	case "digest":
		return runDigest(args[1:], stdout, stderr)
	case "sign":
		return runSign(args[1:], stdout, stderr)
	case "diff":
		return runDiff(args[1:], stdout, stderr)
	case "new":
		return runNew(args[1:], stdout, stderr)
	case "profile":
		return runProfile(args[1:], stdout, stderr)
	case "theme":
		return runTheme(args[1:], stdout, stderr)
	case "schema":
		return runSchema(args[1:], stdout, stderr)
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
	// The flag package prints the usage itself on -h and on a bad flag;
	// print it once, here: to stdout when asked for, to stderr on a mistake.
	usage := fs.Usage
	fs.Usage = func() {}
	defer func() { fs.Usage = usage }()
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(stdout)
				usage()
				return "", exitOK, false
			}
			usage()
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

func containsArg(args []string, s string) bool {
	for _, a := range args {
		if a == s {
			return true
		}
	}
	return false
}

// version is the version govpack reports in SARIF logs.
const version = "0.1.0"

// strictly makes every warning an error, for --strict.
func strictly(l diag.List) diag.List {
	out := make(diag.List, len(l))
	for i, d := range l {
		if d.Severity == diag.Warning {
			d.Severity = diag.Error
		}
		out[i] = d
	}
	return out
}

// useColor reports whether w is a terminal that should get colour: never
// when NO_COLOR is set, as no-color.org asks.
func useColor(w io.Writer) bool {
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// parsePack parses a command's flags and its one directory argument, which
// must exist.
func parsePack(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (string, int, bool) {
	dir, status, ok := parse(fs, args, stdout, stderr)
	if !ok {
		return "", status, false
	}
	if status, ok := checkPackDir(dir, stderr); !ok {
		return "", status, false
	}
	return dir, exitOK, true
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

// report prints diagnostics and returns the exit status they call for.
func report(diags diag.List, stderr io.Writer) int {
	diag.WriteText(stderr, diags, useColor(stderr))
	if e, w, wv := diags.Count(); e+w+wv > 0 {
		fmt.Fprintf(stderr, "%d errors, %d warnings, %d waived\n", e, w, wv)
	}
	return exitStatus(diags)
}

// exitStatus is 2 for an I/O problem (a source that cannot be read, a
// site file that cannot be written), 1 for any other error, else 0.
func exitStatus(diags diag.List) int {
	status := exitOK
	for _, d := range diags {
		if d.Severity != diag.Error {
			continue
		}
		if strings.HasPrefix(d.Rule, "io/") || d.Rule == diag.RuleSiteWrite {
			return exitUsage
		}
		status = exitErrors
	}
	return status
}
