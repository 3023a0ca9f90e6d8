package bench

import (
	"fmt"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/sim"
)

// replayStart is a fixed Monday so runs compare; the stream spreads labels
// over the following week, weekends included.
var replayStart = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// ReplayShipments converts n simulated shipments into Replay's input.
func ReplayShipments(n int) []tracking.ReplayShipment {
	stream := sim.New(1).Stream(n, replayStart)
	out := make([]tracking.ReplayShipment, len(stream))
	for i, s := range stream {
		out[i] = tracking.ReplayShipment{
			Events: s.Events, ShippedAt: s.Shipped, Promised: s.Promised,
			Calendar: tracking.CalendarFor(sim.Code, s.Service),
		}
	}
	return out
}

// Replay replays n simulated shipments under fixed hourly polling and under
// tracking.NextPoll: carrier calls, detection delays, and false delay alerts
// against the naive 48-hour silence rule.
func Replay(n int) []Result {
	ships := ReplayShipments(n)
	fixed := tracking.Replay(ships, tracking.FixedPolicy(time.Hour), tracking.ReplayOptions{})
	adaptive := tracking.Replay(ships, tracking.NextPoll, tracking.ReplayOptions{})
	hours := func(d time.Duration) float64 { return d.Hours() }
	out := []Result{
		result("poll: carrier calls per shipment", adaptive.CallsPerShipment, fixed.CallsPerShipment, "calls",
			fmt.Sprintf("baseline: fixed 1 h polling; %d simulated shipments", n)),
	}
	for _, k := range []tracking.Trigger{tracking.TriggerOutForDelivery, tracking.TriggerFailedAttempt, tracking.TriggerException, tracking.TriggerDelivered} {
		a, f := adaptive.Detection[k], fixed.Detection[k]
		note := fmt.Sprintf("n=%d missed=%d (fixed: n=%d missed=%d)", a.N, a.Missed, f.N, f.Missed)
		out = append(out,
			result(fmt.Sprintf("poll: %s detection p50", k), hours(a.P50), hours(f.P50), "h", note),
			result(fmt.Sprintf("poll: %s detection p95", k), hours(a.P95), hours(f.P95), "h", ""))
	}
	out = append(out, result("poll: false delay alerts per 1000", adaptive.FalseDelaysPer1000, adaptive.NaiveFalseDelaysPer1000, "alerts",
		fmt.Sprintf("baseline: naive 48 h silence rule; alerts on %d (naive %d) shipments", adaptive.DelayAlerts, adaptive.NaiveDelayAlerts)))
	return out
}
