package tracking

import "time"

// Input is one shipment as stored and one carrier answer about it: what
// Assess needs to decide what the answer means.
type Input struct {
	// The shipment as stored.
	Carrier, Service string
	// Origin and DestRegion are the lane's regions (see Region); with
	// DestCountry, DestRegion also gives the delivery's time zone.
	Origin, DestCountry, DestRegion string
	// CreatedAt is when tracking started; ShippedAt is the ship time the
	// store reported, zero when unknown.
	CreatedAt, ShippedAt time.Time
	State                State
	ETA                  ETA
	Events               []Event
	PollFailures         int
	// Push is the shipment's push subscription (see WithPush); Pushed
	// means Result came by push rather than by a poll.
	Push   PushWatch
	Pushed bool

	// Result is what the carrier said. Failed means the call failed and
	// Result is empty; RetryAfter is the wait the carrier asked for.
	Result     Result
	Failed     bool
	RetryAfter time.Duration

	Now    time.Time
	Model  *TransitModel // the learned transit times
	Policy Policy        // picks the next poll
	Rand   func() float64
	// PerShipmentPerDay caps how often one number may be fetched a day (a
	// carrier's quota); 0 means no cap.
	PerShipmentPerDay int
}

// Outcome is what a carrier answer means for a shipment: the state to store,
// the news to tell, when to ask again.
type Outcome struct {
	Added []Event // events new to the stored timeline
	// Recoded are fetched events that replace stored uncoded ones (see Merge).
	Recoded []Event
	State   State
	ETA     ETA
	// NotFound means the carrier does not know the number (yet).
	NotFound bool
	// NextPollAt is the next poll; nil stops polling (delivered, returned,
	// expired, or the policy said so). A push that left a gap (PushGap)
	// sets it to now, even on a delivered shipment: one poll records the
	// lost scan.
	NextPollAt *time.Time
	// Fired is the news to tell the shopper, not yet deduplicated.
	Fired []Fired
	// PushConfirmed means this poll vouched for the shipment's pushes (see
	// PushConfirmed): the caller stores the time as PushWatch.ConfirmedAt.
	PushConfirmed bool
	// Transit is the transit time the model learns from, set only when the
	// shipment was just delivered and its ship time is known.
	Transit *TransitSample
}

// TransitSample is one delivered shipment's transit time on its lane.
type TransitSample struct {
	Lane Lane
	Days int // business days on the lane's calendar
}

// Assess merges a carrier answer into a shipment and re-derives everything
// that follows from it: status, ETA (the carrier's promise, else the learned
// lane estimate once the parcel shipped), delay (on the destination's
// calendar and clock), expiry, the next poll (held to the carrier's
// per-shipment quota) and the triggers that fired. It is pure: the caller
// loads the shipment and stores the outcome.
func Assess(in Input) Outcome {
	now := in.Now.UTC()
	r := in.Result
	merged, added, recoded := Merge(in.Events, r.Events)
	st := Derive(merged, in.State)
	service := in.Service
	if r.Service != "" {
		service = r.Service
	}
	cal := CalendarFor(in.Carrier, service)
	lane := Lane{Carrier: in.Carrier, Service: service, Origin: in.Origin, Destination: in.DestRegion}
	eta := in.ETA
	shippedAt := FirstShipped(in.ShippedAt, merged)
	if !r.Promised.IsZero() || !shippedAt.IsZero() {
		eta = EstimateETA(r.Promised, in.Model, lane, shippedAt, cal)
	}
	dest := ZoneOf(DestinationZone(in.DestCountry, in.DestRegion))
	st = st.WithDelay(DetectDelay(st, eta, now, cal, in.Model.SilenceLimit(lane), dest))
	ps := PollState{
		Stage: st.Stage, Problem: st.Problem, NotFound: r.NotFound || (len(merged) == 0 && !in.Failed), CreatedAt: in.CreatedAt,
		LastEventAt: st.LastEventAt, ETA: eta.Window, AtFacility: AtFacility(merged), RetryAfter: in.RetryAfter,
		Push: in.Push,
	}
	if in.Failed {
		ps.Failures = in.PollFailures + 1
	}
	st.Expired = !st.Stage.Terminal() && Expired(ps, now)
	out := Outcome{Added: added, Recoded: recoded, State: st, ETA: eta, NotFound: ps.NotFound,
		PushConfirmed: !in.Pushed && PushConfirmed(in.Push, in.Failed, added)}
	if next, stop := in.Policy(ps, now, cal, in.Rand); !stop && !st.Expired {
		if in.PerShipmentPerDay > 0 {
			if earliest := now.Add(24 * time.Hour / time.Duration(in.PerShipmentPerDay)); next.Before(earliest) {
				next = earliest
			}
		}
		out.NextPollAt = &next
	}
	if in.Pushed && len(added) > 0 && PushGap(merged) {
		out.NextPollAt = &now // the van's scan was lost: fetch the full history
	}
	out.Fired = FiredBetween(in.State, st, in.ETA.Window, eta.Window)
	if st.Stage == StageDelivered && in.State.Stage != StageDelivered && !shippedAt.IsZero() {
		out.Transit = &TransitSample{Lane: lane, Days: TransitDays(shippedAt, st.StageAt, cal)}
	}
	return out
}

// FirstShipped is when a parcel left: the ship time the store reported
// (recorded, zero when unknown), else the first carrier event at or past
// shipped that is not part of a return; zero when neither says.
func FirstShipped(recorded time.Time, events []Event) time.Time {
	if !recorded.IsZero() {
		return recorded.UTC()
	}
	for _, e := range events {
		if e.Stage.Rank() >= StageShipped.Rank() && !e.Stage.Return() {
			return e.Time
		}
	}
	return time.Time{}
}
