package dhl

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carriertest"
)

const apiKey = "test-dhl-key"

// newFake serves the Unified Tracking API, answering by trackingNumber with
// errors as RFC 7807 problems, and fails the test when a request lacks the
// DHL-API-Key header or asks for another service than wantService.
func newFake(t *testing.T, wantService string, track map[string]carriertest.Reply) (*carriertest.Server, *carriertest.Route) {
	t.Helper()
	replies := make(map[string]carriertest.Reply, len(track))
	for number, rep := range track {
		if rep.Status >= 400 {
			rep.Header = map[string]string{"Content-Type": "application/problem+json"}
			for k, v := range track[number].Header {
				rep.Header[k] = v
			}
		}
		replies[number] = rep
	}
	srv := carriertest.NewServer(t)
	route := srv.Handle(http.MethodGet, "/track/shipments", func(t *testing.T, r *http.Request) string {
		if got := r.Header.Get("DHL-API-Key"); got != apiKey {
			t.Errorf("DHL-API-Key = %q, want %q", got, apiKey)
		}
		if got := r.URL.Query().Get("service"); got != wantService {
			t.Errorf("service = %q, want %q", got, wantService)
		}
		return r.URL.Query().Get("trackingNumber")
	}, replies)
	return srv, route
}

func newClient(baseURL string, client *http.Client, now func() time.Time, service string, unknown func(carrier, code string)) *Client {
	return New(Config{BaseURL: baseURL, APIKey: apiKey, Service: service, HTTPClient: client, Now: now, OnUnknownCode: unknown})
}

// track runs one Track call for number, with service configured, against a
// fake answering rep.
func track(t *testing.T, service, number string, rep carriertest.Reply, unknown func(carrier, code string)) ([]tracking.Result, error) {
	t.Helper()
	srv, _ := newFake(t, service, map[string]carriertest.Reply{number: rep})
	return newClient(srv.URL, srv.Client(), carriertest.NewClock(carriertest.Start).Now, service, unknown).Track(context.Background(), []string{number})
}

var at = carriertest.At

func TestClientKeepsTheCarrierContract(t *testing.T) {
	carriertest.Contract{
		Carrier: "dhl", MaxBatch: 1, Number: "7777777770",
		Fake: func(t *testing.T, number string, rep carriertest.Reply) (*carriertest.Server, *carriertest.Route) {
			return newFake(t, "", map[string]carriertest.Reply{number: rep})
		},
		New: func(baseURL string, client *http.Client, now func() time.Time) carriertest.Tracker {
			return newClient(baseURL, client, now, "", nil)
		},
		Found:           "delivered.json",
		NotFound:        []carriertest.Answer{{Number: "00340434161094000000", Reply: carriertest.Reply{Status: 404, File: "not_found.json"}}},
		TooManyRequests: "too_many_requests.json", ServerError: "too_many_requests.json",
		Unauthorized: "unauthorized.json", UnauthorizedText: "Invalid API key.",
		Rejections: []carriertest.Rejection{
			{Reply: carriertest.Reply{Status: 400, File: "bad_request.json"}, Code: "Invalid parameter", Message: "Invalid value for parameter service."},
		},
	}.Run(t)
}

func TestTrackNormalizesRecordedResponses(t *testing.T) {
	tests := []struct {
		name   string
		status int
		file   string
		want   carriertest.Want
	}{
		{"delivered", 200, "delivered.json", carriertest.Want{
			Number: "7777777770", Service: "DHL EXPRESS WORLDWIDE",
			Events: []string{
				"2026-11-23T09:00:00Z|packed||pre-transit|NL",
				"2026-11-23T15:40:00Z|in_transit||transit|AMSTERDAM - NETHERLANDS, NL",
				"2026-11-23T20:14:00Z|in_transit||transit|LEIPZIG - GERMANY, DE",
				"2026-11-24T07:05:00Z|in_transit||transit|BONN - GERMANY, DE",
				"2026-11-24T09:32:00Z|delivered||delivered|BONN - GERMANY, DE",
			},
			Movements: []tracking.Movement{"", "", tracking.MovementArrived, "", ""}, // "Processed at LEIPZIG"
		}},
		{"in transit with an estimated time frame", 200, "in_transit.json", carriertest.Want{
			Number: "00340434161094042557", Service: "DHL PAKET (parcel)",
			Promised: tracking.Window{Earliest: at("2026-11-26T09:00:00Z"), Latest: at("2026-11-26T12:00:00Z")},
			Events: []string{
				"2026-11-24T17:30:00Z|packed||pre-transit|Germany",
				"2026-11-25T06:12:00Z|in_transit||transit|Germany",
			},
			Movements: []tracking.Movement{"", tracking.MovementArrived}, // "processed in the parcel center"
		}},
		// The Unified API has no out-for-delivery code yet: loading onto the
		// van is reported as transit, and so it stays in transit here.
		{"out for delivery is only transit at DHL", 200, "out_for_delivery.json", carriertest.Want{
			Number: "00340434161094042558", Service: "DHL PAKET (parcel)",
			Promised: tracking.Window{Earliest: at("2026-11-25T00:00:00Z"), Latest: at("2026-11-25T00:00:00Z")},
			Events: []string{
				"2026-11-25T03:02:00Z|in_transit||transit|Koeln",
				"2026-11-25T08:41:00Z|in_transit||transit|Koeln",
			},
		}},
		{"refused and returned to sender", 200, "exception.json", carriertest.Want{
			Number: "00123456789765432101", Service: "DHL PAKET (parcel)",
			Events: []string{
				"2023-10-23T18:00:00Z|in_transit||transit|Germany",
				"2023-10-24T09:00:00Z|in_transit||in-customs|Germany",
				"2023-10-24T15:10:00Z|returning|exception|failure|Germany",
				"2023-10-25T07:30:00Z|returning||transit|Germany",
				"2023-10-26T12:08:00Z|returned||delivered|Germany",
			},
		}},
		{"not found is a 404 problem", 404, "not_found.json", carriertest.Want{Number: "00340434161094000000", NotFound: true, Events: []string{}}},
		{"multi-piece express shipment chosen among divisions", 200, "multi_piece.json", carriertest.Want{
			Number: "JD014600006281230705", Service: "DHL EXPRESS 12:00",
			Events: []string{
				"2026-11-24T17:45:00Z|in_transit||transit|LEIPZIG - GERMANY, DE",
				"2026-11-25T04:20:00Z|in_transit||transit|BRUSSELS - BELGIUM, BE",
			},
			Movements: []tracking.Movement{tracking.MovementDeparted, tracking.MovementArrived},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := track(t, "", tt.want.Number, carriertest.Reply{Status: tt.status, File: tt.file}, nil)
			carriertest.CheckTracked(t, "dhl", got, err, tt.want)
		})
	}
}

func TestTrackSendsConfiguredService(t *testing.T) {
	if _, err := track(t, "parcel-de", "00340434161094042557", carriertest.Reply{Status: 200, File: "in_transit.json"}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestTrackReportsUnknownCodes(t *testing.T) {
	var seen []string
	track(t, "", "00123456789765432101", carriertest.Reply{Status: 200, File: "exception.json"}, func(carrier, code string) { seen = append(seen, carrier+" "+code) })
	if want := []string{"dhl in-customs"}; !reflect.DeepEqual(seen, want) {
		t.Errorf("reported %q, want %q", seen, want)
	}
}
