package diag

import (
	"encoding/json"
	"io"
	"sort"
	"strings"
)

// WriteText prints one diagnostic a line; color adds ANSI colours for a
// terminal.
func WriteText(w io.Writer, l List, color bool) error {
	var b strings.Builder
	for _, d := range l {
		if !color {
			b.WriteString(d.String())
			b.WriteByte('\n')
			continue
		}
		sev := map[Severity]string{Error: "\x1b[1;31m", Warning: "\x1b[1;33m", Waived: "\x1b[36m"}[d.Severity]
		b.WriteString("\x1b[1m" + d.Pos.String() + ":\x1b[0m " + sev + d.Severity.String() + ":\x1b[0m " + d.Message + " \x1b[2m[" + d.Rule + "]\x1b[0m")
		if d.Note != "" {
			b.WriteString(" \x1b[36m(" + d.Note + ")\x1b[0m")
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// JSONDiagnostic is a diagnostic as --format json prints it.
type JSONDiagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Rule     string `json:"rule"`
	Note     string `json:"note,omitempty"`
}

// JSON returns the list in its JSON form; never nil, so it prints as [].
func (l List) JSON() []JSONDiagnostic {
	out := make([]JSONDiagnostic, 0, len(l))
	for _, d := range l {
		out = append(out, JSONDiagnostic{File: d.Pos.File, Line: d.Pos.Line, Column: d.Pos.Col, Severity: d.Severity.String(), Message: d.Message, Rule: d.Rule, Note: d.Note})
	}
	return out
}

// Tool names the program that produced a SARIF log.
type Tool struct {
	Name, Version, URI string
}

// WriteSARIF writes the list as a SARIF 2.1.0 log, which code hosts use
// to annotate pull requests. The log describes every rule of the Rules
// table, so a host can explain a rule before it first fires. Waived
// findings are results with an external suppression carrying the
// waiver's reason.
func WriteSARIF(w io.Writer, l List, tool Tool) error {
	driver := map[string]any{"name": tool.Name, "version": tool.Version, "rules": sarifRules(l)}
	if tool.URI != "" {
		driver["informationUri"] = tool.URI
	}
	log := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool":               map[string]any{"driver": driver},
			"originalUriBaseIds": map[string]any{"PACKROOT": map[string]any{"description": map[string]string{"text": "the pack directory"}}},
			"results":            sarifResults(l),
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// The parts of a SARIF 2.1.0 log that WriteSARIF writes.
type (
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifRule struct {
		ID               string       `json:"id"`
		ShortDescription sarifMessage `json:"shortDescription"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine,omitempty"`
		StartColumn int `json:"startColumn,omitempty"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification,omitempty"`
	}
	sarifResult struct {
		RuleID       string             `json:"ruleId"`
		Level        string             `json:"level"`
		Message      sarifMessage       `json:"message"`
		Locations    []sarifLocation    `json:"locations"`
		Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	}
)

// sarifResults is a result for each diagnostic; waived ones are
// suppressed, with the waiver's reason.
func sarifResults(l List) []sarifResult {
	results := make([]sarifResult, 0, len(l))
	for _, d := range l {
		r := sarifResult{RuleID: d.Rule, Level: map[Severity]string{Error: "error", Warning: "warning", Waived: "note"}[d.Severity], Message: sarifMessage{d.Message}}
		loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: d.Pos.File, URIBaseID: "PACKROOT"}}
		if d.Pos.Line > 0 {
			loc.Region = &sarifRegion{StartLine: d.Pos.Line, StartColumn: d.Pos.Col}
		}
		r.Locations = []sarifLocation{{loc}}
		if d.Severity == Waived {
			r.Suppressions = []sarifSuppression{{Kind: "external", Justification: d.Note}}
		}
		results = append(results, r)
	}
	return results
}

// sarifRules describes every rule of the table and any other l reports,
// sorted by id; a rule without a description is described by its id.
func sarifRules(l List) []sarifRule {
	described := map[string]string{}
	for _, r := range Rules() {
		described[r.ID] = r.Description
	}
	ids := map[string]bool{}
	for _, d := range l {
		ids[d.Rule] = true
	}
	for id := range described {
		ids[id] = true
	}
	var rules []sarifRule
	for id := range ids {
		rules = append(rules, sarifRule{ID: id, ShortDescription: sarifMessage{described[id]}})
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	for i := range rules {
		if rules[i].ShortDescription.Text == "" {
			rules[i].ShortDescription.Text = rules[i].ID
		}
	}
	return rules
}
