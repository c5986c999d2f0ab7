package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"govpack/generator"
	"govpack/generator/diag"
)

// isWorkspace reports whether dir holds a workspace file; build and check
// then handle every pack it lists.
func isWorkspace(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, generator.WorkspaceFile))
	return err == nil && fi.Mode().IsRegular()
}

// workspaceOptions are the flags of build or check that apply to every
// pack of a workspace.
type workspaceOptions struct {
	build  bool   // write each site, not only check
	out    string // write the sites to OUT/PACK instead of PACK/public
	strict bool
	// format is how check prints the findings: text, or one SARIF log
	// for all packs (paths from the workspace's root, which code hosts
	// read as the repository's); the summary lines then go to stderr.
	format string
}

// packOutcome is what one pack of a workspace came to.
type packOutcome struct {
	name     string // as the workspace file lists it
	diags    diag.List
	pages    int   // HTML pages written (build) or documents checked (check)
	failure  error // an I/O failure that kept the pack from being handled
	duration time.Duration
}

// runWorkspace builds or checks every pack of the workspace in dir, in
// parallel, then prints each pack's diagnostics (paths relative to the
// workspace) and one summary line per pack, in the order the workspace
// lists them. Exit status: 2 when a pack could not be read or written, 1
// when a pack has errors, else 0.
func runWorkspace(ctx context.Context, dir string, opts workspaceOptions, stdout, stderr io.Writer) int {
	src, err := os.ReadFile(filepath.Join(dir, generator.WorkspaceFile))
	if err != nil {
		fmt.Fprintf(stderr, "govpack: %v\n", err)
		return exitUsage
	}
	ws, diags := generator.ParseWorkspace(src)
	if diags.HasErrors() {
		diag.WriteText(stderr, diags, useColor(stderr))
		return exitErrors
	}
	outcomes := make([]packOutcome, len(ws.Packs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, name := range ws.Packs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			start := time.Now()
			outcomes[i] = handlePack(ctx, dir, path.Clean(name), ws.Base, opts)
			outcomes[i].name = name
			outcomes[i].duration = time.Since(start)
		}()
	}
	wg.Wait()

	status := exitOK
	width := 0
	var all diag.List
	for _, o := range outcomes {
		width = max(width, len(o.name))
		all = append(all, o.diags...)
		if opts.format != "sarif" {
			diag.WriteText(stderr, o.diags, useColor(stderr))
		}
		switch {
		case o.failure != nil:
			fmt.Fprintf(stderr, "govpack: %s: %v\n", o.name, o.failure)
			status = exitUsage
		case exitStatus(o.diags) == exitUsage:
			status = exitUsage
		case o.diags.HasErrors() && status == exitOK:
			status = exitErrors
		}
	}
	summary := stdout
	if opts.format == "sarif" {
		all.Sort()
		if err := diag.WriteSARIF(stdout, all, diag.Tool{Name: "govpack", Version: version}); err != nil {
			fmt.Fprintf(stderr, "govpack: %v\n", err)
			return exitUsage
		}
		summary = stderr
	}
	unit := "documents"
	if opts.build {
		unit = "pages"
	}
	failed := 0
	for _, o := range outcomes {
		e, w, _ := o.diags.Count()
		verdict := "ok"
		switch {
		case o.failure != nil:
			verdict = "failed"
		case e > 0:
			verdict = "errors"
		}
		if verdict != "ok" {
			failed++
		}
		fmt.Fprintf(summary, "%-*s  %-6s  %3d errors  %3d warnings  %4d %s  %5d ms\n", width, o.name, verdict, e, w, o.pages, unit, o.duration.Milliseconds())
	}
	fmt.Fprintf(summary, "%d packs: %d ok, %d failed\n", len(outcomes), len(outcomes)-failed, failed)
	return status
}

