package main

import (
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"govpack/generator"
	"govpack/generator/diag"
	"govpack/generator/profile"
	"govpack/themes"
)

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
