package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"govpack/generator"
)

// timingsTable reads the table --timings prints in out: the stages, in
// order, each with its milliseconds and share in hundredths and tenths,
// and the total row's. It fails t when the table is missing or malformed.
func timingsTable(t *testing.T, out string) (stages []string, ms, shares []int, totalMS int) {
	t.Helper()
	_, table, ok := strings.Cut(out, "stage ")
	if !ok {
		t.Fatalf("no timings table in:\n%s", out)
	}
	lines := strings.Split(strings.TrimSpace(table), "\n")[1:] // after the header
	for _, line := range lines {
		f := strings.Fields(line)
		if len(f) != 3 || !strings.HasSuffix(f[2], "%") {
			t.Fatalf("malformed timings row %q in:\n%s", line, out)
		}
		m, err1 := strconv.Atoi(strings.Replace(f[1], ".", "", 1))
		s, err2 := strconv.Atoi(strings.Replace(strings.TrimSuffix(f[2], "%"), ".", "", 1))
		if err1 != nil || err2 != nil || !strings.Contains(f[1], ".") {
			t.Fatalf("malformed timings row %q in:\n%s", line, out)
		}
		if f[0] == "total" {
			if s != 1000 && m != 0 {
				t.Errorf("the total's share is %s, want 100.0%%", f[2])
			}
			return stages, ms, shares, m
		}
		stages, ms, shares = append(stages, f[0]), append(ms, m), append(shares, s)
	}
	t.Fatalf("no total row in:\n%s", out)
	return
}

// checkTimings fails t unless out's table names exactly the stages want,
// in order, and its milliseconds add up to its total and its shares to
// 100% (within the rounding of each share to a tenth).
func checkTimings(t *testing.T, what, out string, want []string) {
	t.Helper()
	stages, ms, shares, total := timingsTable(t, out)
	if !slices.Equal(stages, want) {
		t.Errorf("%s: stages %q, want %q", what, stages, want)
	}
	sum, shareSum := 0, 0
	for i := range ms {
		sum += ms[i]
		shareSum += shares[i]
	}
	if sum != total {
		t.Errorf("%s: the stages add up to %d hundredths of a ms, the total says %d:\n%s", what, sum, total, out)
	}
	if total > 0 && (shareSum < 1000-len(shares) || shareSum > 1000+len(shares)) {
		t.Errorf("%s: the shares add up to %d tenths of a percent:\n%s", what, shareSum, out)
	}
}

// build --timings and check --timings print each stage that ran, in
// order, after the build: a build to a directory writes as it renders,
// a zip is written after rendering, and the machine-readable formats of
// check keep standard output to themselves.
func TestTimingsTable(t *testing.T) {
	pack := writePack(t, goodPack)
	checked := []string{"load", "link", "check"}
	if status, stdout, stderr := runCmd("build", pack, "--timings"); status != 0 {
		t.Fatalf("build: status %d\n%s", status, stderr)
	} else {
		checkTimings(t, "build", stdout, append(slices.Clone(checked), "render+write"))
	}
	zip := filepath.Join(t.TempDir(), "site.zip")
	if status, stdout, stderr := runCmd("build", pack, "--zip", zip, "-o", filepath.Join(t.TempDir(), "site"), "--timings"); status != 0 {
		t.Fatalf("build --zip: status %d\n%s", status, stderr)
	} else {
		checkTimings(t, "build --zip", stdout, append(slices.Clone(checked), "render", "write"))
	}
	if status, stdout, stderr := runCmd("check", pack, "--timings"); status != 0 {
		t.Fatalf("check: status %d\n%s", status, stderr)
	} else {
		checkTimings(t, "check", stdout, checked)
	}
	status, stdout, stderr := runCmd("check", pack, "--format", "json", "--timings")
	if status != 0 {
		t.Fatalf("check --format json: status %d\n%s", status, stderr)
	}
	if !json.Valid([]byte(stdout)) {
		t.Errorf("check --format json --timings does not print JSON alone:\n%s", stdout)
	}
	checkTimings(t, "check --format json", stderr, checked)
}

// A workspace's packs are built one by one: there is no one table.
func TestTimingsRefusedForWorkspace(t *testing.T) {
	ws := writePack(t, map[string]string{generator.WorkspaceFile: ""})
	for _, cmd := range []string{"build", "check"} {
		status, _, stderr := runCmd(cmd, ws, "--timings")
		if status != exitUsage || !strings.Contains(stderr, "--timings takes one pack") {
			t.Errorf("%s --timings of a workspace: status %d, stderr:\n%s", cmd, status, stderr)
		}
	}
}