// overlayOn returns the pack in packDir over the base pack in
// root/base, or the pack alone when there is no base or it is the base.
// Each is read through its own root (see generator.PackFS): nothing
// outside the pack, or outside the base, is read from it.
func overlayOn(packDir, root, base string) (openFS, error) {
	fsys, err := generator.OpenPack(packDir)
	if err != nil {
		return nil, err
	}
	if base == "" {
		return fsys, nil
	}
	baseDir := filepath.Join(root, filepath.FromSlash(base))
	if same(baseDir, packDir) {
		return fsys, nil
	}
	fail := func(err error) (openFS, error) {
		fsys.Close()
		return nil, err
	}
	if fi, err := os.Stat(baseDir); err != nil || !fi.IsDir() {
		return fail(fmt.Errorf("base pack %s is not a directory", base))
	}
	rel, err := filepath.Rel(packDir, baseDir)
	if err != nil {
		return fail(err)
	}
	baseFS, err := generator.OpenPack(baseDir)
	if err != nil {
		return fail(err)
	}
	return generator.NewOverlay(fsys, baseFS, filepath.ToSlash(rel)), nil
}

// openFS is a pack's file system, open until closed.
type openFS interface {
	fs.FS
	io.Closer
}

// same reports whether two paths name the same directory.
func same(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// packFS is the file system of the pack in dir, for the commands that take
// one pack: when a workspace in a directory above lists the pack and has
// a base, the pack over its base, so that checking, building, serving or
// signing one client pack sees what the workspace build sees.
//
// The pack's directory stays open for the rest of the process: each
// command reads one pack (two for diff) from start to end, serve for as
// long as it runs; a finished command's roots are closed by the garbage
// collector when nothing reads them any more.
func packFS(dir string) fs.FS {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return openOne(dir)
	}
	for root := filepath.Dir(abs); ; root = filepath.Dir(root) {
		if src, err := os.ReadFile(filepath.Join(root, generator.WorkspaceFile)); err == nil {
			ws, diags := generator.ParseWorkspace(src)
			if diags.HasErrors() || ws.Base == "" {
				break // the workspace's own check reports a broken file
			}
			for _, p := range ws.Packs {
				if same(filepath.Join(root, filepath.FromSlash(p)), abs) {
					if fsys, err := overlayOn(abs, root, ws.Base); err == nil {
						return fsys
					}
				}
			}
			break
		}
		if filepath.Dir(root) == root {
			break
		}
	}
	return openOne(dir)
}

// openOne is the pack in dir alone; one that cannot be opened reads as a
// directory whose every file fails so, which the load reports.
func openOne(dir string) fs.FS {
	fsys, err := generator.OpenPack(dir)
	if err != nil {
		return unopened{err}
	}
	return fsys
}

// unopened is a pack directory that could not be opened.
type unopened struct{ err error }

func (u unopened) Open(string) (fs.File, error) { return nil, u.err }

// handlePack checks or builds one pack of a workspace, over the base when
// there is one. Diagnostics come back with paths relative to the workspace.
func handlePack(ctx context.Context, root, name, base string, opts workspaceOptions) packOutcome {
	packDir := filepath.Join(root, filepath.FromSlash(name))
	if fi, err := os.Stat(packDir); err != nil || !fi.IsDir() {
		if err == nil {
			err = fmt.Errorf("%s is not a directory", packDir)
		}
		return packOutcome{failure: err}
	}
	fsys, err := overlayOn(packDir, root, base)
	if err != nil {
		return packOutcome{failure: err}
	}
	defer fsys.Close()
	var out packOutcome
	var res *generator.Result
	outDir := filepath.Join(packDir, "public")
	if opts.out != "" {
		outDir = filepath.Join(opts.out, filepath.FromSlash(name))
	}
	if opts.build {
		skip, err := generator.OutputDir(packDir, outDir)
		if err != nil {
			return packOutcome{failure: err}
		}
		res = generator.Build(fsys, options(generator.Options{SkipDir: skip}))
	} else {
		res = generator.Check(fsys, options(generator.Options{}))
		out.pages = len(res.Pack.Docs)
	}
	out.diags = res.Diagnostics
	if opts.strict {
		out.diags = strictly(out.diags)
	}
	for i := range out.diags {
		if f := out.diags[i].Pos.File; f != "" {
			out.diags[i].Pos.File = path.Join(name, f) // inherited files come as ../base/…
		}
	}
	out.diags.Sort()
	if opts.build && res.Output != nil && !out.diags.HasErrors() && ctx.Err() == nil {
		if err := generator.Write(res.Output, outDir); err != nil {
			return packOutcome{diags: out.diags, failure: err}
		}
		for p := range res.Output {
			if strings.HasSuffix(p, ".html") {
				out.pages++
			}
		}
	}
	return out
}
