package ups

import (
	"context"
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
	clientID     = "test-client"
	clientSecret = "test-secret"
)

// reply is one canned UPS answer.
type reply struct {
	status int
	file   string
	header map[string]string
}

// fakeUPS speaks the UPS OAuth and Track wire format and fails the test when
// a request lacks what UPS requires.
type fakeUPS struct {
	t      *testing.T
	mu     sync.Mutex
	tokens int
	track  map[string]reply // by inquiry number
}

func newFakeUPS(t *testing.T, track map[string]reply) (*fakeUPS, *httptest.Server) {
	t.Helper()
	f := &fakeUPS{t: t, track: track}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeUPS) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/security/v1/oauth/token":
		f.mu.Lock()
		f.tokens++
		f.mu.Unlock()
		id, secret, ok := r.BasicAuth()
		if r.Method != http.MethodPost || !ok || id != clientID || secret != clientSecret {
			f.t.Errorf("token request: method %s, basic auth %q/%q (%v); want POST with Basic %s", r.Method, id, secret, ok, clientID)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			f.t.Errorf("token request Content-Type = %q", ct)
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
			f.t.Errorf("token form = %v (%v), want grant_type=client_credentials", r.PostForm, err)
		}
		writeFile(f.t, w, reply{status: 200, file: "token.json"})
	case strings.HasPrefix(r.URL.Path, "/api/track/v1/details/"):
		if got := r.Header.Get("Authorization"); got != "Bearer ups-token-1" {
			f.t.Errorf("Authorization = %q, want the cached bearer token", got)
		}
		if id := r.Header.Get("transId"); id == "" || len(id) > 32 {
			f.t.Errorf("transId = %q, want 1-32 characters", id)
		}
		if r.Header.Get("transactionSrc") == "" {
			f.t.Error("transactionSrc header missing")
		}
		if r.URL.Query().Get("locale") != "en_US" {
			f.t.Errorf("locale = %q", r.URL.Query().Get("locale"))
		}
		number := strings.TrimPrefix(r.URL.Path, "/api/track/v1/details/")
		rep, ok := f.track[number]
		if !ok {
			f.t.Errorf("unexpected inquiry number %q", number)
			w.WriteHeader(500)
			return
		}
		writeFile(f.t, w, rep)
	default:
		f.t.Errorf("unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(404)
	}
}

func (f *fakeUPS) tokenCalls() int { f.mu.Lock(); defer f.mu.Unlock(); return f.tokens }

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
	return New(Config{
		BaseURL: srv.URL, ClientID: clientID, ClientSecret: clientSecret,
		HTTPClient: srv.Client(), Now: clk.Now, OnUnknownCode: unknown,
	})
}

// brief renders an event as "time|stage|problem|code|location" for compact expectations.
func brief(evs []tracking.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = fmt.Sprintf("%s|%s|%s|%s|%s", e.Time.Format(time.RFC3339), e.Stage, e.Problem, e.Code, e.Location)
	}
	return out
}

