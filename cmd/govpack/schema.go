package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"govpack/generator"
)

// defaultSchemaDir is where govpack schema writes by default: a dot
// directory, which a pack never reads as a source, so the schemas stay out
// of the site and the pack digest.
const defaultSchemaDir = ".schema"

func runSchema(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("schema", flag.ContinueOnError)
	out := fs.String("o", defaultSchemaDir, "write the schemas to `DIR`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack schema [-o DIR]\n\nWrites the JSON Schemas of a pack's TOML files to DIR (default %s):\n", defaultSchemaDir)
		for _, f := range generator.SchemaFiles {
			fmt.Fprintf(fs.Output(), "  %-28s %s\n", f.Name, f.Title)
		}
		fmt.Fprintf(fs.Output(), "\nEditors that validate TOML against JSON Schema (Taplo, VS Code's Even Better\nTOML) then complete keys and underline typos; see the README.\n\n")
		fs.PrintDefaults()
	}
	arg, status, ok := parse(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if arg != "." {
		fmt.Fprintf(stderr, "govpack schema: unexpected argument %q\n", arg)
		return exitUsage
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(stderr, "govpack schema: %v\n", err)
		return exitUsage
	}
	files := generator.Schemas()
	for _, f := range generator.SchemaFiles {
		name := filepath.Join(*out, f.Name)
		if err := os.WriteFile(name, files[f.Name], 0o644); err != nil {
			fmt.Fprintf(stderr, "govpack schema: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "wrote %s (%s)\n", name, f.Title)
	}
	return exitOK
}
