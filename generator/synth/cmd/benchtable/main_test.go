package main

import (
	"strings"
	"testing"
)

func TestTableTakesMediansAndRatiosToTheFloor(t *testing.T) {
	out := `goos: linux
BenchmarkBuild/docs=1000/shm-2   1   3000000000 ns/op   2.0 cpu-s/op   1000000000 B/op   15000000 allocs/op
BenchmarkBuild/docs=1000/shm-2   1   9000000000 ns/op   9.0 cpu-s/op   1000000000 B/op   15000000 allocs/op
BenchmarkBuild/docs=1000/shm-2   1   2000000000 ns/op   3.0 cpu-s/op   1000000000 B/op   15000000 allocs/op
BenchmarkFloor/docs=1000/shm-2   1   1000000000 ns/op   1.5 cpu-s/op    700000000 B/op   11000000 allocs/op
BenchmarkProcess/docs=1000/shm-2   1   4000000000 ns/op   2.5 cpu-s/op   195.1 peak-RSS-MB
BenchmarkServeReload-2   5   2871661303 ns/op   2299 p50-ms   3972 p99-ms
PASS
`
	res, failed, err := parse(strings.NewReader(out))
	if err != nil || failed {
		t.Fatalf("parse: %v, failed %v", err, failed)
	}
	var b strings.Builder
	res.print(&b)
	rows := map[string]string{}
	for _, line := range strings.Split(b.String(), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			rows[f[0]] = strings.Join(f[1:], " ")
		}
	}
	for name, want := range map[string]string{
		// Medians of three runs, documents per second, ratios to the floor.
		"Build/docs=1000/shm":   "3 3.00 s 3.00 s 333 1000 MB 15.0 M – – – 3.00 2.00",
		"Process/docs=1000/shm": "1 4.00 s 2.50 s 250 – – 195 MB – – 4.00 1.67",
		"ServeReload":           "1 2.87 s – – – – – 2299 ms 3972 ms – –",
	} {
		if rows[name] != want {
			t.Errorf("%s: %q, want %q", name, rows[name], want)
		}
	}
	if _, failed, _ := parse(strings.NewReader("--- FAIL: BenchmarkBuild\n")); !failed {
		t.Error("a failed benchmark went unnoticed")
	}
}
