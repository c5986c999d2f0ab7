package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
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
	allowRemote := fs.Bool("allow-remote", false, "let --addr be an address other machines can reach (the preview has no authentication)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack serve [PACK] [--addr 127.0.0.1:1313] [--allow-remote] [--poll] [--open]\n\nBuilds the pack in memory and serves it. Every save rebuilds it; open pages\nreload when their bytes change. A save that breaks the pack keeps the last\ngood site and shows the diagnostics over every page until it is fixed. It\nruns the same checks as govpack check. Nothing is written to disk.\n\nThe preview has no authentication: it listens on this machine only and\nanswers only requests addressed to localhost, 127.0.0.1 or [::1], unless\n--allow-remote lets --addr be an address of the network; it then also\nanswers requests for any IP address and for the name given in --addr.\n\n")
		fs.PrintDefaults()
	}
	pack, status, ok := parsePack(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	hosts, err := previewHosts(ctx, *addr, *allowRemote, net.DefaultResolver.LookupNetIP)
	if err != nil {
		fmt.Fprintf(stderr, "govpack serve: %v\n", err)
		return exitUsage
	}
	store, storeFile := openHighlightStore(pack)
	srv := serve.New(packFS(pack), options(generator.Options{Preview: true, Highlights: store}))
	srv.SetHosts(hosts)
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
	ln, err := listenPreview(*addr, *allowRemote, stderr)
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

// lookupFunc resolves a host name, as net.Resolver.LookupNetIP does.
type lookupFunc func(ctx context.Context, network, host string) ([]netip.Addr, error)

// previewHosts checks --addr before anything is built and returns the
// names the preview answers to. An address other machines can reach (no
// host, an unspecified or other non-loopback address, a name that
// resolves to one) is refused unless allowRemote: the preview has no
// authentication, and a writer who wanted a look on this machine must not
// publish the pack to the network by a typo.
func previewHosts(ctx context.Context, addr string, allowRemote bool, lookup lookupFunc) (serve.Hosts, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return serve.Hosts{}, fmt.Errorf("--addr %q: %v", addr, err)
	}
	var hosts serve.Hosts
	if _, err := netip.ParseAddr(host); err != nil && host != "" {
		hosts.Names = []string{host} // the writer's own name for this machine
	}
	reach, err := reachableAs(ctx, host, lookup)
	if err != nil {
		return serve.Hosts{}, fmt.Errorf("--addr %q: %v", addr, err)
	}
	if reach == "" {
		return hosts, nil
	}
	if !allowRemote {
		return serve.Hosts{}, fmt.Errorf("--addr %q can be reached from other machines (%s), and the preview has no authentication: listen on 127.0.0.1 or localhost, or add --allow-remote", addr, reach)
	}
	hosts.AnyIP = true
	return hosts, nil
}

// reachableAs says how other machines can reach a listener on host, or ""
// when it is loopback only.
func reachableAs(ctx context.Context, host string, lookup lookupFunc) (string, error) {
	if host == "" {
		return "every interface", nil
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.IsUnspecified() {
			return "every interface", nil
		}
		if !ip.IsLoopback() {
			return "a network address", nil
		}
		return "", nil
	}
	ips, err := lookup(ctx, "ip", host)
	if err != nil {
		return "", err
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Sprintf("%s is %s", host, ip), nil
		}
	}
	return "", nil
}

// listenPreview listens on addr. The address bound is checked again, as
// a name may resolve otherwise at the second asking; beyond loopback, the
// writer who allowed it is told that anyone on the network can read the
// pack.
func listenPreview(addr string, allowRemote bool, stderr io.Writer) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	bound, _ := ln.Addr().(*net.TCPAddr)
	if bound != nil && bound.IP.IsLoopback() {
		return ln, nil
	}
	if !allowRemote {
		ln.Close()
		return nil, fmt.Errorf("--addr %q listens on %s, which other machines can reach: listen on 127.0.0.1 or localhost, or add --allow-remote", addr, ln.Addr())
	}
	fmt.Fprintf(stderr, "govpack serve: warning: the preview has no authentication and can be reached from the network at %s: anyone who can reach this machine can read the pack\n", ln.Addr())
	return ln, nil
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
