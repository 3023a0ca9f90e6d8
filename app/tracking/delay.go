package tracking

import "time"

// Delay reasons.
const (
	DelayETAPassed = "eta_passed" // the estimate's latest day is over
	DelaySilent    = "silent"     // no scan for longer than the lane allows
)

// DefaultSilenceLimit is the fewest full working days of silence that count
// as a stall: one quiet working day is normal for a parcel on a truck.
const DefaultSilenceLimit = 2

// priorGraceDays widens a prior-only estimate before calling it missed: it is
// a guess, not a promise, and a false "your parcel is late" costs trust.
const priorGraceDays = 2

// Delay is the delay detector's verdict. Since is the moment the shipment
// became late (end of the estimate's last day, or the start of the day after
// the silence limit ran out), so the verdict is the same whenever it is asked.
type Delay struct {
	Delayed bool      `json:"delayed"`
	Reason  string    `json:"reason,omitempty"`
	Since   time.Time `json:"since"`
}

// DetectDelay decides whether a shipment is late without crying wolf:
//
//   - eta_passed: the ETA's latest day has ended where the parcel is going
//     (dest; nil means UTC): vans deliver into the evening, so in New York an
//     estimate for Tuesday is not missed at 19:00 Tuesday, when UTC's Tuesday
//     ends. A prior-only estimate gets priorGraceDays more working days.
//   - silent: the shipment has been scanned by the carrier and then had
//     silenceLimit or more full working days without a scan. Only the
//     carrier's working days count: a Friday scan followed by nothing until
//     Monday is zero silent days, and holidays are skipped the same way.
//
// Delivered, returned, returning and awaiting-pickup shipments are never
// delayed (the last waits on the shopper, not the carrier). The earlier of
// the two reasons wins.
func DetectDelay(s State, eta ETA, now time.Time, cal Calendar, silenceLimit int, dest *time.Location) Delay {
	if s.Stage.Terminal() || s.Stage.Return() || s.Stage == StageAvailableForPickup {
		return Delay{}
	}
	var best Delay
	consider := func(reason string, since time.Time) {
		if now.Before(since) {
			return
		}
		if !best.Delayed || since.Before(best.Since) {
			best = Delay{Delayed: true, Reason: reason, Since: since}
		}
	}
	if !eta.Latest.IsZero() {
		last := dayStart(eta.Latest.UTC())
		if eta.Source == SourcePrior {
			last = cal.AddBusinessDays(last, priorGraceDays)
		}
		if dest == nil {
			dest = time.UTC
		}
		y, m, d := last.Date()
		consider(DelayETAPassed, time.Date(y, m, d+1, 0, 0, 0, 0, dest).UTC())
	}
	if s.Stage.Rank() >= StageShipped.Rank() && !s.LastEventAt.IsZero() {
		limit := max(silenceLimit, 1)
		lastDay := cal.AddBusinessDays(dayStart(s.LastEventAt.UTC()), limit)
		consider(DelaySilent, lastDay.AddDate(0, 0, 1))
	}
	return best
}

// NaiveStalled is the rule most tracking apps ship — "no scan for 48 hours" —
// kept as the benchmark baseline. It ignores weekends and holidays.
func NaiveStalled(lastScan, now time.Time, limit time.Duration) bool {
	return !lastScan.IsZero() && now.Sub(lastScan) > limit
}
