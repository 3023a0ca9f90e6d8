package carrierhttp

import "github.com/ordertrack/ordertrack/app/tracking"

// WithSummary adds a carrier's shipment-level status to its events when the
// status is ahead of them: carriers update the summary (DHL's
// shipment.status, AfterShip's tracking tag) before, or instead of, adding
// the scan that explains it, and a shopper must not read "in transit" for a
// parcel the carrier calls delivered. The summary is added as one more event
// when its stage ranks above every event's (a return counts as ahead of a
// shipment that has none), or when it reports a problem later than the last
// event. An event identical to one already present (same time, code and
// description) is only upgraded, never duplicated. A summary with a zero time
// takes the last event's time.
func WithSummary(events []tracking.Event, summary tracking.Event) []tracking.Event {
	if !summary.Stage.Valid() {
		return events
	}
	top, ret := -1, false
	var last tracking.Event
	for _, e := range events {
		top = max(top, e.Stage.Rank())
		ret = ret || e.Stage.Return()
		if !e.Time.Before(last.Time) {
			last = e
		}
	}
	if summary.Time.IsZero() {
		summary.Time = last.Time
	}
	ahead := summary.Stage.Rank() > top && (!ret || summary.Stage.Return())
	if summary.Stage.Return() && !ret {
		ahead = true
	}
	newProblem := summary.Problem != tracking.ProblemNone && last.Problem != summary.Problem && summary.Time.After(last.Time)
	if !ahead && !newProblem {
		return events
	}
	for i, e := range events {
		if e.Time.Equal(summary.Time) && e.Code == summary.Code && e.Description == summary.Description {
			events[i].Stage, events[i].Problem = summary.Stage, summary.Problem
			return events
		}
	}
	return append(events, summary)
}
