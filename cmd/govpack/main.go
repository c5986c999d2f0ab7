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
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"govpack/generator"
	"govpack/generator/diag"
	"govpack/generator/markdown"
	"govpack/generator/profile"
	"govpack/generator/serve"
	"govpack/generator/sshsig"
	"govpack/generator/watch"
	"govpack/themes"
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
  govpack build [PACK] [-o DIR] [--zip FILE] [--strict]
        check the pack, then write the site (default PACK/public)
  govpack new DIR [--consortium NAME] [--profile NAME|FILE]
        write a starter pack holding every section of the profile as a marked stub
  govpack profile show [NAME]
        print a built-in profile (default alliance), to start one of your own
  govpack theme export DIR
        write the default theme to DIR, to copy into a pack's theme/ and change
  govpack schema [-o DIR]
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

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	format := fs.String("format", "text", "print findings as `text`, json or sarif")
	strict := fs.Bool("strict", false, "treat warnings as errors")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack check [PACK] [--format text|json|sarif] [--strict]\n\nChecks the pack in PACK (default: the current directory) and writes nothing.\nFindings go to standard output, followed by the coverage of the profile.\n\n")
		fs.PrintDefaults()
	}
	pack, status, ok := parse(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if *format != "text" && *format != "json" && *format != "sarif" {
		fmt.Fprintf(stderr, "govpack check: unknown format %q; use text, json or sarif\n", *format)
		return exitUsage
	}
	if status, ok := checkPackDir(pack, stderr); !ok {
		return status
	}
	if isWorkspace(pack) {
		if *format == "json" {
			fmt.Fprintf(stderr, "govpack check: a workspace prints text or sarif; run --format json in each pack\n")
			return exitUsage
		}
		return runWorkspace(context.Background(), pack, workspaceOptions{strict: *strict, format: *format}, stdout, stderr)
	}
	res := generator.Check(packFS(pack), generator.Options{})
	diags := res.Diagnostics
	if *strict {
		diags = strictly(diags)
	}
	switch *format {
	case "json":
		out := struct {
			Diagnostics []diag.JSONDiagnostic `json:"diagnostics"`
			Summary     map[string]int        `json:"summary"`
			Coverage    []jsonPillar          `json:"coverage"`
		}{Diagnostics: diags.JSON(), Coverage: jsonCoverage(res.Coverage)}
		e, w, wv := diags.Count()
		out.Summary = map[string]int{"errors": e, "warnings": w, "waived": wv, "documents": len(res.Pack.Docs)}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "govpack check: %v\n", err)
			return exitUsage
		}
	case "sarif":
		if err := diag.WriteSARIF(stdout, diags, diag.Tool{Name: "govpack", Version: version, Rules: generator.Rules}); err != nil {
			fmt.Fprintf(stderr, "govpack check: %v\n", err)
			return exitUsage
		}
	default:
		diag.WriteText(stdout, diags, useColor(stdout))
		printCoverage(stdout, res.Coverage)
		e, w, wv := diags.Count()
		fmt.Fprintf(stdout, "%s: %d documents, %d errors, %d warnings, %d waived\n", pack, len(res.Pack.Docs), e, w, wv)
	}
	return exitStatus(diags)
}

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	pack := fs.String("pack", "", "also check that the site was built from the pack in `DIR`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack verify SITE [--pack PACK]\n\nRecomputes the SHA-256 of every file of the site in SITE and compares them\nwith its manifest.json: files modified, removed or added are reported with\nthe expected and actual hashes. Exit status 0 only when everything matches.\n\n")
		fs.PrintDefaults()
	}
	site, status, ok := parse(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if status, ok := checkPackDir(site, stderr); !ok {
		return status
	}
	v, err := generator.Verify(os.DirFS(site))
	if err != nil {
		fmt.Fprintf(stderr, "govpack verify: %v\n", err)
		return exitUsage
	}
	if *pack != "" {
		if status, ok := checkPackDir(*pack, stderr); !ok {
			return status
		}
		res := generator.Check(packFS(*pack), generator.Options{})
		if res.Diagnostics.HasErrors() {
			diag.WriteText(stderr, res.Diagnostics, useColor(stderr))
			fmt.Fprintf(stderr, "govpack verify: the pack %s has errors\n", *pack)
			return exitErrors
		}
		if res.Pack.Digest != v.Manifest.PackDigest {
			v.Discrepancies = append(v.Discrepancies, generator.Discrepancy{Kind: "manifest", Problem: fmt.Sprintf("the site was built from pack digest %s; the pack %s has %s", v.Manifest.PackDigest, *pack, res.Pack.Digest)})
		}
	}
	for _, d := range v.Discrepancies {
		fmt.Fprintln(stdout, d)
	}
	if len(v.Discrepancies) > 0 {
		fmt.Fprintf(stdout, "%s does not verify: %d discrepancies in %d listed files\n", site, len(v.Discrepancies), v.Files)
		return exitErrors
	}
	fmt.Fprintf(stdout, "%s verifies: %d files match manifest.json (pack digest %s)\n", site, v.Files, v.Manifest.PackDigest)
	return exitOK
}

