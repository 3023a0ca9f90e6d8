package tracking

import "time"

// PushWatch is what the polling policy knows about a shipment's push
// subscription with its carrier.
type PushWatch struct {
	// Live means the carrier accepted a subscription that has not expired
	// or failed: the carrier tells us its news.
	Live bool `json:"live,omitempty"`
	// Since is when the subscription began; LastPushAt is when the latest
	// push about the shipment arrived (zero before the first).
	Since      time.Time `json:"since,omitzero"`
	LastPushAt time.Time `json:"last_push_at,omitzero"`
}

// Push timing. A subscribed shipment is polled once in 12–24 h, and at the
// end of the day it is expected to be delivered, to catch a lost push; with
// no push for PushSilence the pushes are taken to have stopped and the
// shipment is polled like any other until a push arrives again.
const (
	PushSafetyNet = 12 * time.Hour
	PushSilence   = 36 * time.Hour
)

// AfterPush is the next poll of a shipment its carrier just pushed news of
// (an aggregator's push, without a subscription of ours).
func AfterPush(now time.Time) time.Time { return now.UTC().Add(PushSafetyNet) }

// Stale reports whether the pushes have stopped: nothing arrived for
// PushSilence since the subscription began or the last push.
func (w PushWatch) Stale(now time.Time) bool {
	last := w.Since
	if w.LastPushAt.After(last) {
		last = w.LastPushAt
	}
	return !last.IsZero() && now.Sub(last) >= PushSilence
}

// WithPush makes base push-aware. A shipment without a live subscription,
// whose pushes went stale, or whose last poll failed (base backs off) keeps
// base's schedule. A live one is polled as a safety net only: after 12–24 h,
// at the end of the scanning day on which it is expected to be delivered
// (the ETA's last day, or today when out for delivery) when that is sooner,
// and at the moment its pushes would turn stale, so the fallback to normal
// polling starts then. Stops (terminal, expired) are base's.
func WithPush(base Policy) Policy {
	return func(s PollState, now time.Time, cal Calendar, rnd func() float64) (time.Time, bool) {
		next, stop := base(s, now, cal, rnd)
		if stop || !s.Push.Live || s.Push.Stale(now) || s.Failures > 0 {
			return next, stop
		}
		net := now.Add(time.Duration(float64(PushSafetyNet) * (1 + rnd())))
		if check, ok := deliveryDayCheck(s, now, cal); ok && check.Before(net) {
			net = check
		}
		last := s.Push.Since
		if s.Push.LastPushAt.After(last) {
			last = s.Push.LastPushAt
		}
		if stale := last.Add(PushSilence); stale.After(now) && stale.Before(net) {
			net = stale
		}
		if floor := now.Add(s.RetryAfter); net.Before(floor) {
			net = floor
		}
		return net, false
	}
}

// deliveryDayCheck is the poll after the carrier's last scans on the day
// the parcel should be delivered: the ETA's latest day (earliest when that
// is all there is) while in transit, today once out for delivery. A lost
// "delivered" or "we missed you" push is found that evening, not a day later.
func deliveryDayCheck(s PollState, now time.Time, cal Calendar) (time.Time, bool) {
	var day time.Time
	switch {
	case s.Stage == StageOutForDelivery:
		day = dayStart(now.UTC())
	case (s.Stage == StageShipped || s.Stage == StageInTransit) && !s.ETA.IsZero():
		day = s.ETA.Latest
		if day.IsZero() {
			day = s.ETA.Earliest
		}
		day = dayStart(day.UTC())
	default:
		return time.Time{}, false
	}
	end := cal.ScanUntil
	if end == 0 {
		end = 20 * time.Hour // around-the-clock networks: after the evening's deliveries
	}
	// Before the evening, once the vans have left: a lost "out for
	// delivery" push is found while the parcel is still on the van.
	for _, check := range []time.Time{day.Add(time.Duration(cal.MorningUTC)*time.Hour + vanWindow), day.Add(end)} {
		if check.After(now) {
			return check, true
		}
	}
	return time.Time{}, false
}
