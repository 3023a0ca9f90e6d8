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
	// ConfirmedAt is when a poll last found nothing the pushes had not
	// already brought (see PushConfirmed): silence since then is a parcel
	// with no news, not pushes that stopped.
	ConfirmedAt time.Time `json:"confirmed_at,omitzero"`
}

// Push timing. A subscribed shipment is polled once in 12–24 h, and at the
// moments a lost push would hide news (see WithPush); with no push for
// PushSilence of working time the pushes are taken to have stopped and the shipment is
// polled like any other until a push arrives again.
const (
	PushSafetyNet = 12 * time.Hour
	PushSilence   = 36 * time.Hour
	// pushOnTheVan is the interval while a parcel is out for delivery: the
	// delivery or the failed attempt is due within hours, and a lost push
	// of it would otherwise wait for the evening.
	pushOnTheVan = 25 * time.Minute
)

// Subscribe retries: a failed subscribe call is asked again after 15 min,
// doubling with each failure in a row up to 12 h, not on every run of the
// subscription job (each minute).
const (
	subscribeRetryBase = 15 * time.Minute
	subscribeRetryMax  = 12 * time.Hour
)

// SubscribeRetryAt is when to ask again after the attempts-th failed
// subscribe call in a row.
func SubscribeRetryAt(now time.Time, attempts int) time.Time {
	return now.UTC().Add(min(subscribeRetryBase<<min(max(attempts-1, 0), 16), subscribeRetryMax))
}

// AfterPush is the next poll of a shipment its carrier just pushed news of
// (an aggregator's push, without a subscription of ours).
func AfterPush(now time.Time) time.Time { return now.UTC().Add(PushSafetyNet) }

// Stale reports whether the pushes have stopped: nothing arrived for
// PushSilence of the carrier's working time since the subscription began,
// the last push, or the last poll that confirmed them. Weekends and holidays do not count: parcels sit still
// then, and there is nothing to push.
func (w PushWatch) Stale(now time.Time, cal Calendar) bool {
	at := w.staleAt(cal)
	return !at.IsZero() && !now.Before(at)
}

// staleAt is when the pushes turn stale if none arrives; zero without a
// subscription.
func (w PushWatch) staleAt(cal Calendar) time.Time {
	t := w.last().UTC()
	if t.IsZero() {
		return t
	}
	left := PushSilence
	for range 60 { // bounded for calendars with long runs of closed days
		end := dayStart(t).AddDate(0, 0, 1)
		if span := end.Sub(t); cal.IsWorkingDay(t) {
			if span >= left {
				return t.Add(left)
			}
			left -= span
		}
		t = end
	}
	return t
}

func (w PushWatch) last() time.Time {
	last := w.Since
	for _, t := range []time.Time{w.LastPushAt, w.ConfirmedAt} {
		if t.After(last) {
			last = t
		}
	}
	return last
}

// PushConfirmed reports whether a poll of a shipment with a live
// subscription vouches for its pushes: the poll answered and added no
// event to the stored timeline, so every event the carrier has had been
// pushed. A poll that finds unpushed news does not, and the silence since
// the last push or confirmation counts towards Stale.
func PushConfirmed(w PushWatch, failed bool, added []Event) bool {
	return w.Live && !failed && len(added) == 0
}

// WithPush makes base push-aware. A shipment without a live subscription,
// whose pushes went stale, or whose last poll failed (base backs off) keeps
// base's schedule. A live one is polled as a safety net: after 12–24 h, and
// sooner where a lost push would hide news the shopper is waiting for:
//
//   - out for delivery today, with no failed attempt or exception since:
//     every 25 min until the day's scanning ends, since the delivery or
//     the failed attempt is due within hours (see onTheVan);
//   - on each working day the parcel may go out for delivery (from one
//     working day before the estimate, any day without one), once the vans
//     have left, so a lost "out for delivery" push is found while the
//     parcel is still on the van; out for delivery since an earlier day,
//     then and at the end of the day's scanning;
//   - on such a day, when the parcel has arrived at a facility that day
//     and not left, through the van window like NextPoll (every 45 min),
//     since it may be on this morning's van (see arrivedForTheVan);
//   - when the pushes would turn stale, so the fallback to normal polling
//     starts then.
//
// Stops (terminal, expired) are base's; Retry-After is a floor.
func WithPush(base Policy) Policy {
	return func(s PollState, now time.Time, cal Calendar, rnd func() float64) (time.Time, bool) {
		next, stop := base(s, now, cal, rnd)
		if stop || !s.Push.Live || s.Push.Stale(now, cal) || s.Failures > 0 {
			return next, stop
		}
		net := now.Add(time.Duration(float64(PushSafetyNet) * (1 + rnd())))
		if van, ok := onTheVan(s, now, cal, rnd); ok && van.Before(net) {
			net = van
		}
		if check, ok := deliveryDayCheck(s, now, cal); ok && check.Before(net) {
			net = check
		}
		if van, ok := arrivedForTheVan(s, now, cal); ok && van.Before(net) {
			net = van
		}
		if stale := s.Push.staleAt(cal); stale.After(now) && stale.Before(net) {
			net = stale
		}
		if floor := now.Add(s.RetryAfter); net.Before(floor) {
			net = floor
		}
		return net, false
	}
}

