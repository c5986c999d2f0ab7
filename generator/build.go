// Package generator turns a governance pack into a static site.
//
// A build runs in stages, each a function with narrow inputs and outputs:
//
//	load    fs.FS → *Pack: settings, governance data, parsed documents
//	link    resolve every reference, rewrite links, record backlinks
//	check   coverage, governance and ratification findings, waivers
//	render  *Pack + theme → Output (path → bytes, in memory)
//	write   Output → directory, swapped in only when complete
//
// Build runs the first four (and writes too when Options.Files is set);
// like a compiler that skips code generation after an error, it returns
// no output when the pack has errors. Result.Timings says how long each
// stage took.
package generator

import (
	"context"
	"io/fs"
	"maps"
	"path"
	"strings"
	"time"

	"govpack/generator/diag"
	"govpack/generator/markdown"
	"govpack/generator/profile"
)

// Options adjust a build.
type Options struct {
	// SkipDir is a directory inside the pack (slash path) that is not a
	// source, typically the output directory.
	SkipDir string
	// Preview builds for govpack serve: pages leave out the pack digest,
	// which changes with every save and would make every open page reload;
	// a preview is not a published version.
	Preview bool
	// Files, when set, receives the site's files as Build makes them, and
	// Result.Output stays empty: a large site never sits in memory whole.
	// A failed build may have written some; the caller discards them (a
	// SiteDir is aborted). A Builder ignores it.
	Files SiteFiles
	// Highlights, when set, supplies code blocks highlighted by earlier
	// builds and records this build's, to be saved for the next.
	Highlights *markdown.HighlightStore
	// Plain sends every fast path to the library or the template run it
	// stands in for: goldmark and chroma as they come, the full TOML
	// parser, every page's whole template. The site is the same byte for
	// byte, only slower to make; GOVPACK_PLAIN=1 sets it, to tell a fault
	// of a fast path from one of the libraries.
	Plain bool

	// trust, when set, is the keys an archived version's ratifications may
	// use, carried from the versions before it (see checkArchives).
	trust *keyTrust
}

// Stage names a stage of a build, as Result.Timings reports it.
type Stage string

// The stages, in the order a build runs them.
const (
	StageLoad   Stage = "load"
	StageLink   Stage = "link"
	StageCheck  Stage = "check"
	StageRender Stage = "render"
	StageWrite  Stage = "write"
	// StageRenderWrite is render and write as one: a build with
	// Options.Files writes each file as it renders it, so the two have
	// no time of their own.
	StageRenderWrite Stage = "render+write"
)

// StageTime is how long one stage of a build took.
type StageTime struct {
	Stage    Stage
	Duration time.Duration
}

// Result is the outcome of a build.
type Result struct {
	Pack        *Pack
	Output      Output    // nil when the pack has errors
	Diagnostics diag.List // sorted
	Coverage    Coverage  // empty when the pack did not load cleanly
	Rendered    int       // pages whose template ran; a Builder reuses the others
	Files       int       // files of the site, in Output or written to Options.Files
	// Timings are the stages that ran, in order: a check stops after
	// check, a pack with errors after the stage that found them. A
	// Builder's do not count Finish.
	Timings []StageTime

	// Finish, set by a Builder, makes the files that show the whole pack
	// (print.html, the search index) and manifest.json, which Output then
	// lacks: a rebuild's pages reach the browser first. It returns them,
	// with their diagnostics, or false when ctx ended first. It reads the
	// Builder's state: it must return before the Builder builds again.
	Finish func(ctx context.Context) (Output, diag.List, bool)
}

// Deferred reports whether a Builder leaves the site file name to
// Result.Finish.
func Deferred(name string) bool {
	return name == PrintURL || name == ManifestFile || isSearchFile(name)
}

// Build loads, checks, links and renders the pack in fsys.
func Build(fsys fs.FS, opts Options) *Result {
	return placed(fsys, build(fsys, opts, nil))
}

// build is Build, reusing what cache holds from the last build of the same
// pack (nothing when it is nil) and keeping what the next one can reuse.
func build(fsys fs.FS, opts Options, cache *cache) *Result {
	c := check(fsys, opts, cache)
	if c.Diagnostics.HasErrors() {
		return c.Result
	}
	start := time.Now()
	stage := StageRender
	if opts.Files != nil && cache == nil {
		stage = StageRenderWrite
	}
	renderChecked(fsys, opts, cache, c)
	c.lap(stage, start)
	return c.Result
}

