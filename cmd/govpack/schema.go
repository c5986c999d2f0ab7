package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
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
	force := fs.Bool("force", false, "replace schema files that differ from the ones govpack writes")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack schema [-o DIR] [--force]\n\nWrites the JSON Schemas of a pack's TOML files to DIR (default %s):\n", defaultSchemaDir)
		for _, f := range generator.SchemaFiles {
			fmt.Fprintf(fs.Output(), "  %-28s %s\n", f.Name, f.Title)
		}
		fmt.Fprintf(fs.Output(), "\nEditors that validate TOML against JSON Schema (Taplo, VS Code's Even Better\nTOML) then complete keys and underline typos; see docs/editors.md.\n\n")
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
	// Every file is looked at before any is written: a schema the user
	// changed is kept unless --force says otherwise, and then none is
	// written, so the directory never holds two versions' schemas.
	plan := make([]schemaState, len(generator.SchemaFiles))
	refused := false
	for i, f := range generator.SchemaFiles {
		name := filepath.Join(*out, f.Name)
		st, err := schemaFileState(name, files[f.Name])
		if err == nil && st == schemaDiffers && !*force {
			err = fmt.Errorf("%s exists and differs from the schema govpack writes; not replaced (--force replaces it)", name)
		}
		if err != nil {
			fmt.Fprintf(stderr, "govpack schema: %v\n", err)
			refused = true
		}
		plan[i] = st
	}
	if refused {
		return exitUsage
	}
	for i, f := range generator.SchemaFiles {
		name := filepath.Join(*out, f.Name)
		if plan[i] == schemaSame {
			fmt.Fprintf(stdout, "kept %s (%s), already up to date\n", name, f.Title)
			continue
		}
		if err := os.WriteFile(name, files[f.Name], 0o644); err != nil {
			fmt.Fprintf(stderr, "govpack schema: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "wrote %s (%s)\n", name, f.Title)
	}
	return exitOK
}

// schemaState is what a schema file's path holds before it is written.
type schemaState int

const (
	schemaAbsent schemaState = iota
	schemaSame
	schemaDiffers
)

// schemaFileState says what name holds compared with want. Anything but a
// regular file is refused even with --force: writing through a symbolic
// link would write wherever it points.
func schemaFileState(name string, want []byte) (schemaState, error) {
	fi, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return schemaAbsent, nil
	}
	if err != nil {
		return 0, err
	}
	if !fi.Mode().IsRegular() {
		return 0, fmt.Errorf("%s exists and is not a regular file; not replaced", name)
	}
	have, err := os.ReadFile(name)
	if err != nil {
		return 0, err
	}
	if bytes.Equal(have, want) {
		return schemaSame, nil
	}
	return schemaDiffers, nil
}
