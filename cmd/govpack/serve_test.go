package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

// addrWriter is serve's stdout in a test: it tells the address serve
// prints once it is written.
type addrWriter struct {
	syncBuffer
	once sync.Once
	addr chan string
}

func (w *addrWriter) Write(p []byte) (int, error) {
	n, err := w.syncBuffer.Write(p)
	if _, rest, ok := strings.Cut(w.String(), "at http://"); ok {
		if addr, _, ok := strings.Cut(rest, "/ "); ok {
			w.once.Do(func() { w.addr <- addr })
		}
	}
	return n, err
}

// serveArgs runs govpack serve on a small pack with args and returns the
// address it serves at and its stderr; the server stops when the test
// ends, and must end with status 0.
func serveArgs(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	pack := writePack(t, goodPack)
	ctx, cancel := context.WithCancel(context.Background())
	stdout := &addrWriter{addr: make(chan string, 1)}
	stderr := &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"serve", pack}, args...), stdout, stderr) }()
	t.Cleanup(func() {
		cancel()
		if status := <-done; status != exitOK {
			t.Errorf("serve %s ended with %d:\n%s", strings.Join(args, " "), status, stderr.String())
		}
	})
	select {
	case addr := <-stdout.addr:
		return addr, stderr
	case status := <-done:
		done <- status
		t.Fatalf("serve %s ended with %d before serving:\n%s", strings.Join(args, " "), status, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve %s did not start within 60 s:\n%s%s", strings.Join(args, " "), stdout.String(), stderr.String())
	}
	return "", nil
}

// hostStatus is the status of a GET of / from addr with the Host header.
func hostStatus(t *testing.T, addr, host string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+"/", nil)
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// An address other machines can reach is refused, before anything is
// built, unless --allow-remote is given.
func TestServeRefusesNetworkAddr(t *testing.T) {
	pack := writePack(t, goodPack)
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0"} {
		ctx, cancel := context.WithCancel(context.Background())
		stdout, stderr := &addrWriter{addr: make(chan string, 1)}, &syncBuffer{}
		done := make(chan int, 1)
		go func() { done <- run(ctx, []string{"serve", pack, "--addr", addr}, stdout, stderr) }()
		select {
		case status := <-done:
			if status != exitUsage || !strings.Contains(stderr.String(), "can be reached from other machines") || !strings.Contains(stderr.String(), "--allow-remote") {
				t.Errorf("--addr %s: status %d, stderr %q; want 2 and advice to listen on loopback or add --allow-remote", addr, status, stderr.String())
			}
			if stdout.String() != "" {
				t.Errorf("--addr %s: serve built before refusing:\n%s", addr, stdout.String())
			}
		case at := <-stdout.addr:
			t.Errorf("--addr %s: serving at %s", addr, at)
			cancel()
			<-done
		}
		cancel()
	}
}

// With --allow-remote, serve listens on every interface, says that anyone
// on the network can read the pack, and answers IP addresses, still not
// other names.
func TestServeAllowRemote(t *testing.T) {
	addr, stderr := serveArgs(t, "--addr", "0.0.0.0:0", "--allow-remote")
	if !strings.Contains(stderr.String(), "warning: the preview has no authentication and can be reached from the network") {
		t.Errorf("no warning that the preview is open to the network:\n%s", stderr.String())
	}
	_, port, _ := net.SplitHostPort(addr)
	local := "127.0.0.1:" + port
	for host, want := range map[string]int{local: 200, "192.0.2.7:" + port: 200, "localhost:" + port: 200, "evil.example:" + port: 403} {
		if got := hostStatus(t, local, host); got != want {
			t.Errorf("Host %q: status %d, want %d", host, got, want)
		}
	}
}

// On loopback, by address or by name, serve starts without a warning and
// answers loopback names only.
func TestServeLoopbackAddr(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		t.Run(addr, func(t *testing.T) {
			got, stderr := serveArgs(t, "--addr", addr)
			if strings.Contains(stderr.String(), "warning") {
				t.Errorf("a warning on loopback:\n%s", stderr.String())
			}
			_, port, _ := net.SplitHostPort(got)
			for host, want := range map[string]int{got: 200, "localhost:" + port: 200, "evil.example:" + port: 403, "192.0.2.7:" + port: 403} {
				if s := hostStatus(t, got, host); s != want {
					t.Errorf("Host %q: status %d, want %d", host, s, want)
				}
			}
		})
	}
}

// A name is loopback when every address it resolves to is.
func TestPreviewHostsResolvesNames(t *testing.T) {
	lookup := func(_ context.Context, _, host string) ([]netip.Addr, error) {
		switch host {
		case "loop.test":
			return []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")}, nil
		case "lan.test":
			return []netip.Addr{netip.MustParseAddr("192.168.1.20")}, nil
		case "both.test":
			return []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("10.0.0.1")}, nil
		}
		return nil, errors.New("no such host")
	}
	for _, c := range []struct {
		addr    string
		allowed bool // without --allow-remote
	}{
		{"loop.test:1313", true}, {"[::1]:1313", true}, {"127.0.0.1:1313", true},
		{"lan.test:1313", false}, {"both.test:1313", false}, {"192.168.1.20:1313", false}, {"[::]:1313", false}, {":1313", false},
	} {
		hosts, err := previewHosts(context.Background(), c.addr, false, lookup)
		if (err == nil) != c.allowed {
			t.Errorf("%s: error %v, want allowed %v", c.addr, err, c.allowed)
		}
		if err == nil && hosts.AnyIP {
			t.Errorf("%s: loopback, yet any IP is answered", c.addr)
		}
		hosts, err = previewHosts(context.Background(), c.addr, true, lookup)
		if err != nil || hosts.AnyIP == c.allowed {
			t.Errorf("%s with --allow-remote: %+v, %v", c.addr, hosts, err)
		}
	}
	if hosts, _ := previewHosts(context.Background(), "lan.test:1313", true, lookup); len(hosts.Names) != 1 || hosts.Names[0] != "lan.test" {
		t.Errorf("the name given to --addr is not answered: %+v", hosts)
	}
	for _, addr := range []string{"nowhere.test:1313", "1313", "localhost"} {
		if _, err := previewHosts(context.Background(), addr, true, lookup); err == nil || !strings.Contains(err.Error(), "--addr") {
			t.Errorf("%s: error %v, want one naming --addr", addr, err)
		}
	}
}
