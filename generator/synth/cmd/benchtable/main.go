// Command benchtable reads the output of go test -bench on standard input,
// passes it through, and prints one table at the end: each benchmark's
// median over its runs (-count) of wall and CPU time per operation,
// documents per second, memory allocated, allocations, peak resident
// memory, reload latency, and a build's ratio to the floor of the same
// documents (Build/docs=10000/shm against Floor/docs=10000/shm).
//
//	go test -run '^$' -bench . -count 3 ./generator/synth | go run ./generator/synth/cmd/benchtable
//
// It exits 1 when a benchmark failed or none ran.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

func main() {
	t, failed, err := parse(io.TeeReader(os.Stdin, os.Stdout))
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	if failed || len(t.order) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: a benchmark failed or none ran")
		os.Exit(1)
	}
	fmt.Println()
	t.print(os.Stdout)
}

// results holds every run's metrics (unit → values) of each benchmark, in
// the order benchmarks first appear.
type results struct {
	order []string
	runs  map[string]map[string][]float64
}

// A result line: name, iterations, then value-unit pairs.
var line = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func parse(r io.Reader) (*results, bool, error) {
	t := &results{runs: map[string]map[string][]float64{}}
	failed := false
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		text := sc.Text()
		if strings.HasPrefix(text, "--- FAIL") || strings.HasPrefix(text, "FAIL") || strings.HasPrefix(text, "panic:") {
			failed = true
		}
		m := line.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		name, fields := m[1], strings.Fields(m[2])
		if t.runs[name] == nil {
			t.runs[name] = map[string][]float64{}
			t.order = append(t.order, name)
		}
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, failed, fmt.Errorf("%q: %v", text, err)
			}
			t.runs[name][fields[i+1]] = append(t.runs[name][fields[i+1]], v)
		}
	}
	return t, failed, sc.Err()
}

// median returns the median of a benchmark's metric, and whether it has it.
func (t *results) median(name, unit string) (float64, bool) {
	vs := slices.Clone(t.runs[name][unit])
	if len(vs) == 0 {
		return 0, false
	}
	slices.Sort(vs)
	if len(vs)%2 == 1 {
		return vs[len(vs)/2], true
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2, true
}

var docsIn = regexp.MustCompile(`docs=(\d+)`)

func (t *results) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	width := len("benchmark")
	for _, name := range t.order {
		width = max(width, len(name))
	}
	// Cells align right; names padded to one width read left-aligned.
	fmt.Fprintf(tw, "%-*s\truns\twall/op\tcpu/op\tdocs/s\talloc/op\tallocs/op\tpeak RSS\treload p50\treload p99\t×floor wall\t×floor cpu\t\n", width, "benchmark")
	for _, name := range t.order {
		get := func(unit string, format func(float64) string) string {
			if v, ok := t.median(name, unit); ok {
				return format(v)
			}
			return "–"
		}
		ns, _ := t.median(name, "ns/op")
		rate := "–"
		if m := docsIn.FindStringSubmatch(name); m != nil && ns > 0 {
			n, _ := strconv.Atoi(m[1])
			rate = fmt.Sprintf("%.0f", float64(n)/(ns/1e9))
		}
		wallRatio, cpuRatio := "–", "–"
		if kind, rest, ok := strings.Cut(name, "/"); ok && kind != "Floor" {
			if r, ok := t.ratio(name, "Floor/"+rest, "ns/op"); ok {
				wallRatio = fmt.Sprintf("%.2f", r)
			}
			if r, ok := t.ratio(name, "Floor/"+rest, "cpu-s/op"); ok {
				cpuRatio = fmt.Sprintf("%.2f", r)
			}
		}
		fmt.Fprintf(tw, "%-*s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", width, name, len(t.runs[name]["ns/op"]),
			seconds(ns/1e9), get("cpu-s/op", seconds), rate,
			get("B/op", func(v float64) string { return fmt.Sprintf("%.0f MB", v/1e6) }),
			get("allocs/op", count),
			get("peak-RSS-MB", func(v float64) string { return fmt.Sprintf("%.0f MB", v) }),
			get("p50-ms", millis), get("p99-ms", millis), wallRatio, cpuRatio)
	}
	tw.Flush()
	fmt.Fprintln(w, "cpu/op is the user and system time of all threads: on a shared machine it is steadier than wall time.")
	if load, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(load))
		fmt.Fprintf(w, "Load average now (1, 5, 15 min): %s on %d cores.\n", strings.Join(f[:min(3, len(f))], ", "), runtime.NumCPU())
	}
	for _, kind := range []string{"Check", "Build", "Process"} {
		for _, medium := range []string{"", "/memory", "/shm", "/tmp"} {
			small, large := kind+"/docs=1000"+medium, kind+"/docs=10000"+medium
			wall, ok := t.ratio(large, small, "ns/op")
			if !ok {
				continue
			}
			if cpu, ok := t.ratio(large, small, "cpu-s/op"); ok {
				fmt.Fprintf(w, "%s%s: 10,000 documents take %.1f× the CPU time of 1,000 (%.1f× the wall time)\n", kind, medium, cpu, wall)
			} else {
				fmt.Fprintf(w, "%s%s: 10,000 documents take %.1f× the wall time of 1,000\n", kind, medium, wall)
			}
		}
	}
}

// ratio returns the ratio of two benchmarks' medians of a metric.
func (t *results) ratio(a, b, unit string) (float64, bool) {
	x, ok1 := t.median(a, unit)
	y, ok2 := t.median(b, unit)
	return x / y, ok1 && ok2 && y > 0
}

func seconds(s float64) string {
	if s < 1 {
		return millis(s * 1000)
	}
	return fmt.Sprintf("%.2f s", s)
}

func millis(ms float64) string { return fmt.Sprintf("%.0f ms", ms) }

func count(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.1f M", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.0f k", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}
