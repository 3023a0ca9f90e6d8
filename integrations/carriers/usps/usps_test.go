package usps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carrierhttp"
)

const (
	clientID     = "test-key"
	clientSecret = "test-secret"
)

type reply struct {
	status int
	file   string
	header map[string]string
}

// fakeUSPS speaks the USPS OAuth v3 and Tracking v3 wire format.
type fakeUSPS struct {
	t      *testing.T
	mu     sync.Mutex
	tokens int
	track  map[string]reply
}

func newFake(t *testing.T, track map[string]reply) (*fakeUSPS, *httptest.Server) {
	t.Helper()
	f := &fakeUSPS{t: t, track: track}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeUSPS) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/oauth2/v3/token":
		f.mu.Lock()
		f.tokens++
		f.mu.Unlock()
		if ct := r.Header.Get("Content-Type"); r.Method != http.MethodPost || ct != "application/json" {
			f.t.Errorf("token request: %s with Content-Type %q, want POST application/json", r.Method, ct)
		}
		var body map[string]string
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			f.t.Errorf("token body: %v", err)
		}
		if body["grant_type"] != "client_credentials" || body["client_id"] != clientID || body["client_secret"] != clientSecret {
			f.t.Errorf("token body = %v, want client_credentials with id and secret", body)
		}
		writeFile(f.t, w, reply{status: 200, file: "token.json"})
	case strings.HasPrefix(r.URL.Path, "/tracking/v3/tracking/"):
		if got := r.Header.Get("Authorization"); got != "Bearer usps-token-1" {
			f.t.Errorf("Authorization = %q", got)
		}
		if got := r.URL.Query().Get("expand"); got != "DETAIL" {
			f.t.Errorf("expand = %q, want DETAIL", got)
		}
		number := strings.TrimPrefix(r.URL.Path, "/tracking/v3/tracking/")
		rep, ok := f.track[number]
		if !ok {
			f.t.Errorf("unexpected number %q", number)
			w.WriteHeader(500)
			return
		}
		writeFile(f.t, w, rep)
	default:
		f.t.Errorf("unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(404)
	}
}

func (f *fakeUSPS) tokenCalls() int { f.mu.Lock(); defer f.mu.Unlock(); return f.tokens }

func writeFile(t *testing.T, w http.ResponseWriter, rep reply) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", rep.file))
	if err != nil {
		t.Errorf("read fixture: %v", err)
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	w.Write(body)
}

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func newClient(srv *httptest.Server, clk *clock, unknown func(carrier, code string)) *Client {
	return New(Config{BaseURL: srv.URL, ClientID: clientID, ClientSecret: clientSecret, HTTPClient: srv.Client(), Now: clk.Now, OnUnknownCode: unknown})
}

func brief(evs []tracking.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = fmt.Sprintf("%s|%s|%s|%s|%s", e.Time.Format(time.RFC3339), e.Stage, e.Problem, e.Code, e.Location)
	}
	return out
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

var start = at("2026-11-25T12:00:00Z")

func TestTrackNormalizesRecordedResponses(t *testing.T) {
	tests := []struct {
		name     string
		number   string
		status   int
		file     string
		service  string
		promised tracking.Window
		notFound bool
		events   []string
	}{
		{
			name: "delivered", number: "9400109104250532908587", status: 200, file: "delivered.json", service: "USPS Ground Advantage™",
			events: []string{
				"2024-11-15T16:32:00Z|packed||GX|JAMAICA, NY, US",
				"2024-11-18T16:10:00Z|shipped||03|JAMAICA, NY, US",
				// No GMTTimestamp: the local time with its one-digit offset, the stray Z ignored.
				"2024-11-22T14:10:00Z|out_for_delivery||OF|HERNANDO, FL, US",
				"2024-11-22T18:58:40Z|delivered||01|HERNANDO, FL, US",
			},
		},
		{
			name: "in transit with a predicted window", number: "9205590164917312751089", status: 200, file: "in_transit.json", service: "Priority Mail®",
			promised: tracking.Window{Earliest: at("2026-11-27T10:00:00Z"), Latest: at("2026-11-27T14:00:00Z")},
			events: []string{
				"2026-11-24T23:20:00Z|shipped||03|PASADENA, CA, US",
				"2026-11-25T06:05:00Z|in_transit||10|LOS ANGELES CA DISTRIBUTION CENTER",
				"2026-11-25T11:40:00Z|in_transit||EF|LOS ANGELES CA DISTRIBUTION CENTER",
			},
		},
		{
			name: "out for delivery with an expected date", number: "9400111899223197428490", status: 200, file: "out_for_delivery.json", service: "USPS Ground Advantage™",
			promised: tracking.Window{Earliest: at("2026-11-25T00:00:00Z"), Latest: at("2026-11-25T00:00:00Z")},
			events: []string{
				"2026-11-25T10:50:00Z|in_transit||07|CHICAGO, IL, US",
				"2026-11-25T13:12:00Z|out_for_delivery||OF|CHICAGO, IL, US",
			},
		},
		{
			name: "notice left after an undocumented scan", number: "9400136105440350019453", status: 200, file: "exception.json", service: "Priority Mail®",
			events: []string{
				"2026-11-24T15:00:00Z|shipped||03|MACON, GA, US",
				"2026-11-25T14:00:00Z|in_transit||Q7|ATLANTA, GA, US",
				"2026-11-25T19:31:00Z|in_transit|failed_attempt|55|ATLANTA, GA, US",
			},
		},
		{
			name: "pre-shipment with a guarantee", number: "9270190164917312751081", status: 200, file: "pre_shipment.json", service: "Priority Mail Express®",
			promised: tracking.Window{Earliest: at("2026-11-27T18:00:00Z"), Latest: at("2026-11-27T18:00:00Z")},
			events:   []string{"2026-11-25T13:01:00Z|packed||MA|"},
		},
		{name: "not found is a 404", number: "9400100000000000000000", status: 404, file: "not_found.json", notFound: true, events: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newFake(t, map[string]reply{tt.number: {status: tt.status, file: tt.file}})
			got, err := newClient(srv, &clock{start}, nil).Track(context.Background(), []string{tt.number})
			if err != nil {
				t.Fatalf("Track: %v", err)
			}
			if len(got) != 1 {
				t.Fatalf("got %d results, want 1", len(got))
			}
			r := got[0]
			if r.Number != tt.number || r.Carrier != "usps" || r.Service != tt.service || r.NotFound != tt.notFound {
				t.Errorf("result = {%s %s %q notFound=%v}, want {%s usps %q notFound=%v}", r.Number, r.Carrier, r.Service, r.NotFound, tt.number, tt.service, tt.notFound)
			}
			if r.Promised != tt.promised {
				t.Errorf("promised = %+v, want %+v", r.Promised, tt.promised)
			}
			if g := brief(r.Events); !reflect.DeepEqual(g, tt.events) {
				t.Errorf("events:\n got %q\nwant %q", g, tt.events)
			}
		})
	}
}

