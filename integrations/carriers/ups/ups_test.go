package ups

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carriertest"
)

const (
	clientID     = "test-client"
	clientSecret = "test-secret"
)

// newFake speaks the UPS OAuth and Track wire format and fails the test when
// a request lacks what UPS requires; track answers by inquiry number.
func newFake(t *testing.T, track map[string]carriertest.Reply) (*carriertest.Server, *carriertest.Route) {
	t.Helper()
	srv := carriertest.NewServer(t)
	srv.Token("/security/v1/oauth/token", func(t *testing.T, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if !ok || id != clientID || secret != clientSecret {
			t.Errorf("token request: basic auth %q/%q (%v); want Basic %s", id, secret, ok, clientID)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			t.Errorf("token request Content-Type = %q", ct)
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
			t.Errorf("token form = %v (%v), want grant_type=client_credentials", r.PostForm, err)
		}
	})
	route := srv.Handle(http.MethodGet, "/api/track/v1/details/", func(t *testing.T, r *http.Request) string {
		if got := r.Header.Get("Authorization"); got != "Bearer ups-token-1" {
			t.Errorf("Authorization = %q, want the cached bearer token", got)
		}
		if id := r.Header.Get("transId"); id == "" || len(id) > 32 {
			t.Errorf("transId = %q, want 1-32 characters", id)
		}
		if r.Header.Get("transactionSrc") == "" {
			t.Error("transactionSrc header missing")
		}
		if r.URL.Query().Get("locale") != "en_US" {
			t.Errorf("locale = %q", r.URL.Query().Get("locale"))
		}
		return strings.TrimPrefix(r.URL.Path, "/api/track/v1/details/")
	}, track)
	return srv, route
}

func newClient(baseURL string, client *http.Client, now func() time.Time, unknown func(carrier, code string)) *Client {
	return New(Config{
		BaseURL: baseURL, ClientID: clientID, ClientSecret: clientSecret,
		HTTPClient: client, Now: now, OnUnknownCode: unknown,
	})
}

// track runs one Track call for number against a fake answering rep.
func track(t *testing.T, number string, rep carriertest.Reply, unknown func(carrier, code string)) ([]tracking.Result, error) {
	t.Helper()
	srv, _ := newFake(t, map[string]carriertest.Reply{number: rep})
	return newClient(srv.URL, srv.Client(), carriertest.NewClock(carriertest.Start).Now, unknown).Track(context.Background(), []string{number})
}

var day = carriertest.At

