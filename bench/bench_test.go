package bench

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestReplayMeetsTheAdaptivePollingTargets holds the adaptive policy to its
// targets on the bench's own 2,000 simulated shipments: at most 40% of fixed
// hourly polling's carrier calls, out-for-delivery and exception news seen
// no later (p95) than hourly polling sees them, and fewer false delay alerts
// than the naive 48 h rule.
func TestReplayMeetsTheAdaptivePollingTargets(t *testing.T) {
	byName := map[string]Result{}
	for _, r := range Replay(2000) {
		byName[r.Name] = r
	}
	calls := byName["poll: carrier calls per shipment"]
	if calls.Baseline <= 0 || calls.Value > 0.40*calls.Baseline {
		t.Errorf("calls per shipment = %+v; want at most 40%% of fixed hourly polling", calls)
	}
	for _, name := range []string{"out_for_delivery", "exception"} {
		p95 := byName["poll: "+name+" detection p95"]
		if p95.Baseline <= 0 || p95.Value > p95.Baseline {
			t.Errorf("%s detection p95 = %+v; want no later than fixed hourly polling", name, p95)
		}
	}
	for _, name := range []string{"failed_attempt", "delivered"} {
		if _, ok := byName["poll: "+name+" detection p95"]; !ok {
			t.Errorf("no p95 detection delay for %s", name)
		}
	}
	alerts := byName["poll: false delay alerts per 1000"]
	if alerts.Value >= alerts.Baseline {
		t.Errorf("false delay alerts = %+v; want fewer than the naive 48 h rule", alerts)
	}
}

func TestHammerCountsEveryCallWithinItsBound(t *testing.T) {
	l := hammer(context.Background(), 4, 100, time.Minute, func(context.Context, int) error { return nil })
	if l.n != 100 || l.errors != 0 || l.p99 < l.p50 {
		t.Fatalf("hammer = %+v; want 100 calls, no errors, p99 >= p50", l)
	}
}

func TestRenderMeasuresComposeAgainstTextTemplate(t *testing.T) {
	res, err := Render(context.Background(), 20, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Value <= 0 || res[0].Baseline <= 0 {
		t.Fatalf("render results = %+v; want one rate with a baseline", res)
	}
}

// TestIngestAndPageReportTheirBaselines runs the ingest and page phases on a
// small SQLite scratch database: ingest has a ratio to the single-row and
// to the batched INSERT, so have the HTTP floor and the ingest ceiling, and
// the first views count one per request.
func TestIngestAndPageReportTheirBaselines(t *testing.T) {
	res, err := Run(context.Background(), Options{Phases: []string{"ingest", "page"}, Requests: 200, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Result{}
	for _, r := range res {
		byName[r.Name] = r
	}
	for _, name := range []string{"webhook ingest rate", "webhook ingest rate vs batched INSERT", "HTTP floor vs batched INSERT", "webhook ingest rate vs HTTP floor", "ingest ceiling vs batched INSERT", "webhook ingest rate vs ingest ceiling", "tracking page rate", "tracking page first view p99"} {
		if r := byName[name]; r.Value <= 0 || r.Baseline <= 0 || r.Ratio <= 0 {
			t.Errorf("%s = %+v; want a value, a baseline and their ratio", name, r)
		}
	}
	if note := byName["webhook ingest rate vs batched INSERT"].Note; !strings.Contains(note, "100 rows per statement") || !strings.Contains(note, "200 rows") {
		t.Errorf("batched baseline note = %q; want 100-row statements over 200 rows", note)
	}
	// The ceiling is the floor and a group commit in series: below each.
	if c, f := byName["ingest ceiling vs batched INSERT"], byName["HTTP floor vs batched INSERT"]; c.Value >= f.Value || !strings.Contains(c.Note, "a 4-row INSERT") {
		t.Errorf("ingest ceiling = %+v; want below the HTTP floor (%g req/s), from 4-row INSERTs (one per client)", c, f.Value)
	}
	if note := byName["tracking page first view p50"].Note; !strings.Contains(note, "200 shipments viewed once each") {
		t.Errorf("first view note = %q; want 200 first views", note)
	}
	if r := res[len(res)-1]; r.Name != "load average" {
		t.Errorf("last figure = %+v; want the load average", r)
	}
}
