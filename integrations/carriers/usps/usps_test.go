package usps

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carriertest"
)

const (
	clientID     = "test-key"
	clientSecret = "test-secret"
)

// newFake speaks the USPS OAuth v3 and Tracking v3 wire format; track answers
// by tracking number.
func newFake(t *testing.T, track map[string]carriertest.Reply) (*carriertest.Server, *carriertest.Route) {
	t.Helper()
	srv := carriertest.NewServer(t)
	srv.Token("/oauth2/v3/token", func(t *testing.T, r *http.Request) {
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("token request Content-Type %q, want application/json", ct)
		}
		var body map[string]string
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("token body: %v", err)
		}
		if body["grant_type"] != "client_credentials" || body["client_id"] != clientID || body["client_secret"] != clientSecret {
			t.Errorf("token body = %v, want client_credentials with id and secret", body)
		}
	})
	route := srv.Handle(http.MethodGet, "/tracking/v3/tracking/", func(t *testing.T, r *http.Request) string {
		if got := r.Header.Get("Authorization"); got != "Bearer usps-token-1" {
			t.Errorf("Authorization = %q", got)
		}
		if got := r.URL.Query().Get("expand"); got != "DETAIL" {
			t.Errorf("expand = %q, want DETAIL", got)
		}
		return strings.TrimPrefix(r.URL.Path, "/tracking/v3/tracking/")
	}, track)
	return srv, route
}

func newClient(baseURL string, client *http.Client, now func() time.Time, unknown func(carrier, code string)) *Client {
	return New(Config{BaseURL: baseURL, ClientID: clientID, ClientSecret: clientSecret, HTTPClient: client, Now: now, OnUnknownCode: unknown})
}

// track runs one Track call for number against a fake answering rep.
func track(t *testing.T, number string, rep carriertest.Reply, unknown func(carrier, code string)) ([]tracking.Result, error) {
	t.Helper()
	srv, _ := newFake(t, map[string]carriertest.Reply{number: rep})
	return newClient(srv.URL, srv.Client(), carriertest.NewClock(carriertest.Start).Now, unknown).Track(context.Background(), []string{number})
}

var at = carriertest.At

func TestClientKeepsTheCarrierContract(t *testing.T) {
	c := carriertest.Contract{
		Carrier: "usps", MaxBatch: 1, Number: "9400109104250532908587",
		Fake: func(t *testing.T, number string, rep carriertest.Reply) (*carriertest.Server, *carriertest.Route) {
			return newFake(t, map[string]carriertest.Reply{number: rep})
		},
		New: func(baseURL string, client *http.Client, now func() time.Time) carriertest.Tracker {
			return newClient(baseURL, client, now, nil)
		},
		Found:           "delivered.json",
		NotFound:        []carriertest.Answer{{Number: "9400100000000000000000", Reply: carriertest.Reply{Status: 404, File: "not_found.json"}}},
		TooManyRequests: "too_many_requests.json", ServerError: "too_many_requests.json",
		Unauthorized: "unauthorized.json", UnauthorizedText: "The client application identifier is invalid.",
		Rejections: []carriertest.Rejection{
			{Reply: carriertest.Reply{Status: 400, File: "invalid_number.json"}, Code: "INVALID_TRACKING_NUMBER", Message: "The tracking number is not valid."},
		},
	}
	c.Run(t)
	c.RunToken(t, 28799*time.Second) // token.json's expires_in
	c.RunSamples(t, func(baseURL string, client *http.Client, now func() time.Time, report func(carrier, code string)) carriertest.Tracker {
		return newClient(baseURL, client, now, report)
	}, samples)
}

// samples are the real and derived USPS answers under testdata (see
// testdata/SOURCES.md) and what each comes to.
var samples = []carriertest.Sample{
	{Name: "real delivered to mailbox via shipping partner", Number: "9261290289104185136058", Reply: carriertest.Reply{Status: 200, File: "delivered_real.json"}, State: "delivered/", Events: 15},
	{Name: "real moving through network", Number: "9202290317456200135409", Reply: carriertest.Reply{Status: 200, File: "in_transit_real.json"}, State: "in_transit/", Events: 4},
	{Name: "real 400 150001 status not yet available", Number: "9400100000000000000001", Reply: carriertest.Reply{Status: 400, File: "not_yet_available.json"}, NotFound: true},
	{Name: "derived out for delivery", Number: "9261290289104185136058", Reply: carriertest.Reply{Status: 200, File: "out_for_delivery_derived.json"}, State: "out_for_delivery/", Events: 14},
	{Name: "derived notice left", Number: "9261290289104185136058", Reply: carriertest.Reply{Status: 200, File: "attempted_derived.json"}, State: "out_for_delivery/failed_attempt", Events: 15},
	{Name: "docs delivered to parcel locker", Number: "9400109104250532908587", Reply: carriertest.Reply{Status: 200, File: "delivered.json"}, State: "delivered/", Events: 4},
	{Name: "docs out for delivery", Number: "9400111899223197428490", Reply: carriertest.Reply{Status: 200, File: "out_for_delivery.json"}, State: "out_for_delivery/", Events: 2},
	{Name: "docs pre-shipment", Number: "9270190164917312751081", Reply: carriertest.Reply{Status: 200, File: "pre_shipment.json"}, State: "packed/", Events: 1},
	{Name: "docs 404 not found", Number: "9400100000000000000000", Reply: carriertest.Reply{Status: 404, File: "not_found.json"}, NotFound: true},
}