// loadDigest checks the pack enough to compute its digest.
func loadDigest(pack string, stderr io.Writer) (*generator.Result, int, bool) {
	if status, ok := checkPackDir(pack, stderr); !ok {
		return nil, status, false
	}
	res := generator.Check(packFS(pack), generator.Options{})
	for _, d := range res.Diagnostics {
		if d.Severity == diag.Error && !profile.Governs(d.Rule) {
			diag.WriteText(stderr, res.Diagnostics, useColor(stderr))
			fmt.Fprintf(stderr, "govpack: %s does not load cleanly; its digest would not mean what it says\n", pack)
			return nil, exitStatus(res.Diagnostics), false
		}
	}
	return res, exitOK, true
}

func runDigest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack digest [PACK]\n\nPrints the pack digest: the SHA-256 of the governance sources that members\nsign to ratify a version (see the README for how to recompute it).\n")
	}
	pack, status, ok := parse(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	res, status, ok := loadDigest(pack, stderr)
	if !ok {
		return status
	}
	fmt.Fprintln(stdout, res.Pack.Digest)
	return exitOK
}

func runSign(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	member := fs.String("member", "", "the member ratifying (its id)")
	key := fs.String("key", "", "the member's private SSH key `FILE`, as ssh-keygen -f takes it")
	date := fs.String("date", time.Now().UTC().Format("2006-01-02"), "the date of the ratification, `YYYY-MM-DD`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack sign [PACK] --member ID --key KEY [--date YYYY-MM-DD]\n\nRatifies the pack for a member: signs the pack digest with\n  ssh-keygen -Y sign -f KEY -n govpack\nand records the signature in PACK/ratifications.toml. The private key never\nleaves ssh-keygen. Anyone can check the signature with ssh-keygen -Y verify.\n\n")
		fs.PrintDefaults()
	}
	pack, status, ok := parse(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if *member == "" || *key == "" {
		fmt.Fprintf(stderr, "govpack sign: --member and --key are required\n")
		return exitUsage
	}
	day, err := time.Parse("2006-01-02", *date)
	if err != nil {
		fmt.Fprintf(stderr, "govpack sign: --date %q is not a date such as 2026-03-01\n", *date)
		return exitUsage
	}
	res, status, ok := loadDigest(pack, stderr)
	if !ok {
		return status
	}
	known := false
	for _, m := range res.Pack.Data.Members {
		known = known || m.ID == *member
	}
	if !known {
		fmt.Fprintf(stderr, "govpack sign: no member %q in %s\n", *member, pack)
		return exitUsage
	}
	pub, err := exec.Command("ssh-keygen", "-y", "-f", *key).Output()
	if err != nil {
		fmt.Fprintf(stderr, "govpack sign: ssh-keygen -y -f %s: %v (is openssh-client installed?)\n", *key, err)
		return exitUsage
	}
	cmd := exec.Command("ssh-keygen", "-Y", "sign", "-f", *key, "-n", sshsig.Namespace)
	cmd.Stdin = strings.NewReader(res.Pack.Digest)
	var sig, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &sig, &errb
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(stderr, "govpack sign: ssh-keygen -Y sign: %v\n%s", err, errb.String())
		return exitUsage
	}
	file := filepath.Join(pack, generator.RatificationsFile)
	old, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "govpack sign: %v\n", err)
		return exitUsage
	}
	r := generator.Ratification{Member: *member, Digest: res.Pack.Digest, PublicKey: strings.TrimSpace(string(pub)), Signature: sig.String()}
	r.Date.Year, r.Date.Month, r.Date.Day = day.Date()
	updated, diags := generator.UpdateRatifications(old, r)
	if diags.HasErrors() {
		diag.WriteText(stderr, diags, useColor(stderr))
		return exitErrors
	}
	if err := os.WriteFile(file, updated, 0o644); err != nil {
		fmt.Fprintf(stderr, "govpack sign: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "%s ratified %s (%s) in %s\n", *member, pack, res.Pack.Digest, file)
	return exitOK
}

func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	rev := fs.String("git", "", "take the old version of PACK from git revision `REV`")
	format := fs.String("format", "text", "print the differences as `text` or html (a redline page)")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack diff OLD NEW [--format text|html]\n       govpack diff --git REV [PACK] [--format text|html]\n\nCompares two versions of a pack: clauses added, removed and changed, with a\nword-level redline, and governance entities field by field. When the new\nversion records an [[amendment]] for its version, its changes are compared\nwith the actual ones; a mismatch is exit status 1.\n\n")
		fs.PrintDefaults()
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK
			}
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if *format != "text" && *format != "html" {
		fmt.Fprintf(stderr, "govpack diff: unknown format %q; use text or html\n", *format)
		return exitUsage
	}
	var oldDir, newDir string
	switch {
	case *rev != "" && len(positional) <= 1:
		newDir = "."
		if len(positional) == 1 {
			newDir = positional[0]
		}
		dir, err := gitCheckout(newDir, *rev, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "govpack diff: %v\n", err)
			return exitUsage
		}
		defer os.RemoveAll(dir)
		oldDir = dir
	case *rev == "" && len(positional) == 2:
		oldDir, newDir = positional[0], positional[1]
	default:
		fs.Usage()
		return exitUsage
	}
	var packs [2]*generator.Result
	for i, dir := range []string{oldDir, newDir} {
		res, status, ok := loadDigest(dir, stderr)
		if !ok {
			return status
		}
		packs[i] = res
	}
	changes := generator.Diff(packs[0].Pack, packs[1].Pack)
	if *format == "html" {
		title := fmt.Sprintf("Changes from version %s to %s", orUnknown(packs[0].Pack.Settings.Version), orUnknown(packs[1].Pack.Settings.Version))
		fmt.Fprint(stdout, generator.FormatChangesHTML(title, changes))
	} else {
		fmt.Fprint(stdout, generator.FormatChanges(changes))
		fmt.Fprintf(stdout, "%d changes\n", len(changes))
	}
	if problems := generator.CheckAmendment(packs[1].Pack, changes); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "amendment: %s\n", p)
		}
		return exitErrors
	}
	return exitOK
}

