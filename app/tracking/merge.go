package tracking

import (
	"slices"
	"time"
)

// Merge folds freshly fetched events into a stored timeline. Carriers repeat
// their whole history on every fetch (UPS and USPS newest-first), so events
// are deduplicated by Fingerprint; the result is sorted by time, stably, so a
// late-arriving older scan lands where it happened, not at the end. added
// holds only the events that were not stored before, in time order.
//
// A stored event without a code (stored before its adapter read a code from
// the carrier's wording, as DHL Express events were) is the same scan as a
// fetched event of the same time and place: the fetched one replaces it,
// with its stage and problem, and is returned in recoded, not in added.
func Merge(existing []Event, incoming []Event) (merged, added, recoded []Event) {
	seen := make(map[string]struct{}, len(existing)+len(incoming))
	uncoded := map[string][]int{} // place-and-time key → indexes in merged
	merged = make([]Event, 0, len(existing)+len(incoming))
	for _, e := range existing {
		fp := e.Fingerprint()
		if _, ok := seen[fp]; ok {
			continue
		}
		seen[fp] = struct{}{}
		if e.Code == "" {
			k := e.UncodedFingerprint()
			uncoded[k] = append(uncoded[k], len(merged))
		}
		merged = append(merged, e)
	}
	for _, e := range incoming {
		fp := e.Fingerprint()
		if _, ok := seen[fp]; ok {
			continue
		}
		seen[fp] = struct{}{}
		if k := e.UncodedFingerprint(); e.Code != "" && len(uncoded[k]) > 0 {
			merged[uncoded[k][0]] = e
			uncoded[k] = uncoded[k][1:]
			recoded = append(recoded, e)
			continue
		}
		merged = append(merged, e)
		added = append(added, e)
	}
	slices.SortStableFunc(merged, byTime)
	slices.SortStableFunc(added, byTime)
	return merged, added, recoded
}

// UncodedFingerprint is the Fingerprint of e as if it had no code: the one
// an uncoded scan it recodes was stored under.
func (e Event) UncodedFingerprint() string {
	e.Code = ""
	return e.Fingerprint()
}

func byTime(a, b Event) int { return a.Time.Compare(b.Time) }

// State is a shipment's current normalized status, derived from its timeline.
// Storage persists it next to the events; triggers compare two States.
type State struct {
	Stage Stage `json:"stage"`
	// Problem is the event-derived problem; the delay detector adds
	// ProblemDelayed on top through WithDelay.
	Problem Problem `json:"problem,omitempty"`
	// Substatus is the carrier's code of the latest event, for operators.
	Substatus   string    `json:"substatus,omitempty"`
	LastEventAt time.Time `json:"last_event_at"`
	// StageAt is the time of the latest event carrying the current stage (the
	// latest out-for-delivery scan, so a new attempt day is recognisable).
	StageAt time.Time `json:"stage_at"`
	// ProblemAt is when the current problem was raised.
	ProblemAt time.Time `json:"problem_at"`
	// Expired means ordertrack stopped polling a shipment that stayed silent
	// too long (see Expired); the shopper sees "<stage>.expired" copy.
	Expired bool `json:"expired,omitempty"`
}

// Derive computes the shipment's state from its whole timeline (as returned
// by Merge) and its previous state. Rules:
//
//   - The stage is the most advanced stage seen; an older or out-of-order scan
//     never moves it back, and neither does a timeline that lost events (prev
//     wins when it is further along).
//   - Returns are the exception: a returning/returned event moves any stage
//     into the return, and once returning only return events count; a
//     "delivered" scan during a return means delivered back to the sender, so
//     it becomes returned.
//   - Problems follow the timeline in time order: an event with a problem
//     raises it; delivered (or returned) clears every problem; a later normal
//     scan clears exception and carrier-reported delay (the parcel moves
//     again); failed_attempt and action_required are cleared only by a normal
//     scan that is out for delivery or beyond, a return, or further along than
//     where the problem was raised — a routine "back at depot" scan after a
//     missed delivery does not mean the shopper's problem is solved. An
//     action_required also clears on a normal scan that moves the parcel
//     (an arrival, departure or customs release, see Movement): what was
//     asked for arrived, or the parcel would not be moving.
//   - Expired carries over until a newer event arrives.
func Derive(events []Event, prev State) State {
	if len(events) == 0 {
		return prev
	}
	evs := slices.Clone(events)
	slices.SortStableFunc(evs, byTime)

	var next State
	raisedRank := -1
	for _, e := range evs {
		switch {
		case next.Stage == StageReturned:
		case e.Stage == StageReturned || (next.Stage == StageReturning && e.Stage == StageDelivered):
			next.Stage, next.StageAt = StageReturned, e.Time
		case e.Stage == StageReturning:
			next.Stage, next.StageAt = StageReturning, e.Time
		case next.Stage.Return():
		case e.Stage.Rank() > next.Stage.Rank():
			next.Stage, next.StageAt = e.Stage, e.Time
		case e.Stage == next.Stage:
			next.StageAt = e.Time
		}

		switch {
		case next.Stage.Terminal():
			next.Problem, next.ProblemAt = ProblemNone, time.Time{}
		case e.Problem != ProblemNone:
			next.Problem, next.ProblemAt, raisedRank = e.Problem, e.Time, next.Stage.Rank()
		case next.Problem != ProblemNone && clearsProblem(next.Problem, raisedRank, e):
			next.Problem, next.ProblemAt = ProblemNone, time.Time{}
		}
		next.Substatus = e.Code
		next.LastEventAt = e.Time
	}

	keepPrev := false
	switch {
	case !prev.Stage.Valid():
	case prev.Stage == StageReturned:
		keepPrev = true
	case next.Stage.Return():
	case prev.Stage.Return():
		keepPrev = true
	case prev.Stage.Rank() > next.Stage.Rank():
		keepPrev = true
	}
	if keepPrev {
		next.Stage, next.StageAt = prev.Stage, prev.StageAt
		if next.Stage.Terminal() {
			next.Problem, next.ProblemAt = ProblemNone, time.Time{}
		}
	}
	if prev.LastEventAt.After(next.LastEventAt) {
		next.LastEventAt, next.Substatus = prev.LastEventAt, prev.Substatus
	}
	next.Expired = prev.Expired && !next.LastEventAt.After(prev.LastEventAt)
	return next
}

func clearsProblem(p Problem, raisedRank int, e Event) bool {
	s := e.Stage
	switch p {
	case ProblemActionRequired:
		if e.Movement != MovementNone {
			return true
		}
		fallthrough
	case ProblemFailedAttempt:
		return s.Return() || s.Rank() >= StageOutForDelivery.Rank() || s.Rank() > raisedRank
	}
	return true
}

// WithDelay adds the delay detector's verdict: a delayed shipment without an
// event-derived problem gets ProblemDelayed, raised at d.Since. A problem
// reported by the carrier (exception, failed attempt…) says more, so it wins.
func (s State) WithDelay(d Delay) State {
	if d.Delayed && s.Problem == ProblemNone && !s.Stage.Terminal() {
		s.Problem, s.ProblemAt = ProblemDelayed, d.Since
	}
	return s
}
