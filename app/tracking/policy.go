package tracking

import "time"

// PollState is what the polling policy needs to know about one shipment.
type PollState struct {
	Stage Stage `json:"stage"`
	// Problem is the shipment's current problem, if any.
	Problem Problem `json:"problem,omitempty"`
	// NotFound means the carrier does not know the number yet.
	NotFound bool `json:"not_found,omitempty"`
	// CreatedAt is when tracking started (the fulfillment arrived).
	CreatedAt   time.Time `json:"created_at"`
	LastEventAt time.Time `json:"last_event_at"`
	ETA         Window    `json:"eta"`
	// AtFacility means the latest scan put the parcel inside a carrier
	// facility and no departure has followed; see AtFacility.
	AtFacility bool `json:"at_facility,omitempty"`
	// Failures counts consecutive failed polls (timeouts, 429, 5xx).
	Failures int `json:"failures,omitempty"`
	// RetryAfter is the carrier's requested wait after the last failure; the
	// next poll is never sooner.
	RetryAfter time.Duration `json:"retry_after,omitempty"`
	// Push is the shipment's push subscription, if any; see WithPush.
	Push PushWatch `json:"push,omitempty"`
}

// AtFacility reports whether the latest of a timeline's events (sorted by
// time, as Merge returns them) is an arrival or processing scan: the parcel
// is being handled inside a facility and has not departed.
func AtFacility(events []Event) bool {
	return len(events) > 0 && events[len(events)-1].Movement == MovementArrived
}

// Policy picks the next poll time of a shipment, or says to stop polling it.
// rnd returns a number in [0, 1) for jitter; pass a fixed func in tests.
type Policy func(s PollState, now time.Time, cal Calendar, rnd func() float64) (next time.Time, stop bool)

// Expiry limits, after the aggregators' norms (AfterShip: pending → expired
// after 30 days; Karrio retires trackers after 90; UPS keeps 120 days).
const (
	ExpireNotFoundAfter = 30 * 24 * time.Hour  // pre-transit, no carrier scan
	ExpireSilentAfter   = 30 * 24 * time.Hour  // in transit, no new event
	ExpireAfter         = 120 * 24 * time.Hour // any non-terminal shipment
)

// Polling intervals by stage; see NextPoll.
const (
	pollPreTransitFirstDay = 3 * time.Hour
	pollPreTransitWeek     = 6 * time.Hour
	pollPreTransitLate     = 12 * time.Hour
	pollAtFacility         = 50 * time.Minute
	pollMoving             = 105 * time.Minute
	pollSilent             = 8 * time.Hour
	pollOutForDelivery     = 45 * time.Minute
	pollStaleOutForDel     = 3 * time.Hour
	pollWaiting            = 12 * time.Hour // awaiting pickup, returning
	pollFailureBase        = 15 * time.Minute
	pollFailureMax         = 12 * time.Hour
	jitterFraction         = 0.10
	morningSpread          = 30 * time.Minute
)

// Expired reports whether a shipment should no longer be polled although it
// is not delivered: unknown to the carrier (or never scanned) for
// ExpireNotFoundAfter, silent for ExpireSilentAfter, or tracked for
// ExpireAfter. The app then sets State.Expired, stops polling, and the
// shopper sees "<stage>.expired" copy: "the carrier has stopped sending
// updates — contact the store". A new event (e.g. a carrier push) revives it.
func Expired(s PollState, now time.Time) bool {
	if s.Stage.Terminal() {
		return false
	}
	switch {
	case !s.CreatedAt.IsZero() && now.Sub(s.CreatedAt) >= ExpireAfter:
		return true
	case preTransit(s) && !s.CreatedAt.IsZero() && now.Sub(s.CreatedAt) >= ExpireNotFoundAfter:
		return true
	case !preTransit(s) && !s.LastEventAt.IsZero() && now.Sub(s.LastEventAt) >= ExpireSilentAfter:
		return true
	}
	return false
}

// NextPoll is the adaptive polling policy: poll only what may have changed.
//
//   - Terminal stages and expired shipments: stop.
//   - Pre-transit (label created / carrier does not know the number): every
//     3 h the first day, 6 h the first week, 12 h after, until expiry.
//   - Shipped/in transit: every 50 min while the latest scan is an arrival at
//     a facility (AtFacility) — carriers find damage, missorts and lost
//     parcels while handling them, so that is when exceptions are raised —
//     and every 1 h 45 otherwise: an exception can follow an arrival by
//     minutes, before any poll has seen the arrival, and only this cadence
//     finds it then. The ETA does not change the cadence. A parcel without
//     a scan for more than DefaultSilenceLimit full working days (what
//     DetectDelay calls a stall) drops to 8 h, whatever its ETA.
//   - On each working day from the one before the ETA's earliest day (any
//     day without an ETA), polls every 45 min in the van window (see
//     vanWindowPoll), where out-for-delivery scans appear; this, not more
//     polling all day, is what watches the delivery day.
//   - Out for delivery: every 45 min on the day of the scan, 3 h after.
//   - Awaiting pickup, returning: every 12 h.
//   - Failures back off from 15 min doubling to 12 h, replacing the interval.
//
// The interval gets ±10% jitter so shipments created together spread out.
// Once the carrier has the parcel, no poll falls in the calendar's quiet
// hours (Calendar.ScanFrom/ScanUntil): a poll due inside them happens just
// after scanning stops, to see the day's last scans, and the next counts its
// interval from when scanning resumes. A time that falls on a day the
// carrier does not work (weekend, holiday) moves to the next working morning
// (MorningUTC plus up to 30 min jitter). Retry-After is a floor applied last.
func NextPoll(s PollState, now time.Time, cal Calendar, rnd func() float64) (next time.Time, stop bool) {
	if s.Stage.Terminal() || Expired(s, now) {
		return time.Time{}, true
	}
	interval := baseInterval(s, now, cal)
	if s.Failures > 0 {
		interval = min(pollFailureBase<<min(s.Failures-1, 16), pollFailureMax)
	}
	interval = time.Duration(float64(interval) * (1 - jitterFraction + 2*jitterFraction*rnd()))
	next = now.Add(interval)
	if s.Failures == 0 && !preTransit(s) {
		next = outsideQuietHours(now, next, cal, rnd)
	}
	if !cal.IsWorkingDay(next.UTC()) {
		next = cal.NextWorkingMorning(next).Add(time.Duration(float64(morningSpread) * rnd()))
	}
	if s.Failures == 0 {
		if van, ok := vanWindowPoll(s, now, cal); ok && van.Before(next) {
			next = van
		}
	}
	if floor := now.Add(s.RetryAfter); next.Before(floor) {
		next = floor
	}
	return next, false
}

