package tracking

import (
	"strings"
	"time"
)

// ETA sources.
const (
	SourceCarrier = "carrier" // the carrier's own promised date or window
	SourceLearned = "learned" // our delivered history for the lane
	SourcePrior   = "prior"   // too little history: a generic transit prior
)

// ETA is a delivery estimate with where it came from, so the page can say
// "estimated by UPS" or "based on recent deliveries". Window dates are
// midnight of the day in the shipped-at location (UTC in practice).
type ETA struct {
	Window
	Source string `json:"source"`
}

// Lane groups shipments expected to take alike: carrier × service × origin
// region × destination region. Regions are free-form but should be coarse
// ("US-NJ", "US-940" for a ZIP3, "DE"); the part before "-" is read as the
// ISO country to tell domestic from international lanes.
type Lane struct {
	Carrier     string `json:"carrier"`
	Service     string `json:"service"`
	Origin      string `json:"origin"`
	Destination string `json:"destination"`
}

// Key renders the lane as the TransitModel stores it.
func (l Lane) Key() string {
	return strings.ToLower(strings.Join([]string{l.Carrier, l.Service, l.Origin, l.Destination}, "|"))
}

// serviceKey is the coarser lane every observation also feeds, so a new lane
// of a known carrier service starts from that service's history.
func (l Lane) serviceKey() string {
	return strings.ToLower(strings.Join([]string{l.Carrier, l.Service, "*", "*"}, "|"))
}

// MaxTransitDays is the last histogram bucket; longer transits count there.
const MaxTransitDays = 30

// DefaultPriorWeight is how many observations the prior is worth: with fewer
// real deliveries than this the prior dominates and the source says "prior".
const DefaultPriorWeight = 5

// Estimate quantiles: a window from the 25th to the 80th percentile is narrow
// enough to be useful and wide enough that "late" usually means late.
const (
	estimateLow  = 0.25
	estimateHigh = 0.80
)

// TransitModel learns business-day transit times per lane from delivered
// shipments. It is plain data (counts per day) so the app can persist it as
// JSON and rebuild or update it from history at will. Not safe for concurrent
// use; the caller serialises updates.
type TransitModel struct {
	// Lanes maps Lane.Key (and carrier|service|*|*) to counts by business days.
	Lanes       map[string][]int `json:"lanes"`
	PriorWeight int              `json:"prior_weight"`
}

// NewTransitModel returns an empty model with the default prior weight.
func NewTransitModel() *TransitModel {
	return &TransitModel{Lanes: map[string][]int{}, PriorWeight: DefaultPriorWeight}
}

// TransitDays measures a delivered shipment in the carrier's business days,
// the unit Observe takes.
func TransitDays(shippedAt, deliveredAt time.Time, cal Calendar) int {
	return max(cal.BusinessDaysBetween(shippedAt, deliveredAt), 0)
}

// Observe records one delivered shipment of the lane that took businessDays.
func (m *TransitModel) Observe(lane Lane, businessDays int) {
	if m.Lanes == nil {
		m.Lanes = map[string][]int{}
	}
	d := min(max(businessDays, 0), MaxTransitDays)
	for _, k := range []string{lane.Key(), lane.serviceKey()} {
		h := m.Lanes[k]
		if len(h) <= MaxTransitDays {
			h = append(h, make([]int, MaxTransitDays+1-len(h))...)
		}
		h[d]++
		m.Lanes[k] = h
	}
}

// Count is the number of deliveries observed on exactly this lane.
func (m *TransitModel) Count(lane Lane) int { return sum(m.Lanes[lane.Key()]) }

// Range returns the lane's expected transit in business days (25th..80th
// percentile) and the estimate's source. The distribution blends, by count,
// a generic prior with the carrier service's history and then with the lane's
// own: prior·w + observed, so a handful of deliveries nudges the prior and a
// few dozen replace it.
func (m *TransitModel) Range(lane Lane) (low, high int, source string) {
	w := float64(m.PriorWeight)
	if m.PriorWeight <= 0 {
		w = DefaultPriorWeight
	}
	dist := blend(priorDistribution(lane), m.Lanes[lane.serviceKey()], w)
	dist = blend(dist, m.Lanes[lane.Key()], w)
	source = SourcePrior
	if float64(sum(m.Lanes[lane.serviceKey()])) >= w {
		source = SourceLearned
	}
	return quantile(dist, estimateLow), quantile(dist, estimateHigh), source
}

