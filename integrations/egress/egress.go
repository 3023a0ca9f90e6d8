// Package egress is the HTTP client for calls to hosts a merchant chose (a
// WooCommerce store URL, a carrier account's API host). Such a host can name
// anything the server can reach, so the client checks every address it is
// about to dial: it resolves the host itself, refuses loopback, private,
// link-local (cloud metadata), shared (CGNAT), multicast and reserved
// addresses, and dials only the address it checked, so a DNS answer that
// changes between a check and the connection (rebinding) gains nothing.
// Redirects stay on the first host and scheme and never carry credentials.
package egress

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// ErrRefused means the client would not call the destination: its address,
// scheme or redirect is outside the policy. Retrying cannot help until the
// merchant changes the address.
var ErrRefused = errors.New("egress: destination refused")

// Options relax the policy for tests and local development; the zero value
// is the production policy.
type Options struct {
	// AllowLoopback lets calls reach 127.0.0.0/8 and ::1, where tests and a
	// developer's fake stores listen. Never set it in production.
	AllowLoopback bool
	// AllowHTTP permits plain http; otherwise only https is called.
	AllowHTTP bool
	// RootCAs replaces the system's trusted roots (tests trust their TLS
	// fakes with it); nil keeps the system's.
	RootCAs *x509.CertPool
}

// timeout bounds a whole call, redirects included.
const timeout = 30 * time.Second

// maxRedirects is how many same-host redirects a call follows (a store
// moving /shop to /shop/ and then to a login page is already two).
const maxRedirects = 3

// resolver answers a host's addresses; *net.Resolver is one.
type resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// dialFunc connects to a checked address ("1.2.3.4:443").
type dialFunc func(ctx context.Context, network, address string) (net.Conn, error)

// NewClient returns a client that enforces the policy on every request and
// redirect.
func NewClient(o Options) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return newClient(o, net.DefaultResolver, d.DialContext)
}

// newClient takes the resolver and the dialer as parameters so tests can
// stand in for DNS and the public internet.
func newClient(o Options, r resolver, dial dialFunc) *http.Client {
	g := &guard{allowLoopback: o.AllowLoopback, resolve: r, dial: dial}
	tr := &http.Transport{
		// No proxy: a proxy would dial the destination on our behalf, past
		// the address check.
		Proxy:                 nil,
		DialContext:           g.dialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	if o.RootCAs != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: o.RootCAs}
	}
	return &http.Client{
		Transport:     schemeGuard{next: tr, allowHTTP: o.AllowHTTP},
		CheckRedirect: checkRedirect,
		Timeout:       timeout,
	}
}

// checkRedirect follows a redirect only to the first request's scheme and
// host (port included), and drops Authorization: the credentials were meant
// for the URL the caller named, not for wherever it points next.
func checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	switch {
	case len(via) > maxRedirects:
		return fmt.Errorf("%w: more than %d redirects from %s", ErrRefused, maxRedirects, first.Redacted())
	case req.URL.Scheme != first.Scheme || !strings.EqualFold(req.URL.Host, first.Host):
		return fmt.Errorf("%w: redirect from %s://%s to %s://%s leaves the host", ErrRefused, first.Scheme, first.Host, req.URL.Scheme, req.URL.Host)
	}
	req.Header.Del("Authorization")
	return nil
}

// schemeGuard refuses anything but https (and http when allowed) before a
// connection is made, for the first request and every redirect.
type schemeGuard struct {
	next      *http.Transport
	allowHTTP bool
}

func (s schemeGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme == "https" || (s.allowHTTP && req.URL.Scheme == "http") {
		return s.next.RoundTrip(req)
	}
	if req.Body != nil {
		req.Body.Close() // a RoundTripper closes the body even on error
	}
	return nil, fmt.Errorf("%w: %s://%s: only https is allowed", ErrRefused, req.URL.Scheme, req.URL.Host)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// transport's pool.
func (s schemeGuard) CloseIdleConnections() {
	s.next.CloseIdleConnections()
}

// guard resolves, checks and dials.
type guard struct {
	allowLoopback bool
	resolve       resolver
	dial          dialFunc
}

// dialContext resolves the host, refuses it if any of its addresses is
// refused (a host answering both a public and a private address is not a
// store), and dials the checked addresses in order.
func (g *guard) dialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("egress: dial %q: %w", address, err)
	}
	addrs, err := g.lookup(ctx, network, host)
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		if err := g.check(a); err != nil {
			return nil, fmt.Errorf("%w: %s resolves to %s", err, host, a)
		}
	}
	var errs []error
	for _, a := range addrs {
		c, err := g.dial(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

func (g *guard) lookup(ctx context.Context, network, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	if metadataHosts[strings.TrimSuffix(strings.ToLower(host), ".")] {
		return nil, fmt.Errorf("%w: %s is a cloud metadata service", ErrRefused, host)
	}
	ipNet := "ip"
	switch network {
	case "tcp4":
		ipNet = "ip4"
	case "tcp6":
		ipNet = "ip6"
	}
	addrs, err := g.resolve.LookupNetIP(ctx, ipNet, host)
	if err != nil {
		return nil, fmt.Errorf("egress: resolve %s: %w", host, err)
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("egress: resolve %s: no addresses", host)
	}
	return addrs, nil
}

// check refuses an address outside the public internet.
func (g *guard) check(a netip.Addr) error {
	a = a.Unmap().WithZone("") // ::ffff:127.0.0.1 is 127.0.0.1
	if g.allowLoopback && a.IsLoopback() {
		return nil
	}
	if nat64.Contains(a) {
		// 64:ff9b::/96 carries an IPv4 address in its last 4 bytes; the
		// translator would connect to that.
		b := a.As16()
		return g.check(netip.AddrFrom4([4]byte(b[12:])))
	}
	for _, r := range refused {
		if r.prefix.Contains(a) {
			return fmt.Errorf("%w: %s is %s", ErrRefused, a, r.what)
		}
	}
	return nil
}

// metadataHosts name cloud instance metadata services; their addresses are
// link-local and refused anyway, but a resolver may map them elsewhere.
var metadataHosts = map[string]bool{
	"metadata.google.internal":   true,
	"metadata.goog":              true,
	"metadata":                   true,
	"instance-data":              true,
	"instance-data.ec2.internal": true,
}

var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// refused are the ranges that are not the public internet (IANA special-
// purpose registries), each with what to call it in an error.
var refused = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), `"this network"`},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared address space (CGNAT)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local (cloud metadata)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved (and broadcast)"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("::/96"), "IPv4-compatible (deprecated)"},
	// A SIIT translator would connect to the IPv4 address in the last 4
	// bytes; no public host is named this way.
	{netip.MustParsePrefix("::ffff:0:0:0/96"), "IPv4-translated (SIIT)"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use NAT64"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("2001::/23"), "IETF protocol assignments (Teredo, benchmarking)"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("2002::/16"), "6to4"},
	{netip.MustParsePrefix("3fff::/20"), "documentation"},
	{netip.MustParsePrefix("fc00::/7"), "unique local (private)"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local (deprecated)"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}
