package fedex

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

const (
	clientID     = "test-key"
	clientSecret = "test-secret"
)

// newFake speaks the FedEx OAuth and Track wire format and fails the test
// when a request is not what FedEx documents; track answers by the
// comma-joined requested numbers, and the route's Keys are the batches sent.
func newFake(t *testing.T, track map[string]carriertest.Reply) (*carriertest.Server, *carriertest.Route) {
	t.Helper()
	srv := carriertest.NewServer(t)
	srv.Token("/oauth/token", func(t *testing.T, r *http.Request) {
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			t.Errorf("token request Content-Type %q", ct)
		}
		r.ParseForm()
		if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_id") != clientID || r.PostForm.Get("client_secret") != clientSecret {
			t.Errorf("token form = %v, want grant_type=client_credentials with client_id and client_secret", r.PostForm)
		}
	})
	route := srv.Handle(http.MethodPost, "/track/v1/trackingnumbers", func(t *testing.T, r *http.Request) string {
		if got := r.Header.Get("Authorization"); got != "Bearer fedex-token-1" {
			t.Errorf("Authorization = %q", got)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
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
			t.Errorf("decode track body: %v", err)
		}
		if body.IncludeDetailedScans == nil || !*body.IncludeDetailedScans {
			t.Error("includeDetailedScans must be true")
		}
		if n := len(body.TrackingInfo); n == 0 || n > 30 {
			t.Errorf("trackingInfo has %d entries, want 1-30", n)
		}
		var numbers []string
		for _, ti := range body.TrackingInfo {
			numbers = append(numbers, ti.TrackingNumberInfo.TrackingNumber)
		}
		return strings.Join(numbers, ",")
	}, track)
	return srv, route
}

func newClient(baseURL string, client *http.Client, now func() time.Time, unknown func(carrier, code string)) *Client {
	return New(Config{BaseURL: baseURL, ClientID: clientID, ClientSecret: clientSecret, HTTPClient: client, Now: now, OnUnknownCode: unknown})
}

// track runs one Track call for numbers against a fake answering them with rep.
func track(t *testing.T, numbers []string, rep carriertest.Reply, unknown func(carrier, code string)) ([]tracking.Result, error) {
	t.Helper()
	srv, _ := newFake(t, map[string]carriertest.Reply{strings.Join(numbers, ","): rep})
	return newClient(srv.URL, srv.Client(), carriertest.NewClock(carriertest.Start).Now, unknown).Track(context.Background(), numbers)
}

var at = carriertest.At

func TestClientKeepsTheCarrierContract(t *testing.T) {
	c := carriertest.Contract{
		Carrier: "fedex", MaxBatch: 30, Number: "123456789012",
		Fake: func(t *testing.T, number string, rep carriertest.Reply) (*carriertest.Server, *carriertest.Route) {
			return newFake(t, map[string]carriertest.Reply{number: rep})
		},
		New: func(baseURL string, client *http.Client, now func() time.Time) carriertest.Tracker {
			return newClient(baseURL, client, now, nil)
		},
		Found:           "delivered.json",
		NotFound:        []carriertest.Answer{{Number: "39936862321", Reply: carriertest.Reply{Status: 200, File: "not_found.json"}}},
		TooManyRequests: "too_many_requests.json", ServerError: "internal_error.json",
		Unauthorized: "not_authorized.json", UnauthorizedText: "NOT.AUTHORIZED.ERROR",
		Rejections: []carriertest.Rejection{
			{Reply: carriertest.Reply{Status: 400, File: "bad_request.json"}, Code: "TRACKING.TRACKINGNUMBER.EMPTY", Message: "Please provide tracking number."},
		},
	}
	c.Run(t)
	c.RunToken(t, 3599*time.Second) // token.json's expires_in
	c.RunSamples(t, func(baseURL string, client *http.Client, now func() time.Time, report func(carrier, code string)) carriertest.Tracker {
		return newClient(baseURL, client, now, report)
	}, samples)
}