func orUnknown(v string) string {
	if v == "" {
		return "(unversioned)"
	}
	return v
}

// gitCheckout writes the pack in dir as it was at revision rev into a new
// temporary directory, with git archive.
func gitCheckout(dir, rev string, stderr io.Writer) (string, error) {
	tmp, err := os.MkdirTemp("", "govpack-diff-")
	if err != nil {
		return "", err
	}
	// "REV:path" names a tree by its path from the top of the repository,
	// and git archive must run there: from a subdirectory it would apply
	// the subdirectory twice.
	where, err := exec.Command("git", "-C", dir, "rev-parse", "--show-toplevel", "--show-prefix").Output()
	lines := strings.Split(strings.TrimRight(string(where), "\n"), "\n")
	if err != nil || len(lines) < 1 {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("%s is not in a git repository: %v", dir, err)
	}
	prefix := ""
	if len(lines) > 1 {
		prefix = lines[1]
	}
	cmd := exec.Command("git", "-C", lines[0], "archive", "--format=tar", rev+":"+prefix)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("git archive %s: %v: %s", rev, err, strings.TrimSpace(errb.String()))
	}
	tr := tar.NewReader(&out)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			os.RemoveAll(tmp)
			return "", err
		}
		name := filepath.FromSlash(h.Name)
		if !filepath.IsLocal(name) {
			continue // git archive never writes such names; be safe all the same
		}
		target := filepath.Join(tmp, name)
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(target, 0o755)
		case tar.TypeReg:
			if err = os.MkdirAll(filepath.Dir(target), 0o755); err == nil {
				var b []byte
				if b, err = io.ReadAll(tr); err == nil {
					err = os.WriteFile(target, b, 0o644)
				}
			}
		}
		if err != nil {
			os.RemoveAll(tmp)
			return "", err
		}
	}
	return tmp, nil
}