// vanWindow is how long after the carrier's working morning (MorningUTC)
// out-for-delivery scans come in: the vans load and leave then, so a
// parcel's delivery day shows up in that window or not at all.
const (
	vanWindow = 3 * time.Hour
	vanFirst  = 15 * time.Minute
	vanEvery  = 45 * time.Minute
)

// vanWindowPoll returns the next hourly poll inside a van window on a day the
// parcel may be delivered: a working day no earlier than one working day
// before the estimate (carriers deliver early more often than late), or any
// working day when there is no estimate. Polling there, and not around the
// clock, is what finds "out for delivery" about as fast as hourly polling
// at a fraction of the calls.
func vanWindowPoll(s PollState, now time.Time, cal Calendar) (time.Time, bool) {
	if s.Stage != StageShipped && s.Stage != StageInTransit {
		return time.Time{}, false
	}
	from := mayDeliverFrom(s, cal)
	day := dayStart(now.UTC())
	for range 10 {
		if cal.IsWorkingDay(day) && !day.Before(from) {
			start := day.Add(time.Duration(cal.MorningUTC) * time.Hour)
			for t := start.Add(vanFirst); t.Before(start.Add(vanWindow)); t = t.Add(vanEvery) {
				if t.After(now) {
					return t, true
				}
			}
		}
		day = day.AddDate(0, 0, 1)
	}
	return time.Time{}, false
}

// mayDeliverFrom is the first day a parcel in transit may go out for
// delivery: one working day before the estimate's earliest day (carriers
// deliver early more often than late), or zero, any day, without one.
func mayDeliverFrom(s PollState, cal Calendar) time.Time {
	if s.ETA.IsZero() {
		return time.Time{}
	}
	earliest := s.ETA.Earliest
	if earliest.IsZero() {
		earliest = s.ETA.Latest
	}
	from := dayStart(earliest.UTC()).AddDate(0, 0, -1)
	for !cal.IsWorkingDay(from) {
		from = from.AddDate(0, 0, -1)
	}
	return from
}

// outsideQuietHours moves a poll out of the carrier's quiet hours: one made
// during them counts its interval from when scanning resumes, and one due
// during them happens just after they begin (plus up to 30 min jitter, all
// of it quiet), when the day's last scans are in.
func outsideQuietHours(now, next time.Time, cal Calendar, rnd func() float64) time.Time {
	if _, resumes, ok := cal.quiet(now); ok {
		return resumes.Add(next.Sub(now))
	}
	if began, _, ok := cal.quiet(next); ok {
		return began.Add(time.Duration(float64(morningSpread) * rnd()))
	}
	return next
}

func preTransit(s PollState) bool { return s.NotFound || s.Stage.Rank() < StageShipped.Rank() }

func baseInterval(s PollState, now time.Time, cal Calendar) time.Duration {
	switch {
	case preTransit(s):
		age := now.Sub(s.CreatedAt)
		switch {
		case age < 24*time.Hour:
			return pollPreTransitFirstDay
		case age < 7*24*time.Hour:
			return pollPreTransitWeek
		}
		return pollPreTransitLate
	case s.Stage == StageOutForDelivery:
		if dayKey(s.LastEventAt) == dayKey(now) {
			return pollOutForDelivery
		}
		return pollStaleOutForDel
	case s.Stage == StageAvailableForPickup || s.Stage.Return():
		return pollWaiting
	}
	// Shipped or in transit.
	if !s.LastEventAt.IsZero() && cal.BusinessDaysBetween(s.LastEventAt, now) > DefaultSilenceLimit {
		return pollSilent
	}
	if s.AtFacility {
		return pollAtFacility
	}
	return pollMoving
}

// FixedPolicy polls every interval until the shipment is terminal: the
// baseline the benchmark compares NextPoll against.
func FixedPolicy(every time.Duration) Policy {
	return func(s PollState, now time.Time, _ Calendar, _ func() float64) (time.Time, bool) {
		if s.Stage.Terminal() {
			return time.Time{}, true
		}
		return now.Add(every), false
	}
}
