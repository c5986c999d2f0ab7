package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"govpack/generator/synth"
)

// startServe runs govpack serve on pack at a free port until the test
// ends, and returns its address with a trailing slash.
func startServe(tb testing.TB, pack string) string {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int)
	go func() { done <- run(ctx, []string{"serve", pack, "--addr", "127.0.0.1:0"}, &stdout, &stderr) }()
	tb.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, rest, ok := strings.Cut(stdout.String(), "at http://"); ok {
			url, _, _ := strings.Cut(rest, " ")
			return url
		}
		if time.Now().After(deadline) {
			tb.Fatalf("serve did not start:\n%s%s", stdout.String(), stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// BenchmarkServeReload measures what a writer waits for after saving one
// document of a 1,000-document pack: from the write of the file to the
// reload event open pages receive (file notification, the watcher's
// debounce, the rebuild, the event). It reports p50 and p99.
func BenchmarkServeReload(b *testing.B) {
	pack := filepath.Join(b.TempDir(), "pack")
	if err := synth.Write(synth.Pack(1000), pack); err != nil {
		b.Fatal(err)
	}
	url := startServe(b, pack)
	resp, err := http.Get("http://" + url + "_govpack/events")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	// waitFor returns once an event line saying the page changed arrives.
	waitFor := func(want string) {
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					b.Fatal("the event stream ended")
				}
				if strings.Contains(line, want) {
					return
				}
			case <-time.After(60 * time.Second):
				b.Fatalf("no event with %q within a minute", want)
			}
		}
	}
	waitFor("event: hello")

	doc := filepath.Join(pack, "charter", "doc-00008.md")
	src, err := os.ReadFile(doc)
	if err != nil {
		b.Fatal(err)
	}
	// Saves come one after another, as when a writer saves every few
	// seconds: each comes half a second after the print page and search
	// index of the last one are made (untimed). With back-to-back, the
	// next save comes as soon as the page reloaded, while they are still
	// being made.
	edits := 0
	for _, settle := range []bool{true, false} {
		name := "settled"
		if !settle {
			name = "back-to-back"
		}
		b.Run(name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				edits++
				start := time.Now()
				if err := os.WriteFile(doc, fmt.Appendf(slices.Clone(src), "\nEdit %d.\n", edits), 0o644); err != nil {
					b.Fatal(err)
				}
				// A rebuild event that does not list the page came from a
				// second notification of the same save; the reload is the
				// one that does.
				waitFor(`"charter/doc-00008.html"`)
				times = append(times, time.Since(start))
				if settle {
					b.StopTimer()
					waitFor(`"print.html"`)
					time.Sleep(500 * time.Millisecond)
					b.StartTimer()
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
