// Package diag holds the diagnostics govpack reports about a pack: a position
// in a source file, a severity, a message and a stable rule id.
//
// A diagnostic prints as
//
//	charter/decision-making.md:12:7: error: reference "member:bank-z" does not resolve [ref/unresolved]
//
// with the path relative to the pack in forward slashes, a 1-based line and a
// 1-based byte column. A zero line means the diagnostic concerns the whole file.
package diag

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in a pack file.
type Pos struct {
	File string // slash-separated, relative to the pack root
	Line int    // 1-based; 0 when the position is the whole file
	Col  int    // 1-based byte column; 0 when unknown
}

// String formats p as file:line:col, leaving out what is unknown.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsValid reports whether p names a file.
func (p Pos) IsValid() bool { return p.File != "" }

// Severity orders diagnostics by how much they matter.
type Severity int

// Severities, from least to most serious. A waived finding is one the
// pack has stated does not apply ([[waiver]]): listed, never hidden, and
// never an error.
const (
	Waived Severity = iota
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "waived"
}

// Diagnostic is one finding about a pack.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Message  string // lowercase, no trailing period
	Rule     string // stable id such as "ref/unresolved"
	Note     string // why a waived finding was waived
}

func (d Diagnostic) String() string {
	s := fmt.Sprintf("%s: %s: %s [%s]", d.Pos, d.Severity, d.Message, d.Rule)
	if d.Note != "" {
		s += " (" + d.Note + ")"
	}
	return s
}

// Errorf returns an error diagnostic; the name lets go vet check the format.
func Errorf(pos Pos, rule, format string, args ...any) Diagnostic {
	return Diagnostic{Pos: pos, Severity: Error, Message: fmt.Sprintf(format, args...), Rule: rule}
}

// Warnf returns a warning diagnostic.
func Warnf(pos Pos, rule, format string, args ...any) Diagnostic {
	return Diagnostic{Pos: pos, Severity: Warning, Message: fmt.Sprintf(format, args...), Rule: rule}
}

// List is a set of diagnostics.
type List []Diagnostic

// Errorf appends an error diagnostic.
func (l *List) Errorf(pos Pos, rule, format string, args ...any) {
	*l = append(*l, Errorf(pos, rule, format, args...))
}

// Warnf appends a warning diagnostic.
func (l *List) Warnf(pos Pos, rule, format string, args ...any) {
	*l = append(*l, Warnf(pos, rule, format, args...))
}

// Sort orders the list by file, line, column, then message, and drops exact
// duplicates, so output is stable whatever order the checks ran in.
func (l *List) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
	out := s[:0]
	for i, d := range s {
		if i > 0 && d == s[i-1] {
			continue
		}
		out = append(out, d)
	}
	*l = out
}

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Count returns the number of errors, warnings and waived findings.
func (l List) Count() (errors, warnings, waived int) {
	for _, d := range l {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		default:
			waived++
		}
	}
	return errors, warnings, waived
}

// String prints one diagnostic a line.
func (l List) String() string {
	var b strings.Builder
	for _, d := range l {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// LineIndex maps byte offsets of one file to positions.
type LineIndex struct {
	file   string
	starts []int // byte offset at which each line starts
}

// NewLineIndex indexes src, the contents of file.
func NewLineIndex(file string, src []byte) *LineIndex {
	// Lines of prose are long: finding their ends with bytes' vector
	// search is several times faster than a loop over the bytes.
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		starts = append(starts, off)
	}
	return &LineIndex{file: file, starts: starts}
}

// Pos returns the position of byte offset off; a negative offset gives the
// position of the whole file.
func (x *LineIndex) Pos(off int) Pos {
	if off < 0 {
		return Pos{File: x.file}
	}
	line := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > off })
	return Pos{File: x.file, Line: line, Col: off - x.starts[line-1] + 1}
}