// lap records that stage s ran from since until now, and returns now.
func (r *Result) lap(s Stage, since time.Time) time.Time {
	now := time.Now()
	r.Timings = append(r.Timings, StageTime{Stage: s, Duration: now.Sub(since)})
	return now
}

// renderChecked renders the checked pack c into c.Result: into its Output,
// or to opts.Files.
func renderChecked(fsys fs.FS, opts Options, cache *cache, c checked) {
	res := c.Result
	th, diags := cache.loadTheme(res.Pack.Theme, opts.Plain)
	if diags.HasErrors() {
		res.Diagnostics = append(res.Diagnostics, diags...)
		res.Diagnostics.Sort()
		return
	}
	if opts.Highlights != nil {
		c.conv.UseHighlightStore(opts.Highlights)
	}
	files := opts.Files
	if cache != nil {
		files = nil // a Builder keeps its pages for the next build
	}
	rd := render(renderInput{pack: res.Pack, links: c.links, conv: c.conv, theme: th, profile: c.profile, coverage: res.Coverage, redlines: c.redlines, preview: opts.Preview, cache: cache, files: files})
	out, sums, later := rd.out, rd.sums, rd.later
	res.Rendered = rd.executed
	res.Diagnostics = append(res.Diagnostics, rd.diags...)
	res.Diagnostics.Sort()
	if res.Diagnostics.HasErrors() {
		return
	}
	if err := copyFiles(fsys, res.Pack, out); err != nil {
		res.Diagnostics = append(res.Diagnostics, err...)
		res.Diagnostics.Sort()
		return
	}
	if later != nil {
		res.Output = out
		res.Finish = func(ctx context.Context) (Output, diag.List, bool) {
			extras := Output{}
			diags := later(ctx, extras)
			if ctx.Err() != nil {
				return nil, nil, false
			}
			all := maps.Clone(out)
			maps.Copy(all, extras)
			if err := addManifest(all, sums, res.Pack); err != nil {
				diags.Errorf(diag.Pos{File: ManifestFile}, diag.RuleThemeExecute, "manifest: %v", err)
			}
			extras[ManifestFile] = all[ManifestFile]
			diags.Sort()
			return extras, diags, true
		}
		return
	}
	if err := addManifest(out, sums, res.Pack); err != nil {
		res.Diagnostics.Errorf(diag.Pos{File: ManifestFile}, diag.RuleThemeExecute, "manifest: %v", err)
		return
	}
	res.Files = len(out)
	if files == nil {
		res.Output = out
		return
	}
	for name := range sums {
		if _, ok := out[name]; !ok { // written as it was made
			res.Files++
		}
	}
	for name, b := range out {
		if err := files.WriteFile(name, b); err != nil {
			res.Diagnostics.Errorf(diag.Pos{File: name}, diag.RuleSiteWrite, "%v", err)
			return
		}
	}
	res.Output = Output{}
}

// Check loads, checks and links the pack without rendering it.
func Check(fsys fs.FS, opts Options) *Result {
	return placed(fsys, check(fsys, opts, nil).Result)
}

// overlayOf returns the overlay fsys reads, if it reads one: directly, or
// through a Builder's caching reader.
func overlayOf(fsys fs.FS) (*Overlay, bool) {
	if s, ok := fsys.(*sourceFS); ok {
		fsys = s.fsys
	}
	o, ok := fsys.(*Overlay)
	return o, ok
}

// placed names each diagnostic's file as the reader finds it: a file a
// pack inherits from a base pack (see Overlay) by its path in the base.
func placed(fsys fs.FS, res *Result) *Result {
	if o, ok := overlayOf(fsys); ok {
		for i := range res.Diagnostics {
			if f := res.Diagnostics[i].Pos.File; f != "" {
				res.Diagnostics[i].Pos.File = o.Where(f)
			}
		}
		res.Diagnostics.Sort()
	}
	return res
}

