package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
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

// Push simulation: delays after the event are 30 s plus an exponential tail
// with a 2 min mean (median ≈ 1.9 min, p95 ≈ 6.5 min, the "near real time"
// the carriers document), and pushLoss of the pushes never arrive.
const (
	pushFloor = 30 * time.Second
	pushMean  = 2 * time.Minute
	pushLoss  = 0.05
	// UPS Track Alert takes 100 numbers a request and lasts 14 days; the
	// other carriers take one number a request, which the bench assumes.
	subscribeCalls = 1.0
	renewEvery     = 14 * 24 * time.Hour
)

// PushReplay replays n simulated shipments whose carrier pushes (5% of the
// pushes lost) under tracking.WithPush(tracking.NextPoll), against fixed
// hourly polling: carrier calls per shipment, subscribe and renew calls
// included, and detection delays per event type.
func PushReplay(n int) []Result {
	pushed, fixed := pushReports(n)
	hours := func(d time.Duration) float64 { return d.Hours() }
	out := []Result{
		result("push: carrier calls per shipment", pushed.CallsPerShipment, fixed.CallsPerShipment, "calls",
			fmt.Sprintf("baseline: fixed 1 h polling; subscribe+renew %.2f/shipment; %d of %d pushes lost", pushed.SubscribeCalls/float64(max(1, n)), pushed.LostPushes, pushed.Pushes)),
	}
	for _, k := range []tracking.Trigger{tracking.TriggerOutForDelivery, tracking.TriggerFailedAttempt, tracking.TriggerException, tracking.TriggerDelivered} {
		a, f := pushed.Detection[k], fixed.Detection[k]
		note := fmt.Sprintf("n=%d superseded=%d missed=%d (fixed: n=%d superseded=%d missed=%d)", a.N, a.Superseded, a.Missed, f.N, f.Superseded, f.Missed)
		out = append(out,
			result(fmt.Sprintf("push: %s detection p50", k), hours(a.P50), hours(f.P50), "h", note),
			result(fmt.Sprintf("push: %s detection p95", k), hours(a.P95), hours(f.P95), "h", ""))
	}
	return out
}

// pushReports replays n simulated shipments with push (WithPush over
// NextPoll) and under fixed hourly polling.
func pushReports(n int) (pushed, fixed tracking.ReplayReport) {
	ships := ReplayShipments(n)
	fixed = tracking.Replay(ships, tracking.FixedPolicy(time.Hour), tracking.ReplayOptions{})
	pushed = tracking.Replay(ships, tracking.WithPush(tracking.NextPoll), tracking.ReplayOptions{Push: PushSim(1)})
	return pushed, fixed
}

// PushSim is the bench's push model, seeded so runs compare.
func PushSim(seed uint64) *tracking.ReplayPush {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return &tracking.ReplayPush{
		Delay: func(rnd func() float64) time.Duration {
			return pushFloor + time.Duration(-math.Log(1-rnd())*float64(pushMean))
		},
		LossRate: pushLoss, Rand: r.Float64,
		SubscribeCalls: subscribeCalls, RenewEvery: renewEvery,
	}
}
