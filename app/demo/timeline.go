package demo

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/sim"
)

// showScenario moves a parcel's story so the scan that makes its scenario
// (a delay, a missed delivery, a question for the shopper, a pickup, a
// return, an exception) has already happened: the printed link shows what
// its label says from the first look. Earlier scans move back with it.
func showScenario(events []tracking.Event, sc sim.Scenario, now time.Time) []tracking.Event {
	key := slices.IndexFunc(events, func(e tracking.Event) bool {
		switch sc {
		case sim.Pickup:
			return e.Stage == tracking.StageAvailableForPickup
		case sim.Returned:
			return e.Stage.Return()
		}
		return e.Problem != tracking.ProblemNone
	})
	if key < 0 || !events[key].Time.After(now) {
		return events
	}
	shift := now.Add(-10 * time.Minute).Sub(events[key].Time)
	for i := 0; i <= key; i++ {
		events[i].Time = events[i].Time.Add(shift)
	}
	return events
}

// retime keeps a plan's past scans and spreads its future ones evenly from
// a minute in the first quarter hour to 60 to 90 minutes after now, so
// parcels keep moving, one here, one there, for the first hour of a visit. The promised window moves with the scans around it: a parcel
// due two scans before its delivery is still due then.
func retime(plan *sim.Shipment, now time.Time, rnd *rand.Rand) {
	events := plan.Events
	first := slices.IndexFunc(events, func(e tracking.Event) bool { return e.Time.After(now) })
	if first < 0 {
		return
	}
	future := len(events) - first
	span := 60*time.Minute + time.Duration(rnd.IntN(30))*time.Minute
	// Parcels start moving at different minutes of the first quarter
	// hour, not all at once, and end 60 to 90 minutes on.
	start := time.Minute + time.Duration(rnd.IntN(min(15, int(span/time.Minute)/future)+1))*time.Minute
	step := time.Duration(0)
	if future > 1 {
		step = (span - start) / time.Duration(future-1)
	}
	orig := make([]time.Time, future)
	for i := range future {
		orig[i] = events[first+i].Time
		events[first+i].Time = now.Add(start + time.Duration(i)*step)
	}
	// squeeze maps a time between the future scans' original times to the
	// same fraction of the way between their new ones.
	squeeze := func(t time.Time) time.Time {
		if t.IsZero() || !t.After(now) {
			return t
		}
		prevOrig, prevNew := now, now
		for i, o := range orig {
			if !t.After(o) {
				frac := float64(t.Sub(prevOrig)) / float64(max(o.Sub(prevOrig), 1))
				return prevNew.Add(time.Duration(frac * float64(events[first+i].Time.Sub(prevNew))))
			}
			prevOrig, prevNew = o, events[first+i].Time
		}
		return prevNew.Add(max(step, time.Minute))
	}
	plan.Promised = tracking.Window{Earliest: squeeze(plan.Promised.Earliest), Latest: squeeze(plan.Promised.Latest)}
}