// checked is a checked pack with what rendering it needs.
type checked struct {
	*Result
	links    *Links
	conv     *markdown.Converter
	profile  *profile.Profile
	redlines []redline
	ratified bool // see checkRatifications
}

func check(fsys fs.FS, opts Options, cache *cache) checked {
	start := time.Now()
	p, conv, diags := load(fsys, loadOptions{skipDir: opts.SkipDir, plain: opts.Plain}, cache)
	c := checked{Result: &Result{Pack: p}, conv: conv}
	if p.files[SettingsFile] == nil {
		c.Diagnostics = diags // not a pack: nothing else is worth saying
		c.lap(StageLoad, start)
		return c
	}
	checkTheme(p, &diags)
	prof, profDiags := loadProfile(fsys, p, cache)
	p.Digest = packDigest(p.files, cache)
	cache.prune(p.files)
	diags = append(diags, profDiags...)
	if profDiags.HasErrors() {
		p.incomplete = true // coverage against a profile that failed says nothing
	}
	c.profile = prof
	start = c.lap(StageLoad, start)
	l := newLinks(p)
	linkDocuments(p, l, &diags, cache)
	linkData(p, l, prof, &diags)
	checkCollisions(p, &diags)
	start = c.lap(StageLink, start)
	// Checks of a pack whose sources did not all load would report what
	// the failed file in fact settles: report the failure alone, as a
	// compiler stops after syntax errors.
	if !p.incomplete {
		v := newViews(p, l, nil)
		var found findings
		covered := checkCoverage(p, prof, &diags, &found)
		checkGovernance(p, v, prof, covered, &found)
		checkConcentration(p, v, &found)
		archives, trust := checkArchives(fsys, p, &diags, cache, opts.Plain)
		if opts.trust != nil {
			trust = *opts.trust
		}
		p.ratifications, c.ratified = checkRatifications(p, v, trust, &found)
		for i := range found {
			switch prof.Severity[found[i].Rule] {
			case "error":
				found[i].Severity = diag.Error
			case "warning":
				found[i].Severity = diag.Warning
			}
		}
		waiverDiags, waived := applyWaivers(p, prof, found)
		diags = append(diags, waiverDiags...)
		for _, f := range found {
			diags = append(diags, f.Diagnostic)
		}
		c.Coverage = coverageReport(prof, covered, found, waived)
		c.redlines = redlinesOf(archives, p, &diags)
	}
	c.links = l
	diags.Sort()
	c.Diagnostics = diags
	if cache == nil {
		for _, d := range p.Docs {
			d.releaseAST() // the trees coverage and redlines parsed again
		}
	}
	c.lap(StageCheck, start)
	return c
}

// loadProfile returns the profile the pack selects: a built-in name or a
// file in the pack.
func loadProfile(fsys fs.FS, p *Pack, cache *cache) (*profile.Profile, diag.List) {
	var diags diag.List
	name := p.Settings.Profile
	if !strings.HasSuffix(name, ".toml") {
		if prof, ok := cache.builtinProfile(name); ok {
			return prof, nil
		}
		hint := suggestFrom(name, profile.BuiltinNames())
		if hint == "" {
			hint = "; give a built-in name such as \"alliance\" or a path to a .toml file"
		}
		diags.Errorf(p.Settings.At("profile"), diag.RuleProfileUnknown, "no built-in profile %q%s", name, hint)
		prof, _ := profile.Builtin("alliance")
		return prof, diags
	}
	file := path.Clean(name)
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		diags.Errorf(p.Settings.At("profile"), diag.RuleProfileUnknown, "cannot read profile %q: %v", name, unwrapPath(err))
		prof, _ := profile.Builtin("alliance")
		return prof, diags
	}
	p.files[file] = src // part of the pack digest
	return cache.parseProfile(file, src)
}

// copyFiles adds static files and the files beside documents to the output.
func copyFiles(fsys fs.FS, p *Pack, out Output) diag.List {
	var diags diag.List
	for _, s := range p.Static {
		if b, ok := readFile(fsys, "static/"+s, &diags); ok {
			out[s] = b
		}
	}
	for _, a := range p.Assets {
		if b, ok := readFile(fsys, a, &diags); ok {
			out[a] = b
		}
	}
	return diags
}
