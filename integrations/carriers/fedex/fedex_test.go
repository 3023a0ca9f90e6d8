package fedex

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

// fakeFedEx speaks the FedEx OAuth and Track wire format and fails the test
// when a request is not what FedEx documents.
type fakeFedEx struct {
	t       *testing.T
	mu      sync.Mutex
	tokens  int
	batches [][]string
	track   map[string]reply // by comma-joined requested numbers
}

func newFake(t *testing.T, track map[string]reply) (*fakeFedEx, *httptest.Server) {
	t.Helper()
	f := &fakeFedEx{t: t, track: track}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeFedEx) serve(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/oauth/token":
		f.mu.Lock()
		f.tokens++
		f.mu.Unlock()
		if ct := r.Header.Get("Content-Type"); r.Method != http.MethodPost || ct != "application/x-www-form-urlencoded" {
			f.t.Errorf("token request: %s with Content-Type %q", r.Method, ct)
		}
		r.ParseForm()
		if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_id") != clientID || r.PostForm.Get("client_secret") != clientSecret {
			f.t.Errorf("token form = %v, want grant_type=client_credentials with client_id and client_secret", r.PostForm)
		}
		writeFile(f.t, w, reply{status: 200, file: "token.json"})
	case "/track/v1/trackingnumbers":
		if got := r.Header.Get("Authorization"); got != "Bearer fedex-token-1" {
			f.t.Errorf("Authorization = %q", got)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			f.t.Errorf("Content-Type = %q", ct)
		}
		var body struct {
			IncludeDetailedScans *bool `json:"includeDetailedScans"`
			TrackingInfo         []struct {
				TrackingNumberInfo struct {
					TrackingNumber string `json:"trackingNumber"`
				} `json:"trackingNumberInfo"`
			} `json:"trackingInfo"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			f.t.Errorf("decode track body: %v", err)
		}
		if body.IncludeDetailedScans == nil || !*body.IncludeDetailedScans {
			f.t.Error("includeDetailedScans must be true")
		}
		if n := len(body.TrackingInfo); n == 0 || n > 30 {
			f.t.Errorf("trackingInfo has %d entries, want 1-30", n)
		}
		var numbers []string
		for _, ti := range body.TrackingInfo {
			numbers = append(numbers, ti.TrackingNumberInfo.TrackingNumber)
		}
		f.mu.Lock()
		f.batches = append(f.batches, numbers)
		f.mu.Unlock()
		rep, ok := f.track[strings.Join(numbers, ",")]
		if !ok {
			rep, ok = f.track["*"]
		}
		if !ok {
			f.t.Errorf("unexpected numbers %q", numbers)
			w.WriteHeader(500)
			return
		}
		writeFile(f.t, w, rep)
	default:
		f.t.Errorf("unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(404)
	}
}

func (f *fakeFedEx) tokenCalls() int { f.mu.Lock(); defer f.mu.Unlock(); return f.tokens }

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
		file     string
		service  string
		promised tracking.Window
		notFound bool
		events   []string
	}{
		{
			name: "delivered", number: "123456789012", file: "delivered.json", service: "FedEx Ground",
			events: []string{
				"2026-11-17T15:00:00Z|packed||OC|US",
				"2026-11-17T22:12:00Z|shipped||PU|DALLAS, TX, US",
				"2026-11-19T04:40:00Z|in_transit||DP|MEMPHIS, TN, US",
				"2026-11-20T12:05:00Z|out_for_delivery||OD|BRISTOL, VA, US",
				"2026-11-20T18:27:00Z|delivered||DL|NORTON, VA, US",
			},
		},
		{
			name: "in transit with an estimated window", number: "128667043726", file: "in_transit.json", service: "FedEx 2Day",
			promised: tracking.Window{Earliest: at("2026-11-27T14:00:00Z"), Latest: at("2026-11-27T18:00:00Z")},
			events: []string{
				"2026-11-24T19:01:00Z|shipped||PU|SEATTLE, WA, US",
				"2026-11-25T09:14:00Z|in_transit||AR|MEMPHIS, TN, US",
			},
		},
		{
			name: "out for delivery uses the commitment", number: "231300687629630", file: "out_for_delivery.json", service: "FedEx Home Delivery",
			promised: tracking.Window{Earliest: at("2026-11-26T01:00:00Z"), Latest: at("2026-11-26T01:00:00Z")},
			events: []string{
				"2026-11-25T09:02:00Z|in_transit||AR|QUEENS, NY, US",
				"2026-11-25T11:48:00Z|out_for_delivery||OD|QUEENS, NY, US",
			},
		},
		{
			name: "delivery exception after an undocumented scan", number: "449044304137821", file: "exception.json", service: "FedEx Ground",
			events: []string{
				"2026-11-25T03:00:00Z|shipped||PU|OAKLAND, CA, US",
				"2026-11-25T16:30:00Z|in_transit||ZQ|FRESNO, CA, US",
				"2026-11-25T22:20:00Z|in_transit|failed_attempt|DE|FRESNO, CA, US",
			},
		},
		{name: "not found inside a 200", number: "39936862321", file: "not_found.json", notFound: true, events: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newFake(t, map[string]reply{tt.number: {status: 200, file: tt.file}})
			got, err := newClient(srv, &clock{start}, nil).Track(context.Background(), []string{tt.number})
			if err != nil {
				t.Fatalf("Track: %v", err)
			}
			if len(got) != 1 {
				t.Fatalf("got %d results, want 1", len(got))
			}
			r := got[0]
			if r.Number != tt.number || r.Carrier != "fedex" || r.Service != tt.service || r.NotFound != tt.notFound {
				t.Errorf("result = {%s %s %q notFound=%v}, want {%s fedex %q notFound=%v}", r.Number, r.Carrier, r.Service, r.NotFound, tt.number, tt.service, tt.notFound)
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

func TestTrackBatchReportsEachPieceAndRejectsOnlyBadNumbers(t *testing.T) {
	numbers := []string{"794953535000", "794953535011", "39936862321", "12345"}
	_, srv := newFake(t, map[string]reply{strings.Join(numbers, ","): {status: 200, file: "multi_piece.json"}})
	got, err := newClient(srv, &clock{start}, nil).Track(context.Background(), numbers)

	var rej *carrierhttp.RejectedError
	if !errors.As(err, &rej) || rej.Code != "TRACKING.TRACKINGNUMBER.INVALID" || !strings.Contains(err.Error(), "12345") {
		t.Errorf("err = %v, want a RejectedError naming 12345", err)
	}
	var summary []string
	for _, r := range got {
		last := ""
		if len(r.Events) > 0 {
			last = brief(r.Events[len(r.Events)-1:])[0]
		}
		summary = append(summary, fmt.Sprintf("%s notFound=%v %q %s", r.Number, r.NotFound, r.Service, last))
	}
	want := []string{
		`794953535000 notFound=false "FedEx Priority Overnight" 2026-11-25T15:02:00Z|delivered||DL|BOSTON, MA, US`,
		// A reused number: the shipment with the newest scan wins over the 2025 one.
		`794953535011 notFound=false "FedEx Priority Overnight" 2026-11-25T12:40:00Z|in_transit||SP|BOSTON, MA, US`,
		`39936862321 notFound=true "" `,
	}
	if !reflect.DeepEqual(summary, want) {
		t.Errorf("results:\n got %q\nwant %q", summary, want)
	}
}

func TestTrackSplitsLongListsIntoBatchesOfThirty(t *testing.T) {
	f, srv := newFake(t, map[string]reply{"*": {status: 200, file: "not_found.json"}})
	numbers := make([]string, 31)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("%012d", i)
	}
	newClient(srv, &clock{start}, nil).Track(context.Background(), numbers)
	if len(f.batches) != 2 || len(f.batches[0]) != 30 || len(f.batches[1]) != 1 {
		var sizes []int
		for _, b := range f.batches {
			sizes = append(sizes, len(b))
		}
		t.Errorf("batch sizes = %v, want [30 1]", sizes)
	}
}

func TestTrackKeepsExceptionReasonAndReportsUnknownCodes(t *testing.T) {
	_, srv := newFake(t, map[string]reply{"449044304137821": {status: 200, file: "exception.json"}})
	var seen []string
	got, err := newClient(srv, &clock{start}, func(carrier, code string) { seen = append(seen, carrier+" "+code) }).
		Track(context.Background(), []string{"449044304137821"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"fedex ZQ"}; !reflect.DeepEqual(seen, want) {
		t.Errorf("unknown codes reported = %q, want %q", seen, want)
	}
	last := got[0].Events[len(got[0].Events)-1]
	if want := "Delivery exception: Customer not available or business closed"; last.Description != want {
		t.Errorf("description = %q, want %q", last.Description, want)
	}
}

func TestTrackFetchesOneTokenForManyCallsAndRefetchesAfterExpiry(t *testing.T) {
	f, srv := newFake(t, map[string]reply{"123456789012": {status: 200, file: "delivered.json"}})
	clk := &clock{start}
	c := newClient(srv, clk, nil)
	for range 3 {
		if _, err := c.Track(context.Background(), []string{"123456789012"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.tokenCalls(); n != 1 {
		t.Errorf("token calls after 3 Track calls = %d, want 1", n)
	}
	clk.t = clk.t.Add(3599 * time.Second)
	if _, err := c.Track(context.Background(), []string{"123456789012"}); err != nil {
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
		{"429 is retryable after the requested wait", reply{429, "too_many_requests.json", map[string]string{"Retry-After": "10"}}, func(t *testing.T, err error) {
			var re *tracking.RetryableError
			if !errors.As(err, &re) || re.RetryAfter != 10*time.Second {
				t.Errorf("got %v, want RetryableError after 10s", err)
			}
		}},
		{"503 is retryable", reply{503, "internal_error.json", nil}, func(t *testing.T, err error) {
			var re *tracking.RetryableError
			if !errors.As(err, &re) || re.RetryAfter != 0 {
				t.Errorf("got %v, want RetryableError with no wait", err)
			}
		}},
		{"401 is a credentials problem", reply{401, "not_authorized.json", nil}, func(t *testing.T, err error) {
			if !errors.Is(err, tracking.ErrCredentials) || !strings.Contains(err.Error(), "NOT.AUTHORIZED.ERROR") {
				t.Errorf("got %v, want ErrCredentials naming NOT.AUTHORIZED.ERROR", err)
			}
		}},
		{"400 is rejected, not retried", reply{400, "bad_request.json", nil}, func(t *testing.T, err error) {
			var rej *carrierhttp.RejectedError
			if !errors.As(err, &rej) || rej.Code != "TRACKING.TRACKINGNUMBER.EMPTY" {
				t.Errorf("got %v, want RejectedError", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newFake(t, map[string]reply{"123456789012": tt.reply})
			_, err := newClient(srv, &clock{start}, nil).Track(context.Background(), []string{"123456789012"})
			tt.check(t, err)
		})
	}
}

func TestClientDescribesItself(t *testing.T) {
	c := New(Config{})
	if c.Name() != "fedex" || c.MaxBatch() != 30 {
		t.Errorf("Name, MaxBatch = %q, %d; want fedex, 30", c.Name(), c.MaxBatch())
	}
}