// onTheVan is the next poll of a parcel that went out for delivery today
// and has had no failed attempt or exception since: pushOnTheVan (±10%)
// away while the carrier still scans today. Pushes are the fast path; this
// bounds how late a lost "delivered" or "we missed you" push is noticed.
func onTheVan(s PollState, now time.Time, cal Calendar, rnd func() float64) (time.Time, bool) {
	if s.Stage != StageOutForDelivery || (s.Problem != ProblemNone && s.Problem != ProblemDelayed) ||
		dayKey(s.LastEventAt) != dayKey(now) {
		return time.Time{}, false
	}
	next := now.Add(time.Duration(float64(pushOnTheVan) * (1 - jitterFraction + 2*jitterFraction*rnd())))
	if next.After(dayStart(now.UTC()).Add(scanEnd(cal))) {
		return time.Time{}, false
	}
	return next, true
}

// deliveryDayCheck is the next check on a day the parcel may be out for
// delivery: once the vans have left (MorningUTC plus vanWindow) on each
// working day from mayDeliverFrom while in transit; that moment and the
// end of the day's scanning when it has been out for delivery since an
// earlier day (a redelivery, or news lost since).
func deliveryDayCheck(s PollState, now time.Time, cal Calendar) (time.Time, bool) {
	vansLeft := time.Duration(cal.MorningUTC)*time.Hour + vanWindow
	switch s.Stage {
	case StageOutForDelivery:
		day := dayStart(now.UTC())
		for _, check := range []time.Time{day.Add(vansLeft), day.Add(scanEnd(cal))} {
			if check.After(now) {
				return check, true
			}
		}
	case StageShipped, StageInTransit:
		from := mayDeliverFrom(s, cal)
		day := dayStart(now.UTC())
		for range 10 {
			if check := day.Add(vansLeft); cal.IsWorkingDay(day) && !day.Before(from) && check.After(now) {
				return check, true
			}
			day = day.AddDate(0, 0, 1)
		}
	}
	return time.Time{}, false
}

// arrivedForTheVan is NextPoll's next van-window poll today for a parcel
// that arrived at a facility today and has not departed, on a day it may
// be delivered: the arrival at the delivery station comes before the van
// run, so a lost "out for delivery" push is found within the hour, on that
// day only rather than on every candidate day.
func arrivedForTheVan(s PollState, now time.Time, cal Calendar) (time.Time, bool) {
	if !s.AtFacility || dayKey(s.LastEventAt) != dayKey(now) {
		return time.Time{}, false
	}
	van, ok := vanWindowPoll(s, now, cal)
	return van, ok && dayKey(van) == dayKey(now)
}

// scanEnd is when the carrier's scanning day ends; around-the-clock
// networks are taken to be done after the evening's deliveries.
func scanEnd(cal Calendar) time.Duration {
	if cal.ScanUntil == 0 {
		return 20 * time.Hour
	}
	return cal.ScanUntil
}

// PushGap reports whether a pushed event left a gap the carrier's history
// fills: the timeline reached delivered or a failed attempt without an
// "out for delivery" scan that day, and not from a pickup point. The push
// that announced the van's run was lost; one poll at once records it (its
// trigger does not fire: FiredBetween tells only the latest news).
func PushGap(events []Event) bool {
	if len(events) == 0 {
		return false
	}
	last := events[len(events)-1]
	if last.Stage != StageDelivered && last.Problem != ProblemFailedAttempt {
		return false
	}
	for _, e := range events[:len(events)-1] {
		if e.Stage == StageAvailableForPickup ||
			(e.Stage == StageOutForDelivery && e.Problem == ProblemNone && dayKey(e.Time) == dayKey(last.Time)) {
			return false
		}
	}
	return true
}