func runNew(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	consortium := fs.String("consortium", "", "the consortium's `NAME`, filled into the pack")
	profileFile := fs.String("profile", "", "use the built-in profile `NAME` (iso23635), or the profile in FILE (copied into the pack), instead of alliance")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack new DIR [--consortium NAME] [--profile NAME|FILE]\n\nWrites a starter pack into DIR, which must be empty or absent: govpack.toml\nwith every setting explained, a TOML file per entity kind with a worked\nexample, and one document per profile item holding the %s marker.\n`govpack check DIR` then lists one finding per unwritten item.\n\n", generator.PlaceholderMarker)
		fs.PrintDefaults()
	}
	dir, status, ok := parse(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(args) == 0 || dir == "." && !containsArg(args, ".") {
		fmt.Fprintf(stderr, "govpack new: name the directory to create\n")
		return exitUsage
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fmt.Fprintf(stderr, "govpack new: %s is not empty; a starter pack goes into a new or empty directory\n", dir)
		return exitUsage
	}
	prof, _ := profile.Builtin("alliance")
	files := map[string][]byte{}
	packProfile := ""
	if builtin, ok := profile.Builtin(*profileFile); ok && !strings.HasSuffix(*profileFile, ".toml") {
		prof = builtin
	} else if *profileFile != "" {
		src, err := os.ReadFile(*profileFile)
		if err != nil {
			fmt.Fprintf(stderr, "govpack new: %v\n", err)
			return exitUsage
		}
		p, diags := profile.Parse(filepath.Base(*profileFile), src)
		if diags.HasErrors() {
			diag.WriteText(stderr, diags, useColor(stderr))
			return exitErrors
		}
		prof, packProfile = p, "profile.toml"
		files[packProfile] = src
	}
	for name, b := range generator.Scaffold(prof, packProfile, *consortium) {
		files[name] = b
	}
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			fmt.Fprintf(stderr, "govpack new: %v\n", err)
			return exitUsage
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			fmt.Fprintf(stderr, "govpack new: %v\n", err)
			return exitUsage
		}
	}
	fmt.Fprintf(stdout, "wrote a starter pack of %d files to %s; run govpack check %s to see what is left to write\n", len(names), dir, dir)
	return exitOK
}

