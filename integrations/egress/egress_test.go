package egress

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// store is a loopback server standing in for a merchant's host; it counts
// the requests that reach it.
type store struct {
	*httptest.Server
	hits atomic.Int64
	mu   sync.Mutex
	auth []string // Authorization of each request, in order
}

func newStore(t *testing.T, h http.HandlerFunc) *store {
	t.Helper()
	s := &store{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.mu.Lock()
		s.auth = append(s.auth, r.Header.Get("Authorization"))
		s.mu.Unlock()
		if h != nil {
			h(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *store) port() string { return strconv.Itoa(s.Listener.Addr().(*net.TCPAddr).Port) }

// internet stands in for the public internet: every dial, whatever the
// address, reaches the store. A refused address must never get this far.
func internet(s *store) dialFunc {
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, s.Listener.Addr().String())
	}
}

// answers is a resolver that answers each lookup with the next list in turn
// (the last one repeats) and counts lookups.
type answers struct {
	mu    sync.Mutex
	lists [][]netip.Addr
	calls int
}

func resolveTo(lists ...[]string) *answers {
	r := &answers{}
	for _, l := range lists {
		var addrs []netip.Addr
		for _, a := range l {
			addrs = append(addrs, netip.MustParseAddr(a))
		}
		r.lists = append(r.lists, addrs)
	}
	return r
}

func (r *answers) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	return r.lists[min(r.calls, len(r.lists))-1], nil
}

func get(t *testing.T, hc *http.Client, u string) error {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth("ck_key", "cs_secret")
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	return nil
}

// refusedAddrs are outside the public internet; each must be refused
// whether it is written in the URL or answered by DNS.
var refusedAddrs = []string{
	"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "::127.0.0.1",
	"10.0.0.1", "172.16.0.1", "172.31.255.254", "192.168.1.1", "::ffff:192.168.1.1",
	"169.254.169.254", "::ffff:169.254.169.254", "169.254.0.1", "fe80::1", "fe80::1%lo",
	"100.64.0.1", "100.127.255.254",
	"224.0.0.1", "239.255.255.250", "ff02::1", "ff0e::1",
	"0.0.0.0", "0.1.2.3", "::", "255.255.255.255", "240.0.0.1",
	"fc00::1", "fd00:ec2::254", "fec0::1",
	"198.18.0.1", "198.19.255.254", "192.0.0.8", "192.0.2.1", "198.51.100.7", "203.0.113.9", "2001:db8::1", "3fff::1",
	"64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::a00:1", "64:ff9b:1::1",
	"2002:7f00:1::1", "2001::1", "2001:2::1", "100::1",
	"::ffff:0:127.0.0.1", "::ffff:0:a9fe:a9fe", "::ffff:0:808:808",
}

// publicAddrs are on the public internet (the controls: the fake internet
// must be reachable through them, or the refusals above prove nothing).
var publicAddrs = []string{"93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:1.1.1.1", "64:ff9b::5db8:d70e", "100.128.0.1", "172.32.0.1"}

func TestRefusesAddressesWrittenInTheURL(t *testing.T) {
	for _, a := range refusedAddrs {
		t.Run(a, func(t *testing.T) {
			s := newStore(t, nil)
			hc := newClient(Options{AllowHTTP: true}, resolveTo(), internet(s))
			host := net.JoinHostPort(a, s.port())
			if ip := netip.MustParseAddr(a); ip.Zone() != "" {
				host = "[" + ip.WithZone("").String() + "%25" + ip.Zone() + "]:" + s.port()
			}
			err := get(t, hc, "http://"+host+"/wp-json/wc/v3/orders")
			if !errors.Is(err, ErrRefused) || s.hits.Load() != 0 {
				t.Errorf("GET %s: err %v, %d requests reached the host; want ErrRefused and none", host, err, s.hits.Load())
			}
		})
	}
}

func TestRefusesHostsThatResolveOutsideThePublicInternet(t *testing.T) {
	for _, a := range refusedAddrs {
		t.Run(a, func(t *testing.T) {
			s := newStore(t, nil)
			hc := newClient(Options{AllowHTTP: true}, resolveTo([]string{a}), internet(s))
			err := get(t, hc, "http://shop.example:"+s.port()+"/")
			if !errors.Is(err, ErrRefused) || s.hits.Load() != 0 {
				t.Errorf("shop.example -> %s: err %v, %d requests reached it; want ErrRefused and none", a, err, s.hits.Load())
			}
		})
	}
}

