package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"govpack/generator"
	"govpack/generator/diag"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	format := fs.String("format", "text", "print findings as `text`, json or sarif")
	strict := fs.Bool("strict", false, "treat warnings as errors")
	timings := fs.Bool("timings", false, "print how long each stage of the check took (to standard error with json or sarif)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack check [PACK] [--format text|json|sarif] [--strict] [--timings]\n\nChecks the pack in PACK (default: the current directory) and writes nothing.\nFindings go to standard output, followed by the coverage of the profile.\n\n")
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
		if *timings {
			fmt.Fprintf(stderr, "govpack check: --timings takes one pack, not a workspace\n")
			return exitUsage
		}
		return runWorkspace(context.Background(), pack, workspaceOptions{strict: *strict, format: *format}, stdout, stderr)
	}
	res := generator.Check(packFS(pack), options(generator.Options{}))
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
		if err := diag.WriteSARIF(stdout, diags, diag.Tool{Name: "govpack", Version: version}); err != nil {
			fmt.Fprintf(stderr, "govpack check: %v\n", err)
			return exitUsage
		}
	default:
		diag.WriteText(stdout, diags, useColor(stdout))
		printCoverage(stdout, res.Coverage)
		e, w, wv := diags.Count()
		fmt.Fprintf(stdout, "%s: %d documents, %d errors, %d warnings, %d waived\n", pack, len(res.Pack.Docs), e, w, wv)
	}
	if *timings {
		// Behind JSON or SARIF, the table would make the output unreadable
		// to the tools it is for.
		w := stdout
		if *format != "text" {
			w = stderr
		}
		printTimings(w, res.Timings)
	}
	return exitStatus(diags)
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