func runProfile(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "show" || len(args) > 2 {
		fmt.Fprintf(stderr, "Usage: govpack profile show [NAME]\n\nPrints a built-in profile (default alliance; also iso23635) in the format\nof a profile file.\n")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	name := "alliance"
	if len(args) == 2 {
		name = args[1]
	}
	src, ok := profile.BuiltinSource(name)
	if !ok {
		fmt.Fprintf(stderr, "govpack profile: no built-in profile %q; the built-in ones are %s\n", name, strings.Join(slices.Sorted(maps.Keys(profile.BuiltinNames())), ", "))
		return exitUsage
	}
	stdout.Write(src)
	return exitOK
}

func runTheme(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 || args[0] != "export" {
		fmt.Fprintf(stderr, "Usage: govpack theme export DIR\n\nWrites the default theme (templates/ and assets/) to DIR. Copy the files you\nwant to change into a pack's theme/ directory: each replaces the default file\nof the same path.\n")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	dir := args[1]
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fmt.Fprintf(stderr, "govpack theme: %s is not empty\n", dir)
		return exitUsage
	}
	root, _ := iofs.Sub(themes.Default, "default")
	if err := os.CopyFS(dir, root); err != nil {
		fmt.Fprintf(stderr, "govpack theme: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "wrote the default theme to %s\n", dir)
	return exitOK
}

func containsArg(args []string, s string) bool {
	for _, a := range args {
		if a == s {
			return true
		}
	}
	return false
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:1313", "listen on `ADDR` (loopback by default)")
	poll := fs.Bool("poll", false, "poll for changes instead of using file notifications")
	open := fs.Bool("open", false, "open the site in the default browser")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack serve [PACK] [--addr 127.0.0.1:1313] [--poll] [--open]\n\nBuilds the pack in memory and serves it. Every save rebuilds it; open pages\nreload when their bytes change. A save that breaks the pack keeps the last\ngood site and shows the diagnostics over every page until it is fixed. It\nruns the same checks as govpack check. Nothing is written to disk.\n\n")
		fs.PrintDefaults()
	}
	pack, status, ok := parsePack(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	store, storeFile := openHighlightStore(pack)
	srv := serve.New(packFS(pack), generator.Options{Preview: true, Highlights: store})
	printRebuild := func(what string, r serve.Result) {
		if r.Failed {
			diag.WriteText(stderr, r.Diags, useColor(stderr))
			fmt.Fprintf(stdout, "%s: the pack has errors; serving the last good build (%d ms)\n", what, r.Duration.Milliseconds())
			return
		}
		diag.WriteText(stderr, r.Diags, useColor(stderr))
		fmt.Fprintf(stdout, "%s: %d pages changed, %d ms\n", what, len(r.Changed), r.Duration.Milliseconds())
	}
	printRebuild("built", srv.Rebuild(nil))
	// Keep the first build's code for the next start, and on the way out
	// what the edits highlighted.
	saved := make(chan struct{})
	go func() { saveHighlightStore(store, storeFile, "serve", stderr); close(saved) }()
	defer func() { <-saved; saveHighlightStore(store, storeFile, "serve", stderr) }()

	w, err := watch.New(pack, watch.Options{Poll: *poll})
	if err != nil {
		fmt.Fprintf(stderr, "govpack serve: %v\n", err)
		return exitUsage
	}
	defer w.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "govpack serve: %v\n", err)
		return exitUsage
	}
	// Requests live in ctx, so that open event streams end with the server.
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	go hs.Serve(ln)
	fmt.Fprintf(stdout, "serving %s at http://%s/ (Ctrl-C to stop)\n", pack, ln.Addr())
	if *open {
		if err := openBrowser(fmt.Sprintf("http://%s/", ln.Addr())); err != nil {
			fmt.Fprintf(stderr, "govpack serve: --open: %v; open the address above yourself\n", err)
		}
	}
	for {
		select {
		case <-ctx.Done():
			shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			hs.Shutdown(shutdown)
			return exitOK
		case note := <-w.Notes():
			fmt.Fprintf(stderr, "govpack serve: %s\n", note)
		case batch := <-w.Batches():
			what := strings.Join(batch, ", ")
			if len(batch) > 3 {
				what = fmt.Sprintf("%s and %d more", strings.Join(batch[:3], ", "), len(batch)-3)
			}
			printRebuild(what, srv.Rebuild(batch))
		}
	}
}

// openBrowser opens url with the desktop's opener, without waiting for it.
func openBrowser(url string) error {
	name, args := "xdg-open", []string{url}
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler", url}
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("no %s to open a browser with", name)
	}
	cmd := exec.Command(path, args...)
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it; whether a browser came up is the desktop's affair
	return nil
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

// printCoverage prints the coverage of the profile, pillar by pillar.
func printCoverage(w io.Writer, c generator.Coverage) {
	if c.Profile == nil {
		return
	}
	fmt.Fprintln(w, c.Summary())
	for _, pc := range c.Pillars {
		fmt.Fprintf(w, "  %-28s %2d covered  %2d waived  %2d missing\n", pc.Pillar.Title, pc.Covered, pc.Waived, pc.Missing)
	}
}

type jsonItem struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Where  string `json:"where,omitempty"`
	Reason string `json:"reason,omitempty"`
}