// Estimate turns the lane's transit range into dates counted in the carrier's
// working days from shippedAt.
func (m *TransitModel) Estimate(lane Lane, shippedAt time.Time, cal Calendar) ETA {
	low, high, source := m.Range(lane)
	start := dayStart(shippedAt)
	return ETA{
		Window: Window{Earliest: cal.AddBusinessDays(start, low), Latest: cal.AddBusinessDays(start, high)},
		Source: source,
	}
}

// SilenceLimit is how many full working days without a scan the lane
// tolerates before DetectDelay calls it delayed: half the lane's long transit
// (80th percentile), at least DefaultSilenceLimit. Long international lanes
// legitimately go quiet for days in the air and at customs.
func (m *TransitModel) SilenceLimit(lane Lane) int {
	_, high, _ := m.Range(lane)
	return max(DefaultSilenceLimit, (high+1)/2)
}

// EstimateETA prefers the carrier's promise and falls back to the model. A
// half-open promise (only a latest or earliest date) is read as one day.
func EstimateETA(promised Window, m *TransitModel, lane Lane, shippedAt time.Time, cal Calendar) ETA {
	if !promised.IsZero() {
		w := promised
		if w.Earliest.IsZero() {
			w.Earliest = w.Latest
		}
		if w.Latest.IsZero() {
			w.Latest = w.Earliest
		}
		return ETA{Window: w, Source: SourceCarrier}
	}
	if m == nil {
		m = NewTransitModel()
	}
	return m.Estimate(lane, shippedAt, cal)
}

// priorDistribution is the generic transit expectation, in business days,
// before any delivery on the carrier service has been seen.
func priorDistribution(l Lane) []float64 {
	p := make([]float64, MaxTransitDays+1)
	set := func(weights map[int]float64) []float64 {
		for d, w := range weights {
			p[d] = w
		}
		return p
	}
	svc := strings.ToLower(l.Service)
	if country(l.Origin) != "" && country(l.Destination) != "" && country(l.Origin) != country(l.Destination) {
		return set(map[int]float64{4: .1, 5: .2, 6: .25, 7: .2, 8: .15, 10: .1})
	}
	for _, fast := range []string{"express", "overnight", "next", "2day", "2nd", "air", "priority"} {
		if strings.Contains(svc, fast) {
			return set(map[int]float64{1: .5, 2: .35, 3: .15})
		}
	}
	return set(map[int]float64{1: .05, 2: .2, 3: .3, 4: .25, 5: .15, 6: .05})
}

func country(region string) string {
	c, _, _ := strings.Cut(strings.ToUpper(region), "-")
	return c
}

// blend mixes a prior (normalised to weight w) with observed counts.
func blend(prior []float64, counts []int, w float64) []float64 {
	total := 0.0
	for _, p := range prior {
		total += p
	}
	out := make([]float64, MaxTransitDays+1)
	for d := range out {
		if total > 0 && d < len(prior) {
			out[d] = prior[d] / total * w
		}
		if d < len(counts) {
			out[d] += float64(counts[d])
		}
	}
	return out
}

// quantile returns the smallest day whose cumulative weight reaches q.
func quantile(dist []float64, q float64) int {
	total := 0.0
	for _, v := range dist {
		total += v
	}
	if total == 0 {
		return 0
	}
	cum := 0.0
	for d, v := range dist {
		cum += v
		if cum >= q*total-1e-9 {
			return d
		}
	}
	return len(dist) - 1
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// Shown reports whether a shopper in loc should see e now, at stage with
// problem. An estimate is hidden once the parcel is delivered or returned,
// while the carrier reports an exception (a parcel damaged or lost at a hub
// keeps no date: the page says the shop is sorting it out), once its last
// day has ended where the shopper is (the delay says so instead of a date in
// the past), and, out for delivery, unless it is for today: "out for
// delivery today (Tue – Thu)" contradicts itself.
func (e ETA) Shown(stage Stage, problem Problem, now time.Time, loc *time.Location) bool {
	if e.IsZero() || stage.Terminal() || problem == ProblemException {
		return false
	}
	first, last := e.Earliest, e.Latest
	if first.IsZero() {
		first = last
	}
	if last.IsZero() {
		last = first
	}
	today := dayStart(now.In(loc))
	firstDay, lastDay := dayStart(EstimateIn(first, loc)), dayStart(EstimateIn(last, loc))
	if lastDay.Before(today) {
		return false
	}
	return stage != StageOutForDelivery || firstDay.Equal(today) && lastDay.Equal(today)
}
