package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"govpack/generator"
)

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
	if err := extractTar(&out, tmp); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("git archive %s: %w", rev, err)
	}
	return tmp, nil
}

// extractTar writes the directories, files and symbolic links of a tar
// stream into dir. Links are kept, so that the old version is read as the
// new one is, where a link that leaves the pack is an error; every write
// goes through an os.Root, so that no entry, nor a link an earlier entry
// made, places a file outside dir.
func extractTar(r io.Reader, dir string) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.FromSlash(h.Name)
		if !filepath.IsLocal(name) {
			continue // git archive never writes such names; be safe all the same
		}
		if h.Typeflag != tar.TypeDir {
			if err := root.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return err
			}
		}
		switch h.Typeflag {
		case tar.TypeDir:
			err = root.MkdirAll(name, 0o755)
		case tar.TypeReg:
			var b []byte
			if b, err = io.ReadAll(tr); err == nil {
				err = root.WriteFile(name, b, 0o644)
			}
		case tar.TypeSymlink:
			err = root.Symlink(h.Linkname, name)
		}
		if err != nil {
			return err
		}
	}
}