func TestClientKeepsTheCarrierContract(t *testing.T) {
	c := carriertest.Contract{
		Carrier: "ups", MaxBatch: 1, Number: "1Z1442YY7229014688",
		Fake: func(t *testing.T, number string, rep carriertest.Reply) (*carriertest.Server, *carriertest.Route) {
			return newFake(t, map[string]carriertest.Reply{number: rep})
		},
		New: func(baseURL string, client *http.Client, now func() time.Time) carriertest.Tracker {
			return newClient(baseURL, client, now, nil)
		},
		Found: "delivered.json",
		NotFound: []carriertest.Answer{
			{Number: "1Z12345E6205277936", Reply: carriertest.Reply{Status: 200, File: "not_found.json"}},       // the documented TW0001 warning
			{Number: "1Z12345E6205277936", Reply: carriertest.Reply{Status: 404, File: "not_found_error.json"}}, // the same code as an error
		},
		TooManyRequests: "too_many_requests.json", ServerError: "too_many_requests.json",
		Unauthorized: "invalid_credentials.json", UnauthorizedText: "250003: Invalid Access License number",
		Rejections: []carriertest.Rejection{
			{Reply: carriertest.Reply{Status: 400, File: "invalid_number.json"}, Code: "TV1002", Message: "Invalid inquiry number"},
		},
	}
	c.Run(t)
	c.RunToken(t, 14399*time.Second) // token.json's expires_in
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
			Number: "1Z1442YY7229014688", Service: "UPS Ground",
			Events: []string{
				"2022-01-25T15:16:41Z|packed||003|US",
				"2022-01-26T08:10:00Z|in_transit||005|SECAUCUS, NJ, US",
				"2022-01-26T13:15:00Z|out_for_delivery||021|PARAMUS, NJ, US",
				"2022-01-26T21:30:00Z|delivered||011|PARAMUS, NJ, US",
			},
			Movements: []tracking.Movement{"", tracking.MovementDeparted, "", ""}, // read from "Departed from Facility"
		}},
		{"in transit with a rescheduled window", "in_transit.json", carriertest.Want{
			Number: "1Z023E2X0214323462", Service: "UPS 2nd Day Air",
			Promised: tracking.Window{Earliest: day("2026-11-28T10:00:00Z"), Latest: day("2026-11-28T14:00:00Z")},
			Events: []string{
				"2026-11-24T22:30:00Z|shipped||038|ATLANTA, GA, US",
				"2026-11-25T07:30:00Z|in_transit||005|LOUISVILLE, KY, US",
			},
			Movements: []tracking.Movement{"", tracking.MovementArrived}, // "Arrived at Facility"
		}},
		{"out for delivery with a commit time", "out_for_delivery.json", carriertest.Want{
			Number: "1Z5R89390357567127", Service: "UPS Next Day Air",
			Promised: tracking.Window{Earliest: day("2026-11-25T00:00:00Z"), Latest: day("2026-11-25T10:30:00Z")},
			Events: []string{
				"2026-11-25T10:10:00Z|in_transit||005|AUSTIN, TX, US",
				"2026-11-25T13:15:00Z|out_for_delivery||072|AUSTIN, TX, US",
			},
		}},
		{"exception needing an address", "exception.json", carriertest.Want{
			Number: "1Z9999W99999999999", Service: "UPS Ground",
			Events: []string{
				"2026-11-25T12:00:00Z|in_transit||005|DENVER, CO, US",
				"2026-11-25T15:00:00Z|in_transit|exception|999|DENVER, CO, US", // unknown 999 falls back to type X
				"2026-11-25T16:12:00Z|in_transit|action_required|050|DENVER, CO, US",
			},
		}},
		{"not found is a 200 warning", "not_found.json", carriertest.Want{Number: "1Z12345E6205277936", NotFound: true, Events: []string{}}},
		{"multi-piece lead number reports its own package", "multi_piece.json", carriertest.Want{
			Number: "1Z0000000000000002", Service: "UPS Ground",
			Events: []string{"2026-11-25T06:00:00Z|in_transit||005|SACRAMENTO, CA, US"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := track(t, tt.want.Number, carriertest.Reply{Status: 200, File: tt.file}, nil)
			carriertest.CheckTracked(t, "ups", got, err, tt.want)
		})
	}
}

func TestTrackReportsUnknownCodes(t *testing.T) {
	var seen []string
	_, err := track(t, "1Z9999W99999999999", carriertest.Reply{Status: 200, File: "exception.json"}, func(carrier, code string) { seen = append(seen, carrier+" "+code) })
	if err != nil {
		t.Fatal(err)
	}
	// 999/ZZ fall back to type X, which is documented: nothing to report.
	if len(seen) != 0 {
		t.Errorf("reported %q, want nothing", seen)
	}
}

func TestTrackMapsUndocumentedActivityToSafeStage(t *testing.T) {
	var seen []string
	got, err := track(t, "1Z0000000000000009", carriertest.Reply{Status: 200, File: "unknown_code.json"}, func(carrier, code string) { seen = append(seen, carrier+" "+code) })
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2026-11-24T22:30:00Z|shipped||038|ATLANTA, GA, US",
		"2026-11-25T07:30:00Z|in_transit||QQ|LOUISVILLE, KY, US",
	}
	if g := carriertest.Brief(got[0].Events); !reflect.DeepEqual(g, want) {
		t.Errorf("events:\n got %q\nwant %q", g, want)
	}
	if wantSeen := []string{"ups statusCode:/code:QQ/type:ZZ"}; !reflect.DeepEqual(seen, wantSeen) {
		t.Errorf("reported %q, want %q", seen, wantSeen)
	}
}

