package aftership

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

const apiKey = "test-as-key"

type reply struct {
	status int
	file   string
	header map[string]string
}

var start = at("2026-11-25T12:00:00Z")

// fakeAfterShip serves GET and POST /trackings in the 2024-04 wire format and
// fails the test when a request lacks the as-api-key header or asks for less
// than AfterShip's full retention window.
type fakeAfterShip struct {
	t          *testing.T
	mu         sync.Mutex
	list       map[string]reply // by tracking_numbers
	create     map[string]reply // by tracking_number
	registered []string
	batches    []int
}

func newFake(t *testing.T, list, create map[string]reply) (*fakeAfterShip, *httptest.Server) {
	t.Helper()
	f := &fakeAfterShip{t: t, list: list, create: create}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeAfterShip) serve(w http.ResponseWriter, r *http.Request) {
	if got := r.Header.Get("as-api-key"); got != apiKey {
		f.t.Errorf("as-api-key = %q, want %q", got, apiKey)
	}
	if r.URL.Path != "/trackings" {
		f.t.Errorf("unexpected path %s", r.URL.Path)
		w.WriteHeader(404)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		if want := start.Add(-120 * 24 * time.Hour).Format(time.RFC3339); q.Get("created_at_min") != want {
			f.t.Errorf("created_at_min = %q, want %q", q.Get("created_at_min"), want)
		}
		numbers := q.Get("tracking_numbers")
		f.batches = append(f.batches, len(strings.Split(numbers, ",")))
		rep, ok := f.list[numbers]
		if !ok {
			rep, ok = f.list["*"]
		}
		if !ok {
			f.t.Errorf("unexpected tracking_numbers %q", numbers)
			w.WriteHeader(500)
			return
		}
		writeFile(f.t, w, rep)
	case http.MethodPost:
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			f.t.Errorf("create Content-Type = %q", ct)
		}
		var body struct {
			TrackingNumber string `json:"tracking_number"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			f.t.Errorf("create body: %v", err)
		}
		f.registered = append(f.registered, body.TrackingNumber)
		rep, ok := f.create[body.TrackingNumber]
		if !ok {
			f.t.Errorf("unexpected registration of %q", body.TrackingNumber)
			w.WriteHeader(500)
			return
		}
		writeFile(f.t, w, rep)
	default:
		f.t.Errorf("unexpected method %s", r.Method)
	}
}

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

func newClient(srv *httptest.Server, slug string, unknown func(carrier, code string)) *Client {
	return New(Config{BaseURL: srv.URL, APIKey: apiKey, Slug: slug, HTTPClient: srv.Client(),
		Now: func() time.Time { return start }, OnUnknownCode: unknown})
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

func TestTrackNormalizesRecordedBatch(t *testing.T) {
	numbers := []string{"1Z1442YY7229014688", "RA123456789US", "00340434161094042558", "449044304137821", "9400100000000000000001"}
	_, srv := newFake(t, map[string]reply{strings.Join(numbers, ","): {200, "trackings.json", nil}}, nil)
	var seen []string
	got, err := newClient(srv, "", func(carrier, code string) { seen = append(seen, carrier+" "+code) }).Track(context.Background(), numbers)
	if err != nil {
		t.Fatalf("Track: %v", err)
	}
	want := []struct {
		service  string
		promised tracking.Window
		notFound bool
		events   []string
	}{
		{service: "UPS Ground", events: []string{
			"2026-11-19T22:10:00Z|packed||InfoReceived_001|SECAUCUS, NJ, US",
			"2026-11-20T13:00:00Z|shipped||InTransit_002|SECAUCUS, NJ, US",
			"2026-11-21T12:30:00Z|out_for_delivery||OutForDelivery_001|PARAMUS, NJ, US",
			"2026-11-21T21:30:00Z|delivered||Delivered_001|PARAMUS, NJ, US",
		}},
		{service: "Priority Mail International",
			promised: tracking.Window{Earliest: at("2026-11-28T00:00:00Z"), Latest: at("2026-11-30T00:00:00Z")},
			events: []string{
				"2026-11-22T10:00:00Z|shipped||InTransit_002|NEW YORK NY DISTRIBUTION CENTER, US",
				"2026-11-24T22:15:00Z|in_transit||InTransit_003|Frankfurt, DE",
			}},
		{service: "DHL PAKET",
			promised: tracking.Window{Earliest: at("2026-11-25T17:00:00Z"), Latest: at("2026-11-25T17:00:00Z")},
			events:   []string{"2026-11-25T07:41:00Z|out_for_delivery||OutForDelivery_001|Koeln, DE"}},
		{service: "FedEx Ground",
			promised: tracking.Window{Earliest: at("2026-11-26T00:00:00Z"), Latest: at("2026-11-26T00:00:00Z")},
			events: []string{
				"2026-11-25T03:00:00Z|shipped||InTransit_002|OAKLAND, CA, US",
				"2026-11-25T16:30:00Z|in_transit||OnHold_001|FRESNO, CA, US",
				"2026-11-25T22:20:00Z|in_transit|action_required|Exception_007|FRESNO, CA, US",
			}},
		{notFound: true, events: []string{}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d results, want %d", len(got), len(want))
	}
	for i, w := range want {
		r := got[i]
		if r.Number != numbers[i] || r.Carrier != "aftership" || r.Service != w.service || r.NotFound != w.notFound {
			t.Errorf("result %d = {%s %s %q notFound=%v}, want {%s aftership %q notFound=%v}", i, r.Number, r.Carrier, r.Service, r.NotFound, numbers[i], w.service, w.notFound)
		}
		if r.Promised != w.promised {
			t.Errorf("%s promised = %+v, want %+v", r.Number, r.Promised, w.promised)
		}
		if g := brief(r.Events); !reflect.DeepEqual(g, w.events) {
			t.Errorf("%s events:\n got %q\nwant %q", r.Number, g, w.events)
		}
	}
	if wantSeen := []string{"aftership OnHold_001"}; !reflect.DeepEqual(seen, wantSeen) {
		t.Errorf("unknown codes reported = %q, want %q", seen, wantSeen)
	}
}

func TestTrackRegistersUnknownNumbersAndReportsThemNotFound(t *testing.T) {
	numbers := []string{"9400100000000000000002", "9400100000000000000003", "NOT-A-NUMBER"}
	f, srv := newFake(t,
		map[string]reply{strings.Join(numbers, ","): {200, "empty.json", nil}},
		map[string]reply{
			"9400100000000000000002": {201, "created.json", nil},
			"9400100000000000000003": {400, "already_exists.json", nil},
			"NOT-A-NUMBER":           {400, "undetectable.json", nil},
		})
	got, err := newClient(srv, "", nil).Track(context.Background(), numbers)

	var rej *carrierhttp.RejectedError
	if !errors.As(err, &rej) || rej.Code != "4012" || !strings.Contains(err.Error(), "NOT-A-NUMBER") {
		t.Errorf("err = %v, want a RejectedError 4012 naming NOT-A-NUMBER", err)
	}
	var summary []string
	for _, r := range got {
		summary = append(summary, fmt.Sprintf("%s notFound=%v", r.Number, r.NotFound))
	}
	if want := []string{"9400100000000000000002 notFound=true", "9400100000000000000003 notFound=true"}; !reflect.DeepEqual(summary, want) {
		t.Errorf("results = %q, want %q", summary, want)
	}
	if !reflect.DeepEqual(f.registered, numbers) {
		t.Errorf("registered %q, want %q", f.registered, numbers)
	}
}

func TestTrackPrefersConfiguredCourierForMultiCourierNumber(t *testing.T) {
	tests := []struct {
		slug        string
		wantService string
		wantStage   tracking.Stage
	}{
		{"", "DHL Express", tracking.StageDelivered},
		{"ontrac", "OnTrac Ground", tracking.StageInTransit},
	}
	for _, tt := range tests {
		_, srv := newFake(t, map[string]reply{"1234567890": {200, "multi_courier.json", nil}}, nil)
		got, err := newClient(srv, tt.slug, nil).Track(context.Background(), []string{"1234567890"})
		if err != nil || len(got) != 1 {
			t.Fatalf("slug %q: got %v, %v", tt.slug, got, err)
		}
		if got[0].Service != tt.wantService || got[0].Events[0].Stage != tt.wantStage {
			t.Errorf("slug %q: service %q stage %s, want %q %s", tt.slug, got[0].Service, got[0].Events[0].Stage, tt.wantService, tt.wantStage)
		}
	}
}

func TestTrackSplitsLongListsIntoBatchesOfFifty(t *testing.T) {
	numbers := make([]string, 51)
	create := map[string]reply{}
	for i := range numbers {
		numbers[i] = fmt.Sprintf("N%03d", i)
		create[numbers[i]] = reply{201, "created.json", nil}
	}
	f, srv := newFake(t, map[string]reply{"*": {200, "empty.json", nil}}, create)
	if _, err := newClient(srv, "", nil).Track(context.Background(), numbers); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f.batches, []int{50, 1}) {
		t.Errorf("batch sizes = %v, want [50 1]", f.batches)
	}
}

func TestTrackClassifiesFailures(t *testing.T) {
	tests := []struct {
		name  string
		reply reply
		check func(t *testing.T, err error)
	}{
		{"429 is retryable after the requested wait", reply{429, "too_many_requests.json", map[string]string{"Retry-After": "2"}}, func(t *testing.T, err error) {
			var re *tracking.RetryableError
			if !errors.As(err, &re) || re.RetryAfter != 2*time.Second {
				t.Errorf("got %v, want RetryableError after 2s", err)
			}
		}},
		{"500 is retryable", reply{500, "internal_error.json", nil}, func(t *testing.T, err error) {
			var re *tracking.RetryableError
			if !errors.As(err, &re) {
				t.Errorf("got %v, want RetryableError", err)
			}
		}},
		{"401 is a credentials problem", reply{401, "unauthorized.json", nil}, func(t *testing.T, err error) {
			if !errors.Is(err, tracking.ErrCredentials) || !strings.Contains(err.Error(), "Invalid API key") {
				t.Errorf("got %v, want ErrCredentials with AfterShip's message", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newFake(t, map[string]reply{"1Z1442YY7229014688": tt.reply}, nil)
			_, err := newClient(srv, "", nil).Track(context.Background(), []string{"1Z1442YY7229014688"})
			tt.check(t, err)
		})
	}
}

func TestClientDescribesItself(t *testing.T) {
	c := New(Config{})
	if c.Name() != "aftership" || c.MaxBatch() != 50 {
		t.Errorf("Name, MaxBatch = %q, %d; want aftership, 50", c.Name(), c.MaxBatch())
	}
}