func TestTrackReportsUnknownCodes(t *testing.T) {
	_, srv := newFake(t, map[string]reply{"9400136105440350019453": {status: 200, file: "exception.json"}})
	var seen []string
	newClient(srv, &clock{start}, func(carrier, code string) { seen = append(seen, carrier+" "+code) }).
		Track(context.Background(), []string{"9400136105440350019453"})
	if want := []string{"usps Q7"}; !reflect.DeepEqual(seen, want) {
		t.Errorf("reported %q, want %q", seen, want)
	}
}

func TestTrackFetchesOneTokenForManyCallsAndRefetchesAfterExpiry(t *testing.T) {
	f, srv := newFake(t, map[string]reply{"9400109104250532908587": {status: 200, file: "delivered.json"}})
	clk := &clock{start}
	c := newClient(srv, clk, nil)
	for range 3 {
		if _, err := c.Track(context.Background(), []string{"9400109104250532908587"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.tokenCalls(); n != 1 {
		t.Errorf("token calls after 3 Track calls = %d, want 1", n)
	}
	clk.t = clk.t.Add(28799 * time.Second)
	if _, err := c.Track(context.Background(), []string{"9400109104250532908587"}); err != nil {
		t.Fatal(err)
	}
	if n := f.tokenCalls(); n != 2 {
		t.Errorf("token calls after expiry = %d, want 2", n)
	}
}

func TestTrackClassifiesFailures(t *testing.T) {
	tests := []struct {
		name  string
		reply reply
		check func(t *testing.T, err error)
	}{
		{"429 is retryable after the requested wait", reply{429, "too_many_requests.json", map[string]string{"Retry-After": "3600"}}, func(t *testing.T, err error) {
			var re *tracking.RetryableError
			if !errors.As(err, &re) || re.RetryAfter != time.Hour {
				t.Errorf("got %v, want RetryableError after 1h", err)
			}
		}},
		{"503 with Retry-After is retryable", reply{503, "too_many_requests.json", map[string]string{"Retry-After": "Wed, 25 Nov 2026 12:05:00 GMT"}}, func(t *testing.T, err error) {
			var re *tracking.RetryableError
			if !errors.As(err, &re) || re.RetryAfter != 5*time.Minute {
				t.Errorf("got %v, want RetryableError after 5m", err)
			}
		}},
		{"500 is retryable", reply{500, "too_many_requests.json", nil}, func(t *testing.T, err error) {
			var re *tracking.RetryableError
			if !errors.As(err, &re) {
				t.Errorf("got %v, want RetryableError", err)
			}
		}},
		{"401 is a credentials problem", reply{401, "unauthorized.json", nil}, func(t *testing.T, err error) {
			if !errors.Is(err, tracking.ErrCredentials) {
				t.Errorf("got %v, want ErrCredentials", err)
			}
		}},
		{"400 bad number is rejected", reply{400, "invalid_number.json", nil}, func(t *testing.T, err error) {
			var rej *carrierhttp.RejectedError
			if !errors.As(err, &rej) || rej.Code != "INVALID_TRACKING_NUMBER" {
				t.Errorf("got %v, want RejectedError INVALID_TRACKING_NUMBER", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newFake(t, map[string]reply{"9400109104250532908587": tt.reply})
			_, err := newClient(srv, &clock{start}, nil).Track(context.Background(), []string{"9400109104250532908587"})
			tt.check(t, err)
		})
	}
}

func TestClientDescribesItself(t *testing.T) {
	c := New(Config{})
	if c.Name() != "usps" || c.MaxBatch() != 1 {
		t.Errorf("Name, MaxBatch = %q, %d; want usps, 1", c.Name(), c.MaxBatch())
	}
}
