package dhl

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carrierhttp"
)

const apiKey = "test-dhl-key"

type reply struct {
	status int
	file   string
	header map[string]string
}

// newFake serves the Unified Tracking API and fails the test when a request
// lacks the DHL-API-Key header or the trackingNumber parameter.
func newFake(t *testing.T, wantService string, track map[string]reply) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/track/shipments" {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			w.WriteHeader(404)
			return
		}
		if got := r.Header.Get("DHL-API-Key"); got != apiKey {
			t.Errorf("DHL-API-Key = %q, want %q", got, apiKey)
		}
		if got := r.URL.Query().Get("service"); got != wantService {
			t.Errorf("service = %q, want %q", got, wantService)
		}
		number := r.URL.Query().Get("trackingNumber")
		rep, ok := track[number]
		if !ok {
			t.Errorf("unexpected trackingNumber %q", number)
			w.WriteHeader(500)
			return
		}
		body, err := os.ReadFile(filepath.Join("testdata", rep.file))
		if err != nil {
			t.Errorf("read fixture: %v", err)
		}
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		ct := "application/json"
		if rep.status >= 400 {
			ct = "application/problem+json"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(rep.status)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

var start = at("2026-11-25T12:00:00Z")

func newClient(srv *httptest.Server, service string, unknown func(carrier, code string)) *Client {
	return New(Config{BaseURL: srv.URL, APIKey: apiKey, Service: service, HTTPClient: srv.Client(),
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
			name: "delivered", number: "7777777770", status: 200, file: "delivered.json", service: "DHL EXPRESS WORLDWIDE",
			events: []string{
				"2026-11-23T09:00:00Z|packed||pre-transit|NL",
				"2026-11-23T15:40:00Z|in_transit||transit|AMSTERDAM - NETHERLANDS, NL",
				"2026-11-23T20:14:00Z|in_transit||transit|LEIPZIG - GERMANY, DE",
				"2026-11-24T07:05:00Z|in_transit||transit|BONN - GERMANY, DE",
				"2026-11-24T09:32:00Z|delivered||delivered|BONN - GERMANY, DE",
			},
		},
		{
			name: "in transit with an estimated time frame", number: "00340434161094042557", status: 200, file: "in_transit.json", service: "DHL PAKET (parcel)",
			promised: tracking.Window{Earliest: at("2026-11-26T09:00:00Z"), Latest: at("2026-11-26T12:00:00Z")},
			events: []string{
				"2026-11-24T17:30:00Z|packed||pre-transit|Germany",
				"2026-11-25T06:12:00Z|in_transit||transit|Germany",
			},
		},
		{
			// The Unified API has no out-for-delivery code yet: loading onto the
			// van is reported as transit, and so it stays in transit here.
			name: "out for delivery is only transit at DHL", number: "00340434161094042558", status: 200, file: "out_for_delivery.json", service: "DHL PAKET (parcel)",
			promised: tracking.Window{Earliest: at("2026-11-25T00:00:00Z"), Latest: at("2026-11-25T00:00:00Z")},
			events: []string{
				"2026-11-25T03:02:00Z|in_transit||transit|Koeln",
				"2026-11-25T08:41:00Z|in_transit||transit|Koeln",
			},
		},
		{
			name: "refused and returned to sender", number: "00123456789765432101", status: 200, file: "exception.json", service: "DHL PAKET (parcel)",
			events: []string{
				"2023-10-23T18:00:00Z|in_transit||transit|Germany",
				"2023-10-24T09:00:00Z|in_transit||in-customs|Germany",
				"2023-10-24T15:10:00Z|returning|exception|failure|Germany",
				"2023-10-25T07:30:00Z|returning||transit|Germany",
				"2023-10-26T12:08:00Z|returned||delivered|Germany",
			},
		},
		{name: "not found is a 404 problem", number: "00340434161094000000", status: 404, file: "not_found.json", notFound: true, events: []string{}},
		{
			name: "multi-piece express shipment chosen among divisions", number: "JD014600006281230705", status: 200, file: "multi_piece.json", service: "DHL EXPRESS 12:00",
			events: []string{
				"2026-11-24T17:45:00Z|in_transit||transit|LEIPZIG - GERMANY, DE",
				"2026-11-25T04:20:00Z|in_transit||transit|BRUSSELS - BELGIUM, BE",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, "", map[string]reply{tt.number: {status: tt.status, file: tt.file}})
			got, err := newClient(srv, "", nil).Track(context.Background(), []string{tt.number})
			if err != nil {
				t.Fatalf("Track: %v", err)
			}
			if len(got) != 1 {
				t.Fatalf("got %d results, want 1", len(got))
			}
			r := got[0]
			if r.Number != tt.number || r.Carrier != "dhl" || r.Service != tt.service || r.NotFound != tt.notFound {
				t.Errorf("result = {%s %s %q notFound=%v}, want {%s dhl %q notFound=%v}", r.Number, r.Carrier, r.Service, r.NotFound, tt.number, tt.service, tt.notFound)
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

func TestTrackSendsConfiguredService(t *testing.T) {
	srv := newFake(t, "parcel-de", map[string]reply{"00340434161094042557": {status: 200, file: "in_transit.json"}})
	if _, err := newClient(srv, "parcel-de", nil).Track(context.Background(), []string{"00340434161094042557"}); err != nil {
		t.Fatal(err)
	}
}

func TestTrackReportsUnknownCodes(t *testing.T) {
	srv := newFake(t, "", map[string]reply{"00123456789765432101": {status: 200, file: "exception.json"}})
	var seen []string
	newClient(srv, "", func(carrier, code string) { seen = append(seen, carrier+" "+code) }).
		Track(context.Background(), []string{"00123456789765432101"})
	if want := []string{"dhl in-customs"}; !reflect.DeepEqual(seen, want) {
		t.Errorf("reported %q, want %q", seen, want)
	}
}

func TestTrackClassifiesFailures(t *testing.T) {
	tests := []struct {
		name  string
		reply reply
		check func(t *testing.T, err error)
	}{
		{"429 is retryable after the requested wait", reply{429, "too_many_requests.json", map[string]string{"Retry-After": "1"}}, func(t *testing.T, err error) {
			var re *tracking.RetryableError
			if !errors.As(err, &re) || re.RetryAfter != time.Second {
				t.Errorf("got %v, want RetryableError after 1s", err)
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
		{"400 is rejected with DHL's detail", reply{400, "bad_request.json", nil}, func(t *testing.T, err error) {
			var rej *carrierhttp.RejectedError
			if !errors.As(err, &rej) || rej.Message != "Invalid value for parameter service." {
				t.Errorf("got %v, want RejectedError with the problem detail", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, "", map[string]reply{"7777777770": tt.reply})
			_, err := newClient(srv, "", nil).Track(context.Background(), []string{"7777777770"})
			tt.check(t, err)
		})
	}
}

func TestClientDescribesItself(t *testing.T) {
	c := New(Config{})
	if c.Name() != "dhl" || c.MaxBatch() != 1 {
		t.Errorf("Name, MaxBatch = %q, %d; want dhl, 1", c.Name(), c.MaxBatch())
	}
}
