package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/fsnotify/fsnotify"

	"govpack/generator/synth"
)

// asMainEnv holds a command line, one argument a line, that the test
// binary runs as govpack itself (see TestMain).
const asMainEnv = "GOVPACK_TEST_AS_MAIN"

// SIGTERM, as a CI system sends to cancel a job, stops a build cleanly:
// the half-written site beside the output goes, and the status is 2.
func TestBuildSIGTERMRemovesPartialSite(t *testing.T) {
	pack := t.TempDir()
	for name, f := range synth.Pack(400) {
		p := filepath.Join(pack, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	parent := t.TempDir()
	out := filepath.Join(parent, "site")
	w, err := fsnotify.NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Add(parent); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), asMainEnv+"="+strings.Join([]string{"build", pack, "-o", out}, "\n"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Once the build has begun writing its temporary site, cancel it.
	for started := false; !started; {
		select {
		case ev := <-w.Events:
			started = ev.Has(fsnotify.Create) && strings.HasPrefix(filepath.Base(ev.Name), ".site.tmp-")
		case err := <-done:
			t.Fatalf("the build ended before it wrote: %v\n%s", err, stderr.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = <-done
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitUsage || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("after SIGTERM: %v, stderr:\n%s", err, stderr.String())
	}
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		t.Errorf("left beside the output: %s", e.Name())
	}
}
