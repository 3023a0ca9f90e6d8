package carriertest

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// Sample is a real carrier answer kept under testdata/ (its origin in
// testdata/SOURCES.md), or one derived from a real answer, and what it must
// come to once normalized.
type Sample struct {
	Name   string
	Number string
	Reply  Reply
	// NotFound is whether the answer means "not known (yet)".
	NotFound bool
	// State is the shipment's "stage/problem" once tracking.Derive has read
	// the events (for a found number).
	State string
	// Events is how many events the answer holds, all distinct.
	Events int
}

// Reporting returns the adapter pointed at baseURL with its unknown-code hook
// set to report, so the samples can check that every code is mapped.
type Reporting func(baseURL string, client *http.Client, now func() time.Time, report func(carrier, code string)) Tracker

// RunSamples runs every sample through the adapter over HTTP, against the
// contract's fake, and checks what every adapter owes its callers: one
// result for the number, not found when the carrier says so, events in time
// order with a valid stage and problem, no two merged into one by
// tracking.Merge, no code the adapter does not know, and the documented
// final stage and problem.
func (c Contract) RunSamples(t *testing.T, newReporting Reporting, samples []Sample) {
	for _, s := range samples {
		t.Run("sample "+s.Name, func(t *testing.T) {
			srv, _ := c.Fake(t, s.Number, s.Reply)
			var unknown []string
			a := newReporting(srv.URL, srv.Client(), NewClock(Start).Now, func(_, code string) { unknown = append(unknown, code) })
			got, err := a.Track(context.Background(), []string{s.Number})
			if err != nil || len(got) != 1 {
				t.Fatalf("Track(%s): %d results, %v; want 1 result", s.Number, len(got), err)
			}
			r := got[0]
			if r.Number != s.Number || r.Carrier != c.Carrier || r.NotFound != s.NotFound {
				t.Fatalf("result {%s %s notFound=%v}, want {%s %s notFound=%v}", r.Number, r.Carrier, r.NotFound, s.Number, c.Carrier, s.NotFound)
			}
			if len(unknown) > 0 {
				t.Errorf("unknown codes %q", unknown)
			}
			if s.NotFound {
				if len(r.Events) != 0 {
					t.Errorf("not found with %d events", len(r.Events))
				}
				return
			}
			for i, e := range r.Events {
				if e.Time.IsZero() || !e.Stage.Valid() || !slices.Contains(tracking.Problems, e.Problem) {
					t.Errorf("event %d %+v: zero time, invalid stage or problem", i, e)
				}
				if i > 0 && e.Time.Before(r.Events[i-1].Time) {
					t.Errorf("event %d (%s) is before event %d (%s)", i, e.Time, i-1, r.Events[i-1].Time)
				}
			}
			if merged, _, _ := tracking.Merge(nil, r.Events); len(merged) != len(r.Events) || len(r.Events) != s.Events {
				t.Errorf("%d events, %d distinct after Merge; want %d", len(r.Events), len(merged), s.Events)
			}
			st := tracking.Derive(r.Events, tracking.State{})
			if got := string(st.Stage) + "/" + string(st.Problem); got != s.State {
				t.Errorf("derived %s, want %s; events %q", got, s.State, Brief(r.Events))
			}
		})
	}
}
