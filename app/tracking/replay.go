package tracking

import (
	"math"
	"slices"
	"time"
)

// ReplayShipment is one shipment's true carrier timeline for Replay. A poll at
// time t sees exactly the events with Time ≤ t.
type ReplayShipment struct {
	Events []Event `json:"events"`
	// ShippedAt is when tracking starts (the fulfillment webhook).
	ShippedAt time.Time `json:"shipped_at"`
	// Promised is the carrier's window; its Latest decides whether a delay
	// alert was false.
	Promised Window   `json:"promised"`
	Calendar Calendar `json:"calendar"`
	// SilenceLimit for DetectDelay; zero means DefaultSilenceLimit.
	SilenceLimit int `json:"silence_limit,omitempty"`
}

// ReplayOptions tune Replay; the zero value is usable.
type ReplayOptions struct {
	// Rand feeds the policy's jitter; nil means no jitter (always 0.5).
	Rand func() float64
	// Horizon bounds each shipment's simulated time; zero means 60 days.
	Horizon time.Duration
	// CheckEvery is how often the delay detectors run on the stored state
	// (they need no carrier call); zero means hourly.
	CheckEvery time.Duration
	// NaiveLimit is the naive stall rule's silence; zero means 48 h.
	NaiveLimit time.Duration
	// Push, when set, has the carrier push every event to a subscription
	// the shipment takes when tracking starts; see ReplayPush.
	Push *ReplayPush
}

// Latency summarises how long after the carrier event a trigger fired.
type Latency struct {
	// N counts shipments whose trigger fired. Of the shipments whose
	// timeline had the event but whose trigger never fired, Superseded
	// counts those where the event was recorded, but only with or after
	// later news (FiredBetween tells the latest news alone: "delivered",
	// not a stale "out for delivery"), and Missed those where it never
	// reached the stored timeline at all.
	N          int           `json:"n"`
	Superseded int           `json:"superseded"`
	Missed     int           `json:"missed"`
	P50        time.Duration `json:"p50"`
	P95        time.Duration `json:"p95"`
}

// ReplayReport is the outcome of replaying shipments under one policy.
type ReplayReport struct {
	Shipments int `json:"shipments"`
	Calls     int `json:"calls"`
	// SubscribeCalls are the subscription and renewal calls (a batched
	// subscription counts its share); CallsPerShipment includes them.
	SubscribeCalls   float64 `json:"subscribe_calls,omitempty"`
	CallsPerShipment float64 `json:"calls_per_shipment"`
	// Pushes and LostPushes count the pushes sent and those that never
	// arrived.
	Pushes     int `json:"pushes,omitempty"`
	LostPushes int `json:"lost_pushes,omitempty"`
	// Detection holds latencies for out_for_delivery, failed_attempt,
	// exception and delivered.
	Detection map[Trigger]Latency `json:"detection"`
	// DelayAlerts and NaiveDelayAlerts count shipments that got at least one
	// alert from DetectDelay and from NaiveStalled respectively.
	DelayAlerts      int `json:"delay_alerts"`
	NaiveDelayAlerts int `json:"naive_delay_alerts"`
	// FalseDelaysPer1000 counts alerts on shipments delivered on or before
	// their promised latest day, per 1,000 shipments.
	FalseDelaysPer1000      float64 `json:"false_delays_per_1000"`
	NaiveFalseDelaysPer1000 float64 `json:"naive_false_delays_per_1000"`
}

// replayKinds are the triggers whose detection delay Replay measures.
var replayKinds = []Trigger{TriggerOutForDelivery, TriggerFailedAttempt, TriggerException, TriggerDelivered}

// Replay simulates polling every shipment under policy, without sleeping:
// each poll is one carrier call that sees the events up to that instant and
// runs Merge, Derive, DetectDelay and FiredBetween like the poll job does;
// between polls both delay detectors run every CheckEvery on the stored state.
func Replay(ships []ReplayShipment, policy Policy, opts ReplayOptions) ReplayReport {
	if opts.Rand == nil {
		opts.Rand = func() float64 { return 0.5 }
	}
	if opts.Horizon <= 0 {
		opts.Horizon = 60 * 24 * time.Hour
	}
	if opts.CheckEvery <= 0 {
		opts.CheckEvery = time.Hour
	}
	if opts.NaiveLimit <= 0 {
		opts.NaiveLimit = 48 * time.Hour
	}
	latencies := map[Trigger][]time.Duration{}
	missed, superseded := map[Trigger]int{}, map[Trigger]int{}
	rep := ReplayReport{Shipments: len(ships), Detection: map[Trigger]Latency{}}
	falseAdaptive, falseNaive := 0, 0

	for _, sh := range ships {
		var out replayOutcome
		if opts.Push != nil {
			out = replayPushed(sh, policy, opts)
		} else {
			out = replayOne(sh, policy, opts)
		}
		rep.Calls += out.calls
		rep.SubscribeCalls += out.subscribeCalls
		rep.Pushes += out.pushes
		rep.LostPushes += out.lost
		for _, k := range replayKinds {
			d, fired := out.detected[k]
			switch {
			case fired:
				latencies[k] = append(latencies[k], d)
			case timelineHas(out.known, k):
				superseded[k]++
			case timelineHas(sh.Events, k):
				missed[k]++
			}
		}
		onTime := onTime(sh)
		if out.alerted {
			rep.DelayAlerts++
			if onTime {
				falseAdaptive++
			}
		}
		if out.naiveAlerted {
			rep.NaiveDelayAlerts++
			if onTime {
				falseNaive++
			}
		}
	}
	if len(ships) > 0 {
		rep.CallsPerShipment = (float64(rep.Calls) + rep.SubscribeCalls) / float64(len(ships))
		rep.FalseDelaysPer1000 = float64(falseAdaptive) * 1000 / float64(len(ships))
		rep.NaiveFalseDelaysPer1000 = float64(falseNaive) * 1000 / float64(len(ships))
	}
	for _, k := range replayKinds {
		ds := latencies[k]
		slices.Sort(ds)
		rep.Detection[k] = Latency{N: len(ds), Superseded: superseded[k], Missed: missed[k], P50: percentile(ds, 0.50), P95: percentile(ds, 0.95)}
	}
	return rep
}