func TestTrackNormalizesRecordedResponses(t *testing.T) {
	tests := []struct {
		name string
		file string
		want carriertest.Want
	}{
		{"delivered", "delivered.json", carriertest.Want{
			Number: "123456789012", Service: "FedEx Ground",
			Events: []string{
				"2026-11-17T15:00:00Z|packed||OC|US",
				"2026-11-17T22:12:00Z|shipped||PU|DALLAS, TX, US",
				"2026-11-19T04:40:00Z|in_transit||DP|MEMPHIS, TN, US",
				"2026-11-20T12:05:00Z|out_for_delivery||OD|BRISTOL, VA, US",
				"2026-11-20T18:27:00Z|delivered||DL|NORTON, VA, US",
			},
			Movements: []tracking.Movement{"", "", tracking.MovementDeparted, "", ""},
		}},
		{"in transit with an estimated window", "in_transit.json", carriertest.Want{
			Number: "128667043726", Service: "FedEx 2Day",
			Promised: tracking.Window{Earliest: at("2026-11-27T14:00:00Z"), Latest: at("2026-11-27T18:00:00Z")},
			Events: []string{
				"2026-11-24T19:01:00Z|shipped||PU|SEATTLE, WA, US",
				"2026-11-25T09:14:00Z|in_transit||AR|MEMPHIS, TN, US",
			},
			Movements: []tracking.Movement{"", tracking.MovementArrived},
		}},
		{"out for delivery uses the commitment", "out_for_delivery.json", carriertest.Want{
			Number: "231300687629630", Service: "FedEx Home Delivery",
			Promised: tracking.Window{Earliest: at("2026-11-26T01:00:00Z"), Latest: at("2026-11-26T01:00:00Z")},
			Events: []string{
				"2026-11-25T09:02:00Z|in_transit||AR|QUEENS, NY, US",
				"2026-11-25T11:48:00Z|out_for_delivery||OD|QUEENS, NY, US",
			},
		}},
		{"delivery exception after an undocumented scan", "exception.json", carriertest.Want{
			Number: "449044304137821", Service: "FedEx Ground",
			Events: []string{
				"2026-11-25T03:00:00Z|shipped||PU|OAKLAND, CA, US",
				"2026-11-25T16:30:00Z|in_transit||ZQ|FRESNO, CA, US",
				"2026-11-25T22:20:00Z|in_transit|failed_attempt|DE|FRESNO, CA, US",
			},
		}},
		{"not found inside a 200", "not_found.json", carriertest.Want{Number: "39936862321", NotFound: true, Events: []string{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := track(t, []string{tt.want.Number}, carriertest.Reply{Status: 200, File: tt.file}, nil)
			carriertest.CheckTracked(t, "fedex", got, err, tt.want)
		})
	}
}

func TestTrackBatchReportsEachPieceAndRejectsOnlyBadNumbers(t *testing.T) {
	numbers := []string{"794953535000", "794953535011", "39936862321", "12345"}
	got, err := track(t, numbers, carriertest.Reply{Status: 200, File: "multi_piece.json"}, nil)

	var rej *carrierhttp.RejectedError
	if !errors.As(err, &rej) || rej.Code != "TRACKING.TRACKINGNUMBER.INVALID" || !strings.Contains(err.Error(), "12345") {
		t.Errorf("err = %v, want a RejectedError naming 12345", err)
	}
	var summary []string
	for _, r := range got {
		last := ""
		if len(r.Events) > 0 {
			last = carriertest.Brief(r.Events[len(r.Events)-1:])[0]
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
	srv, route := newFake(t, map[string]carriertest.Reply{"*": {Status: 200, File: "not_found.json"}})
	numbers := make([]string, 31)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("%012d", i)
	}
	newClient(srv.URL, srv.Client(), carriertest.NewClock(carriertest.Start).Now, nil).Track(context.Background(), numbers)
	var sizes []int
	for _, batch := range route.Keys() {
		sizes = append(sizes, len(strings.Split(batch, ",")))
	}
	if !reflect.DeepEqual(sizes, []int{30, 1}) {
		t.Errorf("batch sizes = %v, want [30 1]", sizes)
	}
}

func TestTrackKeepsExceptionReasonAndReportsUnknownCodes(t *testing.T) {
	var seen []string
	got, err := track(t, []string{"449044304137821"}, carriertest.Reply{Status: 200, File: "exception.json"}, func(carrier, code string) { seen = append(seen, carrier+" "+code) })
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

// samples are the real and derived FedEx answers under testdata (see
// testdata/SOURCES.md) and what each comes to.
var samples = []carriertest.Sample{
	{Name: "real missed, redirected, delivered next day", Number: "776094337676", Reply: carriertest.Reply{Status: 200, File: "attempt_redirect_real.json"}, State: "delivered/", Events: 8},
	{Name: "derived customer not available", Number: "776094337676", Reply: carriertest.Reply{Status: 200, File: "attempt_derived.json"}, State: "out_for_delivery/failed_attempt", Events: 3},
	{Name: "docs delivered", Number: "123456789012", Reply: carriertest.Reply{Status: 200, File: "delivered.json"}, State: "delivered/", Events: 5},
	{Name: "docs in transit", Number: "128667043726", Reply: carriertest.Reply{Status: 200, File: "in_transit.json"}, State: "in_transit/", Events: 2},
	{Name: "docs out for delivery", Number: "231300687629630", Reply: carriertest.Reply{Status: 200, File: "out_for_delivery.json"}, State: "out_for_delivery/", Events: 2},
	{Name: "docs multi-piece, delivered piece", Number: "794953535000", Reply: carriertest.Reply{Status: 200, File: "multi_piece.json"}, State: "delivered/", Events: 1},
	{Name: "docs multi-piece, piece in transit", Number: "794953535011", Reply: carriertest.Reply{Status: 200, File: "multi_piece.json"}, State: "in_transit/", Events: 1},
	{Name: "docs not found inside a 200", Number: "39936862321", Reply: carriertest.Reply{Status: 200, File: "not_found.json"}, NotFound: true},
}