func day(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestTrackNormalizesRecordedResponses(t *testing.T) {
	tests := []struct {
		name     string
		number   string
		file     string
		service  string
		promised tracking.Window
		notFound bool
		events   []string
	}{
		{
			name: "delivered", number: "1Z1442YY7229014688", file: "delivered.json", service: "UPS Ground",
			events: []string{
				"2022-01-25T15:16:41Z|packed||003|US",
				"2022-01-26T08:10:00Z|in_transit||005|SECAUCUS, NJ, US",
				"2022-01-26T13:15:00Z|out_for_delivery||021|PARAMUS, NJ, US",
				"2022-01-26T21:30:00Z|delivered||011|PARAMUS, NJ, US",
			},
		},
		{
			name: "in transit with a rescheduled window", number: "1Z023E2X0214323462", file: "in_transit.json",
			service:  "UPS 2nd Day Air",
			promised: tracking.Window{Earliest: day("2026-11-28T10:00:00Z"), Latest: day("2026-11-28T14:00:00Z")},
			events: []string{
				"2026-11-24T22:30:00Z|shipped||038|ATLANTA, GA, US",
				"2026-11-25T07:30:00Z|in_transit||005|LOUISVILLE, KY, US",
			},
		},
		{
			name: "out for delivery with a commit time", number: "1Z5R89390357567127", file: "out_for_delivery.json",
			service:  "UPS Next Day Air",
			promised: tracking.Window{Earliest: day("2026-11-25T00:00:00Z"), Latest: day("2026-11-25T10:30:00Z")},
			events: []string{
				"2026-11-25T10:10:00Z|in_transit||005|AUSTIN, TX, US",
				"2026-11-25T13:15:00Z|out_for_delivery||072|AUSTIN, TX, US",
			},
		},
		{
			name: "exception needing an address", number: "1Z9999W99999999999", file: "exception.json", service: "UPS Ground",
			events: []string{
				"2026-11-25T12:00:00Z|in_transit||005|DENVER, CO, US",
				"2026-11-25T15:00:00Z|in_transit|exception|999|DENVER, CO, US", // unknown 999 falls back to type X
				"2026-11-25T16:12:00Z|in_transit|action_required|050|DENVER, CO, US",
			},
		},
		{name: "not found is a 200 warning", number: "1Z12345E6205277936", file: "not_found.json", notFound: true, events: []string{}},
		{
			name: "multi-piece lead number reports its own package", number: "1Z0000000000000002", file: "multi_piece.json",
			service: "UPS Ground",
			events:  []string{"2026-11-25T06:00:00Z|in_transit||005|SACRAMENTO, CA, US"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newFakeUPS(t, map[string]reply{tt.number: {status: 200, file: tt.file}})
			c := newClient(srv, &clock{t: day("2026-11-25T12:00:00Z")}, nil)
			got, err := c.Track(context.Background(), []string{tt.number})
			if err != nil {
				t.Fatalf("Track: %v", err)
			}
			if len(got) != 1 {
				t.Fatalf("got %d results, want 1", len(got))
			}
			r := got[0]
			if r.Number != tt.number || r.Carrier != "ups" || r.Service != tt.service || r.NotFound != tt.notFound {
				t.Errorf("result = {%s %s %q notFound=%v}, want {%s ups %q notFound=%v}", r.Number, r.Carrier, r.Service, r.NotFound, tt.number, tt.service, tt.notFound)
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

func TestTrackTreatsNotFoundErrorAsNotFound(t *testing.T) {
	_, srv := newFakeUPS(t, map[string]reply{"1Z12345E6205277936": {status: 404, file: "not_found_error.json"}})
	c := newClient(srv, &clock{t: day("2026-11-25T12:00:00Z")}, nil)
	got, err := c.Track(context.Background(), []string{"1Z12345E6205277936"})
	if err != nil || len(got) != 1 || !got[0].NotFound {
		t.Errorf("got %+v, %v; want one NotFound result", got, err)
	}
}

func TestTrackReportsUnknownCodes(t *testing.T) {
	_, srv := newFakeUPS(t, map[string]reply{"1Z9999W99999999999": {status: 200, file: "exception.json"}})
	var seen []string
	c := newClient(srv, &clock{t: day("2026-11-25T12:00:00Z")}, func(carrier, code string) { seen = append(seen, carrier+" "+code) })
	if _, err := c.Track(context.Background(), []string{"1Z9999W99999999999"}); err != nil {
		t.Fatal(err)
	}
	// 999/ZZ fall back to type X, which is documented: nothing to report.
	if len(seen) != 0 {
		t.Errorf("reported %q, want nothing", seen)
	}
}

func TestTrackMapsUndocumentedActivityToSafeStage(t *testing.T) {
	_, srv := newFakeUPS(t, map[string]reply{"1Z0000000000000009": {status: 200, file: "unknown_code.json"}})
	var seen []string
	c := newClient(srv, &clock{t: day("2026-11-25T12:00:00Z")}, func(carrier, code string) { seen = append(seen, carrier+" "+code) })
	got, err := c.Track(context.Background(), []string{"1Z0000000000000009"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2026-11-24T22:30:00Z|shipped||038|ATLANTA, GA, US",
		"2026-11-25T07:30:00Z|in_transit||QQ|LOUISVILLE, KY, US",
	}
	if g := brief(got[0].Events); !reflect.DeepEqual(g, want) {
		t.Errorf("events:\n got %q\nwant %q", g, want)
	}
	if wantSeen := []string{"ups statusCode:/code:QQ/type:ZZ"}; !reflect.DeepEqual(seen, wantSeen) {
		t.Errorf("reported %q, want %q", seen, wantSeen)
	}
}

func TestTrackFetchesOneTokenForManyCallsAndRefetchesAfterExpiry(t *testing.T) {
	f, srv := newFakeUPS(t, map[string]reply{"1Z1442YY7229014688": {status: 200, file: "delivered.json"}})
	clk := &clock{t: day("2026-11-25T12:00:00Z")}
	c := newClient(srv, clk, nil)
	for range 3 {
		if _, err := c.Track(context.Background(), []string{"1Z1442YY7229014688"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.tokenCalls(); n != 1 {
		t.Errorf("token calls after 3 Track calls = %d, want 1", n)
	}
	clk.t = clk.t.Add(14399 * time.Second) // token.json's expires_in
	if _, err := c.Track(context.Background(), []string{"1Z1442YY7229014688"}); err != nil {
		t.Fatal(err)
	}
	if n := f.tokenCalls(); n != 2 {
		t.Errorf("token calls after expiry = %d, want 2", n)
	}
}

func TestConcurrentTrackCallsShareOneTokenFetch(t *testing.T) {
	f, srv := newFakeUPS(t, map[string]reply{"1Z1442YY7229014688": {status: 200, file: "delivered.json"}})
	c := newClient(srv, &clock{t: day("2026-11-25T12:00:00Z")}, nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.Track(context.Background(), []string{"1Z1442YY7229014688"}); err != nil {
				t.Errorf("Track: %v", err)
			}
		})
	}
	wg.Wait()
	if n := f.tokenCalls(); n != 1 {
		t.Errorf("token calls = %d, want 1", n)
	}
}

func TestTrackClassifiesFailures(t *testing.T) {
	tests := []struct {
		name  string
		reply reply
		check func(t *testing.T, err error)
	}{
		{"429 is retryable after the requested wait", reply{429, "too_many_requests.json", map[string]string{"Retry-After": "120"}}, func(t *testing.T, err error) {
			var re *tracking.RetryableError
			if !errors.As(err, &re) || re.RetryAfter != 2*time.Minute {
				t.Errorf("got %v, want RetryableError after 2m", err)
			}
		}},
		{"429 with an HTTP date", reply{429, "too_many_requests.json", map[string]string{"Retry-After": "Wed, 25 Nov 2026 12:00:30 GMT"}}, func(t *testing.T, err error) {
			var re *tracking.RetryableError
			if !errors.As(err, &re) || re.RetryAfter != 30*time.Second {
				t.Errorf("got %v, want RetryableError after 30s", err)
			}
		}},
		{"500 is retryable", reply{500, "too_many_requests.json", nil}, func(t *testing.T, err error) {
			var re *tracking.RetryableError
			if !errors.As(err, &re) {
				t.Errorf("got %v, want RetryableError", err)
			}
		}},
		{"401 is a credentials problem", reply{401, "invalid_credentials.json", nil}, func(t *testing.T, err error) {
			if !errors.Is(err, tracking.ErrCredentials) {
				t.Errorf("got %v, want ErrCredentials", err)
			}
		}},
		{"400 bad number is rejected, not retried", reply{400, "invalid_number.json", nil}, func(t *testing.T, err error) {
			var rej *carrierhttp.RejectedError
			var re *tracking.RetryableError
			if !errors.As(err, &rej) || rej.Code != "TV1002" || errors.As(err, &re) {
				t.Errorf("got %v, want RejectedError TV1002", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newFakeUPS(t, map[string]reply{"1Z1442YY7229014688": tt.reply})
			c := newClient(srv, &clock{t: day("2026-11-25T12:00:00Z")}, nil)
			_, err := c.Track(context.Background(), []string{"1Z1442YY7229014688"})
			tt.check(t, err)
		})
	}
}

func TestTrackRefetchesTokenAfterCredentialsRejected(t *testing.T) {
	f, srv := newFakeUPS(t, map[string]reply{"1Z1442YY7229014688": {401, "invalid_credentials.json", nil}})
	c := newClient(srv, &clock{t: day("2026-11-25T12:00:00Z")}, nil)
	c.Track(context.Background(), []string{"1Z1442YY7229014688"})
	f.track["1Z1442YY7229014688"] = reply{200, "delivered.json", nil}
	if _, err := c.Track(context.Background(), []string{"1Z1442YY7229014688"}); err != nil {
		t.Fatal(err)
	}
	if n := f.tokenCalls(); n != 2 {
		t.Errorf("token calls = %d, want 2 (a rejected token is not reused)", n)
	}
}

func TestTrackHonoursContextTimeout(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(block) })
	c := newClient(srv, &clock{t: day("2026-11-25T12:00:00Z")}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := c.Track(ctx, []string{"1Z1442YY7229014688"})
	var re *tracking.RetryableError
	if !errors.As(err, &re) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want a retryable deadline error", err)
	}
}

func TestClientDescribesItself(t *testing.T) {
	c := New(Config{})
	if c.Name() != "ups" || c.MaxBatch() != 1 {
		t.Errorf("Name, MaxBatch = %q, %d; want ups, 1", c.Name(), c.MaxBatch())
	}
}
