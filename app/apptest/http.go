package apptest

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// NoRedirect is a client that returns redirects instead of following them,
// so tests see the Location and the cookies a response sets.
var NoRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// Do sends req with NoRedirect and returns the response, its body read and
// closed (headers and cookies stay readable).
func Do(t testing.TB, req *http.Request) (*http.Response, string) {
	t.Helper()
	req.RequestURI = "" // requests built for a handler (httptest.NewRequest) carry one
	res, err := NoRedirect.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return res, string(b)
}

// Fetch gets u without following redirects, sending header and the
// non-nil cookies.
func Fetch(t testing.TB, u string, header http.Header, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	return Do(t, Request(t, http.MethodGet, u, nil, header, cookies...))
}

// Get is Fetch for the status and body alone.
func Get(t testing.TB, u string, cookies ...*http.Cookie) (int, string) {
	t.Helper()
	res, body := Fetch(t, u, nil, cookies...)
	return res.StatusCode, body
}

// PostForm posts form urlencoded to u without following redirects, sending
// the non-nil cookies.
func PostForm(t testing.TB, u string, form url.Values, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	return Do(t, Request(t, http.MethodPost, u, strings.NewReader(form.Encode()), h, cookies...))
}

// Request builds a request to u with header and the non-nil cookies.
func Request(t testing.TB, method, u string, body io.Reader, header http.Header, cookies ...*http.Cookie) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatalf("request %s %s: %v", method, u, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	for _, c := range cookies {
		if c != nil {
			req.AddCookie(c)
		}
	}
	return req
}
