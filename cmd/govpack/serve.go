package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"govpack/generator"
	"govpack/generator/diag"
	"govpack/generator/serve"
	"govpack/generator/watch"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:1313", "listen on `ADDR` (loopback by default)")
	poll := fs.Bool("poll", false, "poll for changes instead of using file notifications")
	open := fs.Bool("open", false, "open the site in the default browser")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack serve [PACK] [--addr 127.0.0.1:1313] [--poll] [--open]\n\nBuilds the pack in memory and serves it. Every save rebuilds it; open pages\nreload when their bytes change. A save that breaks the pack keeps the last\ngood site and shows the diagnostics over every page until it is fixed. It\nruns the same checks as govpack check. Nothing is written to disk.\n\n")
		fs.PrintDefaults()
	}
	pack, status, ok := parsePack(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	store, storeFile := openHighlightStore(pack)
	srv := serve.New(packFS(pack), generator.Options{Preview: true, Highlights: store})
	printRebuild := func(what string, r serve.Result) {
		if r.Failed {
			diag.WriteText(stderr, r.Diags, useColor(stderr))
			fmt.Fprintf(stdout, "%s: the pack has errors; serving the last good build (%d ms)\n", what, r.Duration.Milliseconds())
			return
		}
		diag.WriteText(stderr, r.Diags, useColor(stderr))
		fmt.Fprintf(stdout, "%s: %d pages changed, %d ms\n", what, len(r.Changed), r.Duration.Milliseconds())
	}
	printRebuild("built", srv.Rebuild(nil))
	// Keep the first build's code for the next start, and on the way out
	// what the edits highlighted.
	saved := make(chan struct{})
	go func() { saveHighlightStore(store, storeFile, "serve", stderr); close(saved) }()
	defer func() {
		<-saved
		saveHighlightStore(store, storeFile, "serve", stderr)
		store.Close()
	}()

	w, err := watch.New(pack, watch.Options{Poll: *poll})
	if err != nil {
		fmt.Fprintf(stderr, "govpack serve: %v\n", err)
		return exitUsage
	}
	defer w.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "govpack serve: %v\n", err)
		return exitUsage
	}
	// Requests live in ctx, so that open event streams end with the server.
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	go hs.Serve(ln)
	fmt.Fprintf(stdout, "serving %s at http://%s/ (Ctrl-C to stop)\n", pack, ln.Addr())
	if *open {
		if err := openBrowser(fmt.Sprintf("http://%s/", ln.Addr())); err != nil {
			fmt.Fprintf(stderr, "govpack serve: --open: %v; open the address above yourself\n", err)
		}
	}
	for {
		select {
		case <-ctx.Done():
			shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			hs.Shutdown(shutdown)
			return exitOK
		case note := <-w.Notes():
			fmt.Fprintf(stderr, "govpack serve: %s\n", note)
		case batch := <-w.Batches():
			what := strings.Join(batch, ", ")
			if len(batch) > 3 {
				what = fmt.Sprintf("%s and %d more", strings.Join(batch[:3], ", "), len(batch)-3)
			}
			printRebuild(what, srv.Rebuild(batch))
		}
	}
}

// openBrowser opens url with the desktop's opener, without waiting for it.
func openBrowser(url string) error {
	name, args := "xdg-open", []string{url}
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler", url}
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("no %s to open a browser with", name)
	}
	cmd := exec.Command(path, args...)
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it; whether a browser came up is the desktop's affair
	return nil
}