func TestRefusesHostsWithAnyRefusedAddress(t *testing.T) {
	s := newStore(t, nil)
	hc := newClient(Options{AllowHTTP: true}, resolveTo([]string{"93.184.215.14", "10.0.0.5"}), internet(s))
	if err := get(t, hc, "http://shop.example:"+s.port()+"/"); !errors.Is(err, ErrRefused) || s.hits.Load() != 0 {
		t.Errorf("host answering a public and a private address: err %v, %d hits; want ErrRefused and none", err, s.hits.Load())
	}
}

func TestReachesPublicAddresses(t *testing.T) {
	for _, a := range publicAddrs {
		t.Run(a, func(t *testing.T) {
			s := newStore(t, nil)
			hc := newClient(Options{AllowHTTP: true}, resolveTo([]string{a}), internet(s))
			if err := get(t, hc, "http://shop.example:"+s.port()+"/"); err != nil || s.hits.Load() != 1 {
				t.Errorf("shop.example -> %s: err %v, %d hits; want the call made", a, err, s.hits.Load())
			}
		})
	}
}

func TestRefusesMetadataHostnames(t *testing.T) {
	for _, h := range []string{"metadata.google.internal", "METADATA.google.internal.", "metadata", "instance-data.ec2.internal"} {
		t.Run(h, func(t *testing.T) {
			s := newStore(t, nil)
			// Even a resolver that maps the name to a public address does not
			// get asked.
			r := resolveTo([]string{"93.184.215.14"})
			hc := newClient(Options{AllowHTTP: true}, r, internet(s))
			err := get(t, hc, "http://"+h+":"+s.port()+"/computeMetadata/v1/")
			if !errors.Is(err, ErrRefused) || s.hits.Load() != 0 || r.calls != 0 {
				t.Errorf("GET %s: err %v, %d hits, %d lookups; want ErrRefused before resolving", h, err, s.hits.Load(), r.calls)
			}
		})
	}
}

// TestChecksTheAddressItDials is DNS rebinding: the host answers a public
// address, then loopback. The second connection is refused because the
// check runs on the address being dialled, each time one is dialled.
func TestChecksTheAddressItDials(t *testing.T) {
	s := newStore(t, nil)
	r := resolveTo([]string{"93.184.215.14"}, []string{"127.0.0.1"})
	hc := newClient(Options{AllowHTTP: true}, r, internet(s))
	u := "http://rebind.example:" + s.port() + "/"
	if err := get(t, hc, u); err != nil {
		t.Fatalf("first call, public answer: %v", err)
	}
	hc.CloseIdleConnections() // the next call dials (and resolves) again
	err := get(t, hc, u)
	if !errors.Is(err, ErrRefused) || s.hits.Load() != 1 || r.calls != 2 {
		t.Errorf("second call, loopback answer: err %v, %d hits, %d lookups; want ErrRefused with only the first call through", err, s.hits.Load(), r.calls)
	}
}

func TestDefaultRefusesLoopback(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "localhost"} {
		t.Run(host, func(t *testing.T) {
			s := newStore(t, nil)
			hc := NewClient(Options{AllowHTTP: true})
			err := get(t, hc, "http://"+host+":"+s.port()+"/")
			if !errors.Is(err, ErrRefused) || s.hits.Load() != 0 {
				t.Errorf("GET %s with the default policy: err %v, %d hits; want ErrRefused and none", host, err, s.hits.Load())
			}
		})
	}
}

func TestAllowLoopbackReachesLoopbackOnly(t *testing.T) {
	s := newStore(t, nil)
	hc := NewClient(Options{AllowLoopback: true, AllowHTTP: true})
	if err := get(t, hc, s.URL+"/"); err != nil || s.hits.Load() != 1 {
		t.Fatalf("GET %s with AllowLoopback: err %v, %d hits; want it through", s.URL, err, s.hits.Load())
	}
	for _, a := range []string{"10.0.0.1", "169.254.169.254", "192.168.0.1", "fd00::1", "0.0.0.0"} {
		hc := newClient(Options{AllowLoopback: true, AllowHTTP: true}, resolveTo(), internet(s))
		if err := get(t, hc, "http://"+net.JoinHostPort(a, s.port())+"/"); !errors.Is(err, ErrRefused) {
			t.Errorf("GET %s with AllowLoopback: err %v; want ErrRefused, loopback is all it allows", a, err)
		}
	}
	if s.hits.Load() != 1 {
		t.Errorf("%d hits; want only the loopback call", s.hits.Load())
	}
}