type replayOutcome struct {
	calls                 int
	subscribeCalls        float64
	pushes, lost          int
	detected              map[Trigger]time.Duration
	known                 []Event // the stored timeline at the end
	alerted, naiveAlerted bool
}

// advance derives the state the known timeline gives at now and records,
// for each trigger that fires for the first time (sent keeps the keys
// already fired), how long after its event it was detected.
func (out *replayOutcome) advance(known []Event, st State, eta ETA, now time.Time, cal Calendar, limit int, sent map[string]bool) State {
	next := Derive(known, st)
	next = next.WithDelay(DetectDelay(next, eta, now, cal, limit, time.UTC))
	for _, f := range FiredBetween(st, next, eta.Window, eta.Window) {
		if sent[f.Key] {
			continue
		}
		sent[f.Key] = true
		if _, seen := out.detected[f.Trigger]; !seen {
			out.detected[f.Trigger] = now.Sub(f.At)
		}
	}
	return next
}

func replayOne(sh ReplayShipment, policy Policy, opts ReplayOptions) replayOutcome {
	events := slices.Clone(sh.Events)
	slices.SortStableFunc(events, byTime)
	limit := sh.SilenceLimit
	if limit <= 0 {
		limit = DefaultSilenceLimit
	}
	eta := ETA{Window: sh.Promised, Source: SourceCarrier}
	end := sh.ShippedAt.Add(opts.Horizon)
	out := replayOutcome{detected: map[Trigger]time.Duration{}}

	var known []Event
	st := State{Stage: StagePacked}
	sent := map[string]bool{}
	visible := 0
	for now := sh.ShippedAt; !now.After(end); {
		out.calls++
		seen := visible
		for visible < len(events) && !events[visible].Time.After(now) {
			visible++
		}
		if visible > seen {
			known, _, _ = Merge(known, events[seen:visible])
		}
		st = out.advance(known, st, eta, now, sh.Calendar, limit, sent)

		ps := PollState{Stage: st.Stage, Problem: st.Problem, NotFound: len(known) == 0, CreatedAt: sh.ShippedAt, LastEventAt: st.LastEventAt,
			ETA: eta.Window, AtFacility: AtFacility(known)}
		nextPoll, stop := policy(ps, now, sh.Calendar, opts.Rand)
		checkUntil := nextPoll
		if stop || checkUntil.After(end) {
			checkUntil = end
		}
		for t := now; !st.Stage.Terminal() && t.Before(checkUntil); t = t.Add(opts.CheckEvery) {
			out.alerted = out.alerted || DetectDelay(st, eta, t, sh.Calendar, limit, time.UTC).Delayed
			out.naiveAlerted = out.naiveAlerted || NaiveStalled(st.LastEventAt, t, opts.NaiveLimit)
		}
		if stop || !nextPoll.After(now) {
			break
		}
		now = nextPoll
	}
	out.known = known
	return out
}

// timelineHas reports whether the true timeline contains the news a trigger
// kind announces.
func timelineHas(events []Event, k Trigger) bool {
	for _, e := range events {
		switch {
		case k == TriggerOutForDelivery && e.Stage == StageOutForDelivery,
			k == TriggerDelivered && e.Stage == StageDelivered,
			k == TriggerFailedAttempt && e.Problem == ProblemFailedAttempt,
			k == TriggerException && e.Problem == ProblemException:
			return true
		}
	}
	return false
}

// onTime reports whether the shipment was delivered on or before its promised
// latest day, which makes any delay alert on it a false alarm.
func onTime(sh ReplayShipment) bool {
	if sh.Promised.Latest.IsZero() {
		return false
	}
	deadline := dayStart(sh.Promised.Latest.UTC()).AddDate(0, 0, 1)
	for _, e := range sh.Events {
		if e.Stage == StageDelivered {
			return e.Time.Before(deadline)
		}
	}
	return false
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