type jsonPillar struct {
	ID      string     `json:"id"`
	Title   string     `json:"title"`
	Covered int        `json:"covered"`
	Waived  int        `json:"waived"`
	Missing int        `json:"missing"`
	Items   []jsonItem `json:"items"`
}

func jsonCoverage(c generator.Coverage) []jsonPillar {
	out := []jsonPillar{}
	for _, pc := range c.Pillars {
		jp := jsonPillar{ID: pc.Pillar.ID, Title: pc.Pillar.Title, Covered: pc.Covered, Waived: pc.Waived, Missing: pc.Missing, Items: []jsonItem{}}
		for _, it := range pc.Items {
			jp.Items = append(jp.Items, jsonItem{ID: it.Item.ID, Status: it.Status, Where: it.Where.URL, Reason: it.Reason})
		}
		out = append(out, jp)
	}
	return out
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	out := fs.String("o", "", "write the site to `DIR` (default PACK/public)")
	zipFile := fs.String("zip", "", "write the site as a zip archive to `FILE` (instead of a directory, unless -o is given too)")
	strict := fs.Bool("strict", false, "treat warnings as errors")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack build [PACK] [-o DIR] [--zip FILE] [--strict]\n\nChecks the pack in PACK (default: the current directory) and, when it has no\nerrors, writes the site. The previous site is replaced only once the new one\nis complete. --zip writes a zip that works when unpacked and opened from the\nfile system, for handing a pack over.\n\n")
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
		return runWorkspace(ctx, pack, workspaceOptions{build: true, out: *out, strict: *strict}, stdout, stderr)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join(pack, "public")
	}
	start := time.Now()
	if *zipFile == "" {
		return buildToDir(ctx, pack, dir, *strict, start, stdout, stderr)
	}
	res, status := buildSite("build", pack, dir, "the site", *strict, stderr)
	if res == nil {
		return status
	}
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "govpack build: interrupted; the site was not written\n")
		return exitUsage
	}
	if *zipFile != "" {
		root := strings.TrimSuffix(filepath.Base(*zipFile), ".zip")
		if err := generator.WriteZip(res.Output, *zipFile, root); err != nil {
			fmt.Fprintf(stderr, "govpack build: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "wrote %d files (%d documents) to %s, in the folder %s/\n", len(res.Output), len(res.Pack.Docs), *zipFile, root)
		if *out == "" {
			return exitOK
		}
	}
	if err := generator.Write(res.Output, dir); err != nil {
		fmt.Fprintf(stderr, "govpack build: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "wrote %d files (%d documents) to %s in %v\n", len(res.Output), len(res.Pack.Docs), dir, time.Since(start).Round(time.Millisecond))
	return exitOK
}

// buildToDir builds the pack into dir, writing each file as the build
// makes it (a large site never sits in memory whole) into a directory that
// replaces dir only when the build succeeded.
func buildToDir(ctx context.Context, pack, dir string, strict bool, start time.Time, stdout, stderr io.Writer) int {
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
	store, storeFile := openHighlightStore(pack)
	res := generator.Build(packFS(pack), generator.Options{SkipDir: skip, Files: site, Highlights: store})
	diags := res.Diagnostics
	if strict {
		diags = strictly(diags)
	}
	if status := report(diags, stderr); status != exitOK || res.Output == nil {
		site.Abort()
		fmt.Fprintf(stderr, "govpack build: the site was not written\n")
		return status
	}
	if ctx.Err() != nil {
		site.Abort()
		fmt.Fprintf(stderr, "govpack build: interrupted; the site was not written\n")
		return exitUsage
	}
	if err := site.Commit(); err != nil {
		fmt.Fprintf(stderr, "govpack build: %v\n", err)
		return exitUsage
	}
	saveHighlightStore(store, storeFile, "build", stderr)
	fmt.Fprintf(stdout, "wrote %d files (%d documents) to %s in %v\n", res.Files, len(res.Pack.Docs), dir, time.Since(start).Round(time.Millisecond))
	return exitOK
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
	res := generator.Build(packFS(pack), generator.Options{SkipDir: skip, Highlights: store})
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

// exitStatus is 2 for an I/O problem, 1 for any other error, else 0.
func exitStatus(diags diag.List) int {
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
	return status
}