func TestRefusesPlainHTTPByDefault(t *testing.T) {
	s := newStore(t, nil)
	hc := NewClient(Options{AllowLoopback: true})
	if err := get(t, hc, s.URL+"/"); !errors.Is(err, ErrRefused) || s.hits.Load() != 0 {
		t.Errorf("GET %s without AllowHTTP: err %v, %d hits; want ErrRefused and none", s.URL, err, s.hits.Load())
	}
}

// tlsClient is the AllowLoopback client trusting the test server's certificate.
func tlsClient(srv *httptest.Server) *http.Client {
	hc := NewClient(Options{AllowLoopback: true})
	hc.Transport.(schemeGuard).next.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig
	return hc
}

func TestCallsHTTPS(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	if err := get(t, tlsClient(srv), srv.URL+"/"); err != nil || hits.Load() != 1 {
		t.Errorf("GET %s: err %v, %d hits; want it through", srv.URL, err, hits.Load())
	}
}

func TestRefusesRedirectFromHTTPSToHTTP(t *testing.T) {
	plain := newStore(t, nil)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/", http.StatusFound)
	}))
	defer srv.Close()
	hc := tlsClient(srv)
	if err := get(t, hc, srv.URL+"/"); !errors.Is(err, ErrRefused) || plain.hits.Load() != 0 {
		t.Errorf("https redirect to %s: err %v, %d hits; want ErrRefused and none", plain.URL, err, plain.hits.Load())
	}
}

func TestRefusesRedirectToAnotherPort(t *testing.T) {
	other := newStore(t, nil)
	from := newStore(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/wp-admin/", http.StatusFound)
	})
	hc := NewClient(Options{AllowLoopback: true, AllowHTTP: true})
	if err := get(t, hc, from.URL+"/start"); !errors.Is(err, ErrRefused) || other.hits.Load() != 0 {
		t.Errorf("redirect to %s: err %v, %d hits there; want ErrRefused and none", other.URL, err, other.hits.Load())
	}
}

func TestRefusesRedirectToAnotherHost(t *testing.T) {
	for _, target := range []string{"http://localhost:{port}/", "http://[::1]:{port}/", "http://169.254.169.254/latest/meta-data/"} {
		t.Run(target, func(t *testing.T) {
			s := newStore(t, func(w http.ResponseWriter, r *http.Request) {
				_, port, _ := net.SplitHostPort(r.Host)
				http.Redirect(w, r, strings.ReplaceAll(target, "{port}", port), http.StatusFound)
			})
			hc := NewClient(Options{AllowLoopback: true, AllowHTTP: true})
			if err := get(t, hc, s.URL+"/start"); !errors.Is(err, ErrRefused) || s.hits.Load() != 1 {
				t.Errorf("127.0.0.1 redirecting to %s: err %v after %d requests; want ErrRefused after the first", target, err, s.hits.Load())
			}
		})
	}
}

func TestSameHostRedirectDropsAuthorization(t *testing.T) {
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			s := newStore(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/start" {
					http.Redirect(w, r, "/moved", code)
				}
			})
			hc := NewClient(Options{AllowLoopback: true, AllowHTTP: true})
			if err := get(t, hc, s.URL+"/start"); err != nil {
				t.Fatal(err)
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if len(s.auth) != 2 || s.auth[0] == "" || s.auth[1] != "" {
				t.Errorf("Authorization per request %q; want it on the first request only", s.auth)
			}
		})
	}
}

func TestRefusesEndlessRedirects(t *testing.T) {
	s := newStore(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/again?"+url.QueryEscape(r.URL.RawQuery+"x"), http.StatusFound)
	})
	hc := NewClient(Options{AllowLoopback: true, AllowHTTP: true})
	if err := get(t, hc, s.URL+"/"); !errors.Is(err, ErrRefused) || s.hits.Load() != maxRedirects+1 {
		t.Errorf("redirect loop: err %v after %d requests; want ErrRefused after %d", err, s.hits.Load(), maxRedirects+1)
	}
}
