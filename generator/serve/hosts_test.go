package serve

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"govpack/generator"
)

// status sends a GET of path to the test server with the Host header and
// Origin given ("" for none) and returns the status; for the event stream
// it reads the first event, so the stream does not outlive the call.
func status(t *testing.T, ts *httptest.Server, path, host, origin string) int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+path, nil)
	req.Host = host
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == 200 && path == EventsPath {
		bufio.NewReader(resp.Body).ReadString('\n')
	}
	return resp.StatusCode
}

// preview serves the test pack at a free loopback port, answering hosts,
// until the test ends, and returns the server and its port.
func preview(t *testing.T, hosts Hosts) (*httptest.Server, string) {
	t.Helper()
	s := New(pack(), generator.Options{Preview: true})
	s.SetHosts(hosts)
	s.Rebuild(nil)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	return ts, port
}

// A request is answered only when its Host names this machine with the
// port it came in on: another name is what a page that rebound a name of
// its own to 127.0.0.1 sends.
func TestServeAnswersLocalHostsOnly(t *testing.T) {
	ts, port := preview(t, Hosts{})
	good := []string{"127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port, "[::1]:" + port, "127.0.0.2:" + port}
	evil := []string{
		"evil.example:" + port, "evil.example", "localhost", "127.0.0.1", "[::1]",
		"localhost:1", "127.0.0.1:1", "localhost.evil.example:" + port, "127.0.0.1.nip.io:" + port,
		"::1:" + port, "192.168.1.20:" + port, "10.0.0.1:" + port,
	}
	for _, path := range []string{"/", "/charter/a.html", EventsPath} {
		for _, host := range good {
			if got := status(t, ts, path, host, ""); got != 200 {
				t.Errorf("%s with Host %q: status %d, want 200", path, host, got)
			}
		}
		for _, host := range evil {
			if got := status(t, ts, path, host, ""); got != http.StatusForbidden {
				t.Errorf("%s with Host %q: status %d, want 403", path, host, got)
			}
		}
	}
}

// A preview opened to the network answers any IP address and the names
// it was given, still not any name.
func TestServeAnswersNetworkHostsWhenOpened(t *testing.T) {
	ts, port := preview(t, Hosts{Names: []string{"mybox.lan"}, AnyIP: true})
	for host, want := range map[string]int{
		"192.168.1.20:" + port: 200, "[fe80::1]:" + port: 200, "MyBox.lan:" + port: 200, "localhost:" + port: 200,
		"evil.example:" + port: 403, "192.168.1.20:1": 403, "mybox.lan": 403,
	} {
		if got := status(t, ts, "/", host, ""); got != want {
			t.Errorf("Host %q: status %d, want %d", host, got, want)
		}
	}
}

// A browser leaves the port out of Host only for http's port, 80: only
// there is a Host without one answered.
func TestServeHostWithoutPort(t *testing.T) {
	s := New(pack(), generator.Options{})
	s.Rebuild(nil)
	for _, c := range []struct {
		port int
		host string
		want int
	}{
		{80, "localhost", 200}, {80, "127.0.0.1", 200}, {80, "[::1]", 200}, {80, "localhost:80", 200},
		{80, "evil.example", 403}, {80, "::1", 403}, {80, "", 403}, {80, "[::1", 403},
		{1313, "localhost", 403}, {1313, "localhost:1313", 200},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = c.host
		local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: c.port}
		req = req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, local))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != c.want {
			t.Errorf("port %d, Host %q: status %d, want %d", c.port, c.host, w.Code, c.want)
		}
	}
	// Without a TCP listener to compare the port with, nothing is served.
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = "localhost"
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != 403 {
		t.Errorf("no listener: status %d, want 403", w.Code)
	}
}

// A script of another origin cannot read the event stream or the pages:
// a request carrying an Origin is answered only when that is the preview.
func TestServeRefusesOtherOrigins(t *testing.T) {
	ts, port := preview(t, Hosts{})
	host := "127.0.0.1:" + port
	for _, path := range []string{EventsPath, "/charter/a.html"} {
		for origin, want := range map[string]int{
			"http://127.0.0.1:" + port: 200, "http://localhost:" + port: 200, "http://[::1]:" + port: 200,
			"http://evil.example": 403, "http://evil.example:" + port: 403, "https://127.0.0.1:" + port: 403,
			"http://localhost:1": 403, "http://localhost": 403, "null": 403, "file://": 403,
		} {
			if got := status(t, ts, path, host, origin); got != want {
				t.Errorf("%s with Origin %q: status %d, want %d", path, origin, got, want)
			}
		}
	}
}

// Only GET and HEAD are answered, the event stream included.
func TestServeMethods(t *testing.T) {
	ts, _ := preview(t, Hosts{})
	for _, path := range []string{EventsPath, "/charter/a.html"} {
		resp, err := http.Post(ts.URL+path, "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST %s: status %d, want 405", path, resp.StatusCode)
		}
	}
}

// The files of a finished site are served as they are, to this machine
// only, by clean names only.
func TestFiles(t *testing.T) {
	site := generator.Output{"print.html": []byte("<p>print</p>"), "a/b.css": []byte("p{}")}
	ts := httptest.NewServer(Files(site, Hosts{}))
	defer ts.Close()
	host := ts.Listener.Addr().String()
	for _, c := range []struct {
		path, host string
		want       int
	}{
		{"/print.html", host, 200}, {"/a/b.css", host, 200},
		{"/print.html", "evil.example", 403}, {"/../print.html", host, 404}, {"/a//b.css", host, 404}, {"/c", host, 404},
	} {
		if got := status(t, ts, c.path, c.host, ""); got != c.want {
			t.Errorf("%s with Host %q: status %d, want %d", c.path, c.host, got, c.want)
		}
	}
	_, body := get(t, ts.URL+"/print.html")
	if body != "<p>print</p>" {
		t.Errorf("print.html served as %q", body)
	}
	if !strings.Contains(contentType(t, ts.URL+"/a/b.css"), "text/css") {
		t.Error("a/b.css is not served as CSS")
	}
}

// contentType returns the Content-Type a GET of url is answered with.
func contentType(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header.Get("Content-Type")
}
