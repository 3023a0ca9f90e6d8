package apptest

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// UPSAccessToken is the OAuth access token the fake UPS issues, for tests
// that check it never leaks.
const UPSAccessToken = "ups-access-token-sekrit"

// Outage is how the fake UPS answers a Track call.
type Outage int

// The outages the fake UPS can fake.
const (
	Up          Outage = iota // the recorded in-transit response
	TooMany                   // 429 with Retry-After
	ServerError               // 500
	Dropped                   // the connection closed before any answer, like a timeout
)

// UPS speaks the UPS OAuth, Track and Track Alert APIs: Track answers the
// recorded in-transit response for whatever number is asked (or the
// current outage), and Track Alert subscribes every number but the ones
// refused. It counts Track calls per number and is safe for several apps.
type UPS struct {
	// URL is the base URL to configure as the UPS credentials' base URL.
	URL string

	body       []byte
	refuse     []string
	mu         sync.Mutex
	calls      map[string]int
	outage     Outage
	subscribed []string
}

// NewUPS starts a fake UPS whose Track Alert refuses the numbers in
// refused; it is closed when the test ends.
func NewUPS(t testing.TB, refused ...string) *UPS {
	t.Helper()
	u := &UPS{body: Testdata(t, "integrations/carriers/ups/testdata/in_transit.json"), refuse: refused, calls: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(u.serve))
	t.Cleanup(srv.Close)
	u.URL = srv.URL
	return u
}

// SetOutage makes every Track call from now on answer o.
func (u *UPS) SetOutage(o Outage) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.outage = o
}

// Calls counts Track calls, for every number.
func (u *UPS) Calls() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	n := 0
	for _, c := range u.calls {
		n += c
	}
	return n
}

// CallsByNumber counts Track calls per tracking number.
func (u *UPS) CallsByNumber() map[string]int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return maps.Clone(u.calls)
}

// Subscribed lists the Track Alert subscriptions made, each as
// "number → destination URL with credential".
func (u *UPS) Subscribed() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.subscribed)
}

func (u *UPS) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.URL.Path == "/security/v1/oauth/token":
		io.WriteString(w, `{"token_type":"Bearer","access_token":"`+UPSAccessToken+`","expires_in":"14399","status":"approved"}`)
	case r.URL.Path == "/api/track/v1/subscription/standard/package":
		u.subscribe(w, r)
	case strings.HasPrefix(r.URL.Path, "/api/track/v1/details/"):
		u.track(w, r, strings.TrimPrefix(r.URL.Path, "/api/track/v1/details/"))
	default:
		http.NotFound(w, r)
	}
}

func (u *UPS) track(w http.ResponseWriter, r *http.Request, number string) {
	u.mu.Lock()
	u.calls[number]++
	outage := u.outage
	u.mu.Unlock()
	switch outage {
	case TooMany:
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"response":{"errors":[{"code":"250002","message":"Too many requests"}]}}`)
	case ServerError:
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `{"response":{"errors":[{"code":"10001","message":"The request could not be processed"}]}}`)
	case Dropped:
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	default:
		w.Write(bytes.ReplaceAll(u.body, []byte("1Z023E2X0214323462"), []byte(number)))
	}
}

func (u *UPS) subscribe(w http.ResponseWriter, r *http.Request) {
	var req struct {
		TrackingNumberList []string `json:"trackingNumberList"`
		Destination        struct{ URL, Credential string }
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, `{"response":{"errors":[{"code":"10001","message":"Invalid request"}]}}`, http.StatusBadRequest)
		return
	}
	var resp struct {
		Valid   []string `json:"validTrackingNumbers"`
		Invalid []string `json:"invalidTrackingNumbers"`
	}
	u.mu.Lock()
	for _, n := range req.TrackingNumberList {
		if slices.Contains(u.refuse, n) {
			resp.Invalid = append(resp.Invalid, n)
			continue
		}
		resp.Valid = append(resp.Valid, n)
		u.subscribed = append(u.subscribed, n+" → "+req.Destination.URL+" with "+req.Destination.Credential)
	}
	u.mu.Unlock()
	json.NewEncoder(w).Encode(resp)
}

// DHL answers the DHL Unified Tracking API with the recorded in-transit
// shipment for whatever number is asked, and counts calls.
type DHL struct {
	// URL is the base URL to configure as the DHL credentials' base URL.
	URL string

	calls atomic.Int64
}

// NewDHL starts a fake DHL, closed when the test ends.
func NewDHL(t testing.TB) *DHL {
	t.Helper()
	body := Testdata(t, "integrations/carriers/dhl/testdata/in_transit.json")
	d := &DHL{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write(bytes.ReplaceAll(body, []byte("00340434161094042557"), []byte(r.URL.Query().Get("trackingNumber"))))
	}))
	t.Cleanup(srv.Close)
	d.URL = srv.URL
	return d
}

// Calls counts the Track calls made so far.
func (d *DHL) Calls() int64 { return d.calls.Load() }
