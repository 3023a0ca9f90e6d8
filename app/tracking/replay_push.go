package tracking

import (
	"math"
	"slices"
	"time"
)

// ReplayPush describes a carrier that pushes, for Replay: each event is
// pushed Delay after it happens, unless the push is lost (LossRate of them
// never arrive: carriers like UPS keep no history and do not retry).
type ReplayPush struct {
	// Delay returns one push's delay after its event, drawing from rnd.
	Delay    func(rnd func() float64) time.Duration
	LossRate float64
	// Rand draws delays and losses; nil means a fixed sequence is not
	// possible, so it is required.
	Rand func() float64
	// SubscribeCalls is what one subscription costs in calls (1/100 when
	// the API takes 100 numbers a request); RenewEvery is how long one
	// lasts (UPS: 14 days), zero for as long as the shipment.
	SubscribeCalls float64
	RenewEvery     time.Duration
}

// replayPushed is replayOne for a subscribed shipment: the policy sees a
// live PushWatch, pushes and polls are merged in time order, and each push
// reschedules the next poll as the app's push job does.
func replayPushed(sh ReplayShipment, policy Policy, opts ReplayOptions) replayOutcome {
	push := opts.Push
	events := slices.Clone(sh.Events)
	slices.SortStableFunc(events, byTime)
	limit := sh.SilenceLimit
	if limit <= 0 {
		limit = DefaultSilenceLimit
	}
	eta := ETA{Window: sh.Promised, Source: SourceCarrier}
	end := sh.ShippedAt.Add(opts.Horizon)
	out := replayOutcome{detected: map[Trigger]time.Duration{}}

	type arrival struct {
		at time.Time
		e  Event
	}
	var arrivals []arrival
	for _, e := range events {
		out.pushes++
		if push.Rand() < push.LossRate {
			out.lost++
			continue
		}
		arrivals = append(arrivals, arrival{at: e.Time.Add(push.Delay(push.Rand)), e: e})
	}
	slices.SortStableFunc(arrivals, func(a, b arrival) int { return a.at.Compare(b.at) })

	var known []Event
	st := State{Stage: StagePacked}
	sent := map[string]bool{}
	watch := PushWatch{Live: true, Since: sh.ShippedAt}
	visible := 0
	nextPoll, stopped := sh.ShippedAt, false
	last := sh.ShippedAt
	for {
		var now time.Time
		var incoming []Event
		pushed := false
		pollDue := !stopped && (len(arrivals) == 0 || !arrivals[0].at.Before(nextPoll))
		switch {
		case pollDue:
			now = nextPoll
			out.calls++
			for visible < len(events) && !events[visible].Time.After(now) {
				visible++
			}
			incoming = events[:visible]
		case len(arrivals) > 0:
			now = arrivals[0].at
			incoming = []Event{arrivals[0].e}
			arrivals = arrivals[1:]
			watch.LastPushAt = now
			pushed = true
		default:
			now = end.Add(time.Nanosecond)
		}
		if now.After(end) {
			break
		}
		for t := last; !st.Stage.Terminal() && t.Before(now); t = t.Add(opts.CheckEvery) {
			out.alerted = out.alerted || DetectDelay(st, eta, t, sh.Calendar, limit, time.UTC).Delayed
			out.naiveAlerted = out.naiveAlerted || NaiveStalled(st.LastEventAt, t, opts.NaiveLimit)
		}
		last = now
		var added []Event
		known, added, _ = Merge(known, incoming)
		st = out.advance(known, st, eta, now, sh.Calendar, limit, sent)
		if !pushed && PushConfirmed(watch, false, added) {
			watch.ConfirmedAt = now
		}
		if pushed && len(added) > 0 && PushGap(known) {
			nextPoll, stopped = now, false // as Assess: one poll at once fills the gap
			continue
		}
		if st.Stage.Terminal() {
			break
		}
		ps := PollState{Stage: st.Stage, Problem: st.Problem, NotFound: len(known) == 0, CreatedAt: sh.ShippedAt, LastEventAt: st.LastEventAt,
			ETA: eta.Window, AtFacility: AtFacility(known), Push: watch}
		p, stop := policy(ps, now, sh.Calendar, opts.Rand)
		switch {
		case stop:
			stopped = true
		case p.After(now):
			nextPoll = p
		default:
			stopped = true
		}
		if stopped && len(arrivals) == 0 {
			break
		}
	}
	out.known = known
	subscribed := last.Sub(sh.ShippedAt)
	renewals := 0.0
	if push.RenewEvery > 0 {
		renewals = math.Floor(float64(subscribed) / float64(push.RenewEvery))
	}
	out.subscribeCalls = push.SubscribeCalls * (1 + renewals)
	return out
}