// TestTrackRealResponses runs real UPS answers (see testdata/SOURCES.md)
// through the adapter and the timeline, checking what the shopper would see
// after every event.
func TestTrackRealResponses(t *testing.T) {
	tests := []struct {
		name, number, file string
		// states is "stage/problem" after each event, oldest first.
		states []string
	}{
		{"clearance requested from the sender, then released the same day", "1Z1202R66698804005", "clearance_real.json", []string{
			"packed/", "shipped/", "in_transit/", "in_transit/", // label, pickup, on the way (014), pending release (012)
			"in_transit/action_required", "in_transit/", // UPS asks the sender for clearance information; released in the same second
			"in_transit/", "in_transit/", "in_transit/", "in_transit/", // we have your package, info received, pending release, released
			"in_transit/", "in_transit/", "in_transit/", "in_transit/", "in_transit/", "in_transit/", // departures and arrivals
			"in_transit/", // at the clearing agency awaiting final release
		}},
		{"delayed by weather, cleared customs, out for delivery", "1ZWE58136821755160", "customs_cleared_real.json", []string{
			"packed/", "in_transit/", "in_transit/", "in_transit/", "in_transit/delayed", "in_transit/",
			"in_transit/", "in_transit/delayed", "in_transit/", "in_transit/", "in_transit/", "in_transit/",
			"in_transit/", "in_transit/", "in_transit/", "in_transit/", "in_transit/", // customs cleared (VK) is no exception
			"in_transit/", "out_for_delivery/",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var unknown []string
			got, err := track(t, tt.number, carriertest.Reply{Status: 200, File: tt.file}, func(_, code string) { unknown = append(unknown, code) })
			if err != nil || len(got) != 1 {
				t.Fatalf("Track: %d results, %v", len(got), err)
			}
			if len(unknown) > 0 {
				t.Errorf("unknown codes %q", unknown)
			}
			evs := got[0].Events
			var states []string
			for i := range evs {
				st := tracking.Derive(evs[:i+1], tracking.State{})
				states = append(states, string(st.Stage)+"/"+string(st.Problem))
			}
			if !reflect.DeepEqual(states, tt.states) {
				t.Errorf("states:\n got %q\nwant %q\nevents %q", states, tt.states, carriertest.Brief(evs))
			}
		})
	}
}

// samples are the real and derived UPS answers under testdata (see
// testdata/SOURCES.md) and what each comes to.
var samples = []carriertest.Sample{
	{Name: "real clearance requested, released, at clearing agency", Number: "1Z1202R66698804005", Reply: carriertest.Reply{Status: 200, File: "clearance_real.json"}, State: "in_transit/", Events: 17},
	{Name: "real weather delay, cleared customs, out for delivery", Number: "1ZWE58136821755160", Reply: carriertest.Reply{Status: 200, File: "customs_cleared_real.json"}, State: "out_for_delivery/", Events: 19},
	{Name: "derived clearance information required", Number: "1Z1202R66698804005", Reply: carriertest.Reply{Status: 200, File: "clearance_required_derived.json"}, State: "in_transit/action_required", Events: 5},
	{Name: "docs delivered", Number: "1Z1442YY7229014688", Reply: carriertest.Reply{Status: 200, File: "delivered.json"}, State: "delivered/", Events: 4},
	{Name: "docs in transit", Number: "1Z023E2X0214323462", Reply: carriertest.Reply{Status: 200, File: "in_transit.json"}, State: "in_transit/", Events: 2},
	{Name: "docs out for delivery", Number: "1Z5R89390357567127", Reply: carriertest.Reply{Status: 200, File: "out_for_delivery.json"}, State: "out_for_delivery/", Events: 2},
	{Name: "docs exception, address required", Number: "1Z9999W99999999999", Reply: carriertest.Reply{Status: 200, File: "exception.json"}, State: "in_transit/action_required", Events: 3},
	{Name: "docs multi-piece, delivered piece", Number: "1Z0000000000000001", Reply: carriertest.Reply{Status: 200, File: "multi_piece.json"}, State: "delivered/", Events: 1},
	{Name: "docs multi-piece, piece in transit", Number: "1Z0000000000000002", Reply: carriertest.Reply{Status: 200, File: "multi_piece.json"}, State: "in_transit/", Events: 1},
	{Name: "docs not found warning TW0001", Number: "1Z12345E6205277936", Reply: carriertest.Reply{Status: 200, File: "not_found.json"}, NotFound: true},
}