// TestTrackReadsRealTimes checks the time quirks of the real samples: a
// GMTTimestamp a day off its local time and offset is not believed.
func TestTrackReadsRealTimes(t *testing.T) {
	tests := []struct {
		number, file string
		want         []string
	}{
		{"9202290317456200135409", "in_transit_real.json", []string{
			"2024-11-23T00:00:00Z|packed||MA|",
			"2024-11-26T00:26:00Z|shipped||03|NEW BERLIN, WI, US",
			"2024-11-26T00:31:00Z|in_transit||SF|NEW BERLIN, WI, US",
			"2024-11-26T07:44:28Z|in_transit||10|OAK CREEK WI DISTRIBUTION CENTER",
		}},
	}
	for _, tt := range tests {
		got, err := track(t, tt.number, carriertest.Reply{Status: 200, File: tt.file}, nil)
		carriertest.CheckTracked(t, "usps", got, err, carriertest.Want{Number: tt.number, Service: "USPS Ground Advantage™",
			Promised: tracking.Window{Earliest: carriertest.At("2024-11-29T00:00:00Z"), Latest: carriertest.At("2024-11-29T00:00:00Z")}, Events: tt.want})
	}
}

func TestTrackNormalizesRecordedResponses(t *testing.T) {
	tests := []struct {
		name   string
		status int
		file   string
		want   carriertest.Want
	}{
		{"delivered", 200, "delivered.json", carriertest.Want{
			Number: "9400109104250532908587", Service: "USPS Ground Advantage™",
			Events: []string{
				"2024-11-15T16:32:00Z|packed||GX|JAMAICA, NY, US",
				"2024-11-18T16:10:00Z|shipped||03|JAMAICA, NY, US",
				// No GMTTimestamp: the local time with its one-digit offset, the stray Z ignored.
				"2024-11-22T14:10:00Z|out_for_delivery||OF|HERNANDO, FL, US",
				"2024-11-22T18:58:40Z|delivered||01|HERNANDO, FL, US",
			},
		}},
		{"in transit with a predicted window", 200, "in_transit.json", carriertest.Want{
			Number: "9205590164917312751089", Service: "Priority Mail®",
			Promised: tracking.Window{Earliest: at("2026-11-27T10:00:00Z"), Latest: at("2026-11-27T14:00:00Z")},
			Events: []string{
				"2026-11-24T23:20:00Z|shipped||03|PASADENA, CA, US",
				"2026-11-25T06:05:00Z|in_transit||10|LOS ANGELES CA DISTRIBUTION CENTER",
				"2026-11-25T11:40:00Z|in_transit||EF|LOS ANGELES CA DISTRIBUTION CENTER",
			},
			Movements: []tracking.Movement{"", tracking.MovementArrived, tracking.MovementDeparted},
		}},
		{"out for delivery with an expected date", 200, "out_for_delivery.json", carriertest.Want{
			Number: "9400111899223197428490", Service: "USPS Ground Advantage™",
			Promised: tracking.Window{Earliest: at("2026-11-25T00:00:00Z"), Latest: at("2026-11-25T00:00:00Z")},
			Events: []string{
				"2026-11-25T10:50:00Z|in_transit||07|CHICAGO, IL, US",
				"2026-11-25T13:12:00Z|out_for_delivery||OF|CHICAGO, IL, US",
			},
			Movements: []tracking.Movement{tracking.MovementArrived, ""},
		}},
		{"notice left after an undocumented scan", 200, "exception.json", carriertest.Want{
			Number: "9400136105440350019453", Service: "Priority Mail®",
			Events: []string{
				"2026-11-24T15:00:00Z|shipped||03|MACON, GA, US",
				"2026-11-25T14:00:00Z|in_transit||Q7|ATLANTA, GA, US",
				"2026-11-25T19:31:00Z|in_transit|failed_attempt|55|ATLANTA, GA, US",
			},
		}},
		{"pre-shipment with a guarantee", 200, "pre_shipment.json", carriertest.Want{
			Number: "9270190164917312751081", Service: "Priority Mail Express®",
			Promised: tracking.Window{Earliest: at("2026-11-27T18:00:00Z"), Latest: at("2026-11-27T18:00:00Z")},
			Events:   []string{"2026-11-25T13:01:00Z|packed||MA|"},
		}},
		{"not found is a 404", 404, "not_found.json", carriertest.Want{
			Number: "9400100000000000000000", NotFound: true, Events: []string{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := track(t, tt.want.Number, carriertest.Reply{Status: tt.status, File: tt.file}, nil)
			carriertest.CheckTracked(t, "usps", got, err, tt.want)
		})
	}
}

func TestTrackReportsUnknownCodes(t *testing.T) {
	var seen []string
	track(t, "9400136105440350019453", carriertest.Reply{Status: 200, File: "exception.json"}, func(carrier, code string) { seen = append(seen, carrier+" "+code) })
	if want := []string{"usps Q7"}; !reflect.DeepEqual(seen, want) {
		t.Errorf("reported %q, want %q", seen, want)
	}
}
