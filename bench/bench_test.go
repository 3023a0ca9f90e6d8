package bench

import (
	"context"
	"testing"
	"time"
)

func TestReplayComparesAdaptivePollingWithItsBaselines(t *testing.T) {
	res := Replay(200)
	byName := map[string]Result{}
	for _, r := range res {
		byName[r.Name] = r
	}
	calls := byName["poll: carrier calls per shipment"]
	if calls.Baseline <= 0 || calls.Value <= 0 || calls.Ratio >= 1 {
		t.Errorf("calls per shipment = %+v; want fewer calls than fixed hourly polling", calls)
	}
	alerts := byName["poll: false delay alerts per 1000"]
	if alerts.Value >= alerts.Baseline {
		t.Errorf("false delay alerts = %+v; want fewer than the naive 48 h rule", alerts)
	}
	for _, name := range []string{"out_for_delivery", "failed_attempt", "exception", "delivered"} {
		if _, ok := byName["poll: "+name+" detection p95"]; !ok {
			t.Errorf("no p95 detection delay for %s", name)
		}
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
