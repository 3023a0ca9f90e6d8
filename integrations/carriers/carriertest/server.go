// Package carriertest fakes carrier tracking APIs for the adapters' tests: a
// server with an OAuth token endpoint and routes that answer with recorded
// fixtures from the calling package's testdata folder, record what they were
// asked and fail the test on requests the carrier would refuse; scripted
// failures (429 with Retry-After, 5xx, 401); and Contract, the behaviours
// every adapter must show, run the same way for each of them.
package carriertest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Reply is one canned carrier answer: a status, a fixture file in testdata/
// for the body, and extra headers (such as Retry-After). The body is served as
// application/json unless Header sets another Content-Type.
type Reply struct {
	Status int
	File   string
	Header map[string]string
}

// Fixture returns testdata/name of the package under test, failing the test
// when it cannot be read.
func Fixture(t *testing.T, name string) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return body
}

// KeyFunc checks a request the way the carrier would (failing t when it is
// not what the carrier documents) and names the reply that answers it, for
// example the tracking number in the path.
type KeyFunc func(t *testing.T, r *http.Request) string

// Server is a fake carrier API on loopback, closed when the test ends.
type Server struct {
	*httptest.Server
	t      *testing.T
	mu     sync.Mutex
	routes []*Route
	token  *Route
}

// NewServer starts a fake carrier API with no routes; add them with Token and
// Handle. Any request no route matches fails the test.
func NewServer(t *testing.T) *Server {
	t.Helper()
	s := &Server{t: t}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Token serves path as an OAuth client-credentials token endpoint: each POST
// is checked by check and answered with testdata/token.json. TokenCalls
// counts them.
func (s *Server) Token(path string, check func(t *testing.T, r *http.Request)) {
	s.token = s.Handle(http.MethodPost, path, func(t *testing.T, r *http.Request) string {
		check(t, r)
		return "token"
	}, map[string]Reply{"token": {Status: http.StatusOK, File: "token.json"}})
}

// TokenCalls is how many token requests the server has answered.
func (s *Server) TokenCalls() int {
	if s.token == nil {
		return 0
	}
	return len(s.token.Keys())
}

// Handle serves method and path (a path ending in "/" matches every path
// below it): key checks each request and names its reply in replies, where
// the key "*" answers any request no other key names. A request whose key has
// no reply fails the test and gets a 500.
func (s *Server) Handle(method, path string, key KeyFunc, replies map[string]Reply) *Route {
	r := &Route{srv: s, method: method, path: path, key: key, replies: map[string]Reply{}}
	for k, rep := range replies {
		r.replies[k] = rep
	}
	s.mu.Lock()
	s.routes = append(s.routes, r)
	s.mu.Unlock()
	return r
}

func (s *Server) route(r *http.Request) *Route {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rt := range s.routes {
		if rt.matches(r) {
			return rt
		}
	}
	return nil
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rt := s.route(r)
	if rt == nil {
		s.t.Errorf("unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusNotFound)
		return
	}
	key := rt.key(s.t, r)
	rep, ok := rt.record(key)
	if !ok {
		s.t.Errorf("unexpected request %s %s: no reply for %q", r.Method, r.URL.Path, key)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	body, err := os.ReadFile(filepath.Join("testdata", rep.File))
	if err != nil {
		s.t.Errorf("read fixture: %v", err)
	}
	w.Header().Set("Content-Type", "application/json")
	for k, v := range rep.Header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rep.Status)
	w.Write(body)
}

// Route is one endpoint of a Server with its scripted replies.
type Route struct {
	srv          *Server
	method, path string
	key          KeyFunc
	replies      map[string]Reply
	keys         []string
}

func (r *Route) matches(req *http.Request) bool {
	if req.Method != r.method {
		return false
	}
	if strings.HasSuffix(r.path, "/") {
		return strings.HasPrefix(req.URL.Path, r.path)
	}
	return req.URL.Path == r.path
}

func (r *Route) record(key string) (Reply, bool) {
	r.srv.mu.Lock()
	defer r.srv.mu.Unlock()
	r.keys = append(r.keys, key)
	rep, ok := r.replies[key]
	if !ok {
		rep, ok = r.replies["*"]
	}
	return rep, ok
}

// Set replaces the reply for key, so a test can script a change of answer
// between calls (a 401, then success once the token is refetched).
func (r *Route) Set(key string, rep Reply) {
	r.srv.mu.Lock()
	defer r.srv.mu.Unlock()
	r.replies[key] = rep
}

// Keys lists the keys of the requests the route received, in order.
func (r *Route) Keys() []string {
	r.srv.mu.Lock()
	defer r.srv.mu.Unlock()
	return append([]string(nil), r.keys...)
}
