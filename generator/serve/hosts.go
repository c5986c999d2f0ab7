package serve

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Hosts says which names a preview answers to. A page on another origin
// can point a name of its own at 127.0.0.1 (DNS rebinding) and then read
// the preview as if it were its own; its requests still carry that name
// in their Host header. So a request is answered only when its Host names
// this machine: localhost or a loopback address, with the port the
// request came in on, or one of the names below. A request that carries
// an Origin (a script's request, the event stream, a form) is answered
// only when the Origin is such a host too.
//
// The zero Hosts answers loopback names only.
type Hosts struct {
	// Names are further host names to answer to, such as the name given
	// to --addr.
	Names []string
	// AnyIP answers any IP address, for a preview opened to the network:
	// a rebinding page can only reach it under a name it controls, and a
	// browser that was given an address sends that address.
	AnyIP bool
}

// admit answers 403 to a request not addressed to this machine, 405 to
// one that would do more than read (a preview only serves files), and
// reports whether the request may go on.
func (h Hosts) admit(w http.ResponseWriter, r *http.Request) bool {
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	port := ""
	if tcp, ok := local.(*net.TCPAddr); ok {
		port = strconv.Itoa(tcp.Port)
	}
	if !h.allows(r.Host, port) {
		msg := "forbidden: this preview answers only to localhost, 127.0.0.1 and [::1], with its port"
		if h.AnyIP {
			msg = "forbidden: this preview answers only to IP addresses, localhost and the name given to --addr, with its port"
		}
		http.Error(w, msg, http.StatusForbidden)
		return false
	}
	if origin := r.Header.Get("Origin"); origin != "" && !h.allowsOrigin(origin, port) {
		http.Error(w, "forbidden: a page of another origin cannot read this preview", http.StatusForbidden)
		return false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return false
	}
	return true
}

// allows reports whether hostport, a Host header, names this machine on
// port. A browser leaves the port out only when it is http's default, 80.
func (h Hosts) allows(hostport, port string) bool {
	if port == "" {
		return false // not a TCP listener: nothing to compare with
	}
	host, got, err := net.SplitHostPort(hostport)
	if err != nil {
		host, got = hostport, "80"
		if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
			host = host[1 : len(host)-1]
		} else if strings.Contains(host, ":") {
			return false // an IPv6 address must be bracketed
		}
	}
	if got != port || host == "" {
		return false
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.IsLoopback() || h.AnyIP
	}
	return strings.EqualFold(host, "localhost") || slices.ContainsFunc(h.Names, func(n string) bool { return strings.EqualFold(n, host) })
}

// allowsOrigin reports whether origin, an Origin header, is a page of
// this preview.
func (h Hosts) allowsOrigin(origin, port string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Scheme == "http" && u.User == nil && (u.Path == "" || u.Path == "/") && u.RawQuery == "" && h.allows(u.Host, port)
}
