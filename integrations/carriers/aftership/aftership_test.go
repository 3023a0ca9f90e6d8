package aftership

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carrierhttp"
	"github.com/ordertrack/ordertrack/integrations/carriers/carriertest"
)

const apiKey = "test-as-key"

var at = carriertest.At

// newFake serves GET and POST /trackings in the 2024-04 wire format and fails
// the test when a request lacks the as-api-key header or asks for less than
// AfterShip's full retention window. list answers by tracking_numbers, create
// by the registered tracking_number; the routes' Keys record what was asked.
func newFake(t *testing.T, list, create map[string]carriertest.Reply) (srv *carriertest.Server, listed, registered *carriertest.Route) {
	t.Helper()
	checkKey := func(t *testing.T, r *http.Request) {
		if got := r.Header.Get("as-api-key"); got != apiKey {
			t.Errorf("as-api-key = %q, want %q", got, apiKey)
		}
	}
	srv = carriertest.NewServer(t)
	listed = srv.Handle(http.MethodGet, "/trackings", func(t *testing.T, r *http.Request) string {
		checkKey(t, r)
		q := r.URL.Query()
		if want := carriertest.Start.Add(-120 * 24 * time.Hour).Format(time.RFC3339); q.Get("created_at_min") != want {
			t.Errorf("created_at_min = %q, want %q", q.Get("created_at_min"), want)
		}
		return q.Get("tracking_numbers")
	}, list)
	registered = srv.Handle(http.MethodPost, "/trackings", func(t *testing.T, r *http.Request) string {
		checkKey(t, r)
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("create Content-Type = %q", ct)
		}
		var body struct {
			TrackingNumber string `json:"tracking_number"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("create body: %v", err)
		}
		return body.TrackingNumber
	}, create)
	return srv, listed, registered
}

func newClient(baseURL string, client *http.Client, now func() time.Time, slug string, unknown func(carrier, code string)) *Client {
	return New(Config{BaseURL: baseURL, APIKey: apiKey, Slug: slug, HTTPClient: client, Now: now, OnUnknownCode: unknown})
}

// track runs one Track call for numbers, with slug configured, against srv.
func track(srv *carriertest.Server, slug string, numbers []string, unknown func(carrier, code string)) ([]tracking.Result, error) {
	return newClient(srv.URL, srv.Client(), carriertest.NewClock(carriertest.Start).Now, slug, unknown).Track(context.Background(), numbers)
}

func TestClientKeepsTheCarrierContract(t *testing.T) {
	c := carriertest.Contract{
		Carrier: "aftership", MaxBatch: 50, Number: "1Z1442YY7229014688",
		// A number AfterShip does not list yet is registered, then reported
		// not found.
		Fake: func(t *testing.T, number string, rep carriertest.Reply) (*carriertest.Server, *carriertest.Route) {
			srv, listed, _ := newFake(t, map[string]carriertest.Reply{number: rep}, map[string]carriertest.Reply{number: {Status: 201, File: "created.json"}})
			return srv, listed
		},
		New: func(baseURL string, client *http.Client, now func() time.Time) carriertest.Tracker {
			return newClient(baseURL, client, now, "", nil)
		},
		Found: "trackings.json",
		NotFound: []carriertest.Answer{
			{Number: "9400100000000000000002", Reply: carriertest.Reply{Status: 200, File: "empty.json"}},     // unknown to AfterShip
			{Number: "9400100000000000000001", Reply: carriertest.Reply{Status: 200, File: "trackings.json"}}, // known, no checkpoint yet
		},
		TooManyRequests: "too_many_requests.json", ServerError: "internal_error.json",
		Unauthorized: "unauthorized.json", UnauthorizedText: "Invalid API key",
	}
	c.Run(t)
	c.RunSamples(t, func(baseURL string, client *http.Client, now func() time.Time, report func(carrier, code string)) carriertest.Tracker {
		return newClient(baseURL, client, now, "", report)
	}, samples)
}

// samples are the real and derived AfterShip answers under testdata (see
// testdata/SOURCES.md) and what each comes to.
var samples = []carriertest.Sample{
	{Name: "real delivered tag ahead of its only InfoReceived checkpoint", Number: "1111111111111", Reply: carriertest.Reply{Status: 200, File: "tag_ahead_real.json"}, State: "delivered/", Events: 2},
	{Name: "derived failed attempt", Number: "1111111111111", Reply: carriertest.Reply{Status: 200, File: "attempt_fail_derived.json"}, State: "in_transit/failed_attempt", Events: 2},
	{Name: "docs delivered", Number: "1Z1442YY7229014688", Reply: carriertest.Reply{Status: 200, File: "trackings.json"}, State: "delivered/", Events: 4},
	{Name: "docs in transit", Number: "RA123456789US", Reply: carriertest.Reply{Status: 200, File: "trackings.json"}, State: "in_transit/", Events: 2},
	{Name: "docs out for delivery", Number: "00340434161094042558", Reply: carriertest.Reply{Status: 200, File: "trackings.json"}, State: "out_for_delivery/", Events: 1},
	{Name: "docs pending is not found", Number: "9400100000000000000001", Reply: carriertest.Reply{Status: 200, File: "trackings.json"}, NotFound: true},
	{Name: "docs unknown to AfterShip", Number: "9400100000000000000002", Reply: carriertest.Reply{Status: 200, File: "empty.json"}, NotFound: true},
}

func TestTrackNormalizesRecordedBatch(t *testing.T) {
	numbers := []string{"1Z1442YY7229014688", "RA123456789US", "00340434161094042558", "449044304137821", "9400100000000000000001"}
	srv, _, _ := newFake(t, map[string]carriertest.Reply{strings.Join(numbers, ","): {Status: 200, File: "trackings.json"}}, nil)
	var seen []string
	got, err := track(srv, "", numbers, func(carrier, code string) { seen = append(seen, carrier+" "+code) })
	if err != nil {
		t.Fatalf("Track: %v", err)
	}
	want := []struct {
		service   string
		promised  tracking.Window
		notFound  bool
		events    []string
		movements []tracking.Movement
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
			},
			movements: []tracking.Movement{tracking.MovementNone, tracking.MovementArrived}},
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
		carriertest.CheckResult(t, "aftership", got[i], carriertest.Want{Number: numbers[i], Service: w.service, Promised: w.promised, NotFound: w.notFound, Events: w.events, Movements: w.movements})
	}
	if wantSeen := []string{"aftership OnHold_001"}; !reflect.DeepEqual(seen, wantSeen) {
		t.Errorf("unknown codes reported = %q, want %q", seen, wantSeen)
	}
}

func TestTrackRegistersUnknownNumbersAndReportsThemNotFound(t *testing.T) {
	numbers := []string{"9400100000000000000002", "9400100000000000000003", "NOT-A-NUMBER"}
	srv, _, registered := newFake(t,
		map[string]carriertest.Reply{strings.Join(numbers, ","): {Status: 200, File: "empty.json"}},
		map[string]carriertest.Reply{
			"9400100000000000000002": {Status: 201, File: "created.json"},
			"9400100000000000000003": {Status: 400, File: "already_exists.json"},
			"NOT-A-NUMBER":           {Status: 400, File: "undetectable.json"},
		})
	got, err := track(srv, "", numbers, nil)

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
	if got := registered.Keys(); !reflect.DeepEqual(got, numbers) {
		t.Errorf("registered %q, want %q", got, numbers)
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
		srv, _, _ := newFake(t, map[string]carriertest.Reply{"1234567890": {Status: 200, File: "multi_courier.json"}}, nil)
		got, err := track(srv, tt.slug, []string{"1234567890"}, nil)
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
	create := map[string]carriertest.Reply{}
	for i := range numbers {
		numbers[i] = fmt.Sprintf("N%03d", i)
		create[numbers[i]] = carriertest.Reply{Status: 201, File: "created.json"}
	}
	srv, listed, _ := newFake(t, map[string]carriertest.Reply{"*": {Status: 200, File: "empty.json"}}, create)
	if _, err := track(srv, "", numbers, nil); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, batch := range listed.Keys() {
		sizes = append(sizes, len(strings.Split(batch, ",")))
	}
	if !reflect.DeepEqual(sizes, []int{50, 1}) {
		t.Errorf("batch sizes = %v, want [50 1]", sizes)
	}
}
