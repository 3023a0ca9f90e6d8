package bench

import (
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// TestPushReplayMeetsThePushTargets holds carrier push to the issue's
// targets on 2,000 simulated shipments with 5% of the pushes lost: at most
// 0.15× the calls of fixed hourly polling (subscribe and renew calls
// counted), detection p95 at most 0.2× fixed hourly polling's for every
// event type, and nothing missed: every event reaches the stored timeline.
// An event recorded only with later news (superseded: its alert would be
// stale) is held to no more than fixed hourly polling's count.
func TestPushReplayMeetsThePushTargets(t *testing.T) {
	pushed, fixed := pushReports(2000)
	if pushed.CallsPerShipment > 0.15*fixed.CallsPerShipment {
		t.Errorf("calls per shipment = %.2f; want at most 0.15× fixed hourly polling's %.2f", pushed.CallsPerShipment, fixed.CallsPerShipment)
	}
	for _, k := range []tracking.Trigger{tracking.TriggerOutForDelivery, tracking.TriggerFailedAttempt, tracking.TriggerException, tracking.TriggerDelivered} {
		p, f := pushed.Detection[k], fixed.Detection[k]
		if f.N == 0 || p.P95 > f.P95/5 {
			t.Errorf("%s detection p95 = %s; want at most 0.2× fixed hourly polling's %s", k, p.P95, f.P95)
		}
		if p.Missed != 0 || p.N+p.Superseded != f.N+f.Superseded+f.Missed || p.Superseded > f.Superseded {
			t.Errorf("%s: %+v; want nothing missed and no more superseded than fixed hourly polling (%+v)", k, p, f)
		}
	}
}
