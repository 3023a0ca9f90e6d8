package tracking

import "time"

// Fired is a trigger ready for the notification rules. Key is the dedupe key:
// the caller stores the keys it has acted on per shipment and drops a Fired
// whose key is already stored, which makes every trigger once-only even when
// a poll is retried or two workers race. Keys:
//
//	shipped, in_transit, available_for_pickup, delivered, returning
//	out_for_delivery:2026-11-27   one per delivery-attempt day
//	failed_attempt:2026-11-27     one per day a problem is raised, likewise
//	action_required:…, exception:…
//	delayed:2026-11-30            one per missed estimate (its latest date)
//	eta_changed:2026-11-30        one per new estimate; a window renders as
//	                              eta_changed:2026-11-28..2026-11-30
type Fired struct {
	Trigger Trigger `json:"trigger"`
	Key     string  `json:"key"`
	// At is when the news happened (the causing event's time, or when the
	// shipment became late), for "how stale is this" checks and metrics.
	At time.Time `json:"at"`
}

var stageTriggers = map[Stage]Trigger{
	StageShipped:            TriggerShipped,
	StageInTransit:          TriggerInTransit,
	StageOutForDelivery:     TriggerOutForDelivery,
	StageAvailableForPickup: TriggerAvailableForPickup,
	StageDelivered:          TriggerDelivered,
	StageReturning:          TriggerReturning,
	StageReturned:           TriggerReturning,
}

var problemTriggers = map[Problem]Trigger{
	ProblemDelayed:        TriggerDelayed,
	ProblemFailedAttempt:  TriggerFailedAttempt,
	ProblemActionRequired: TriggerActionRequired,
	ProblemException:      TriggerException,
}

// FiredBetween lists what changed between two states (and two ETAs) that the
// shopper should hear about. Only the latest news is emitted, never a burst:
//
//   - A stage change emits the trigger of the new stage only: a shipment first
//     seen delivered, or jumping from shipped to delivered between two polls,
//     yields "delivered" alone, not shipped+in_transit+out_for_delivery.
//     Reaching returned without having been returning emits "returning".
//   - A new problem (or the same problem raised again at a new time) emits its
//     trigger, unless the shipment is delivered/returned. When a carrier
//     problem is at least as recent as the stage change it supersedes it
//     ("out for delivery" then "we missed you" in one poll sends the latter);
//     delivered and returning are never superseded.
//   - eta_changed fires when a known estimate moves to other dates, before
//     the parcel is out for delivery and outside returns; the first estimate
//     is not a change (the shipped message carries it).
func FiredBetween(prev, next State, prevETA, nextETA Window) []Fired {
	var stage, problem, eta *Fired

	stageMoved := next.Stage != prev.Stage ||
		(next.Stage == StageOutForDelivery && dayKey(next.StageAt) != dayKey(prev.StageAt))
	if t, ok := stageTriggers[next.Stage]; ok && stageMoved &&
		!(next.Stage == StageReturned && prev.Stage == StageReturning) {
		key := string(t)
		if t == TriggerOutForDelivery {
			key += ":" + dayKey(next.StageAt)
		}
		stage = &Fired{Trigger: t, Key: key, At: next.StageAt}
	}

	if t, ok := problemTriggers[next.Problem]; ok && !next.Stage.Terminal() &&
		(next.Problem != prev.Problem || !next.ProblemAt.Equal(prev.ProblemAt)) {
		day := next.ProblemAt
		if next.Problem == ProblemDelayed && !nextETA.Latest.IsZero() {
			day = nextETA.Latest
		}
		if next.Problem != ProblemDelayed || next.Problem != prev.Problem {
			problem = &Fired{Trigger: t, Key: string(t) + ":" + dayKey(day), At: next.ProblemAt}
		}
	}
	if stage != nil && problem != nil && problem.Trigger != TriggerDelayed &&
		stage.Trigger != TriggerDelivered && stage.Trigger != TriggerReturning &&
		!problem.At.Before(stage.At) {
		stage = nil
	}

	if !prevETA.IsZero() && !nextETA.IsZero() && windowKey(prevETA) != windowKey(nextETA) &&
		next.Stage.Rank() < StageOutForDelivery.Rank() && !next.Stage.Return() {
		eta = &Fired{Trigger: TriggerETAChanged, Key: string(TriggerETAChanged) + ":" + windowKey(nextETA), At: next.LastEventAt}
	}

	var out []Fired
	for _, f := range []*Fired{stage, problem, eta} {
		if f != nil {
			out = append(out, *f)
		}
	}
	return out
}

// windowKey renders a window's dates: "2026-11-30" or "2026-11-28..2026-11-30".
func windowKey(w Window) string {
	e, l := w.Earliest, w.Latest
	if e.IsZero() {
		e = l
	}
	if l.IsZero() {
		l = e
	}
	if dayKey(e) == dayKey(l) {
		return dayKey(l)
	}
	return dayKey(e) + ".." + dayKey(l)
}

// AsksShopper reports whether the update for t asks the shopper to answer
// (1 to confirm, 2 to reschedule, by text or on a call).
func (t Trigger) AsksShopper() bool {
	return t == TriggerFailedAttempt || t == TriggerActionRequired || t == TriggerCODReminder
}

// FollowUps are the triggers that ride on t as messages of their own: with
// cash on delivery, out for delivery doubles as the reminder to keep the
// amount ready.
func FollowUps(t Trigger, cod bool) []Trigger {
	if t == TriggerOutForDelivery && cod {
		return []Trigger{TriggerCODReminder}
	}
	return nil
}

// ForReturn turns what a poll fired for a parcel the shopper sends back
// into the return's own news: the carrier has it (once, however it moves),
// and the store received it. Everything else (out for delivery to the
// store, delays, the store's ETA) is not the shopper's to hear.
func ForReturn(fired []Fired) []Fired {
	var out []Fired
	for _, f := range fired {
		switch f.Trigger {
		case TriggerShipped, TriggerInTransit:
			out = append(out, Fired{Trigger: TriggerReturnInTransit, Key: string(TriggerReturnInTransit), At: f.At})
		case TriggerDelivered:
			out = append(out, Fired{Trigger: TriggerReturnDelivered, Key: string(TriggerReturnDelivered), At: f.At})
		}
	}
	return out
}
