// Package analytics turns a shop's aggregated shipment data into the
// merchant's delivery report: on-time rate and transit times by carrier and
// destination, delays, exceptions and their reasons, message reach, tracking
// page use and support contacts, over time, in the shop's days. The heavy
// lifting (counting a million shipments) happens in package storage, which
// keeps them counted per day; this package does the calendar work SQL
// cannot (business days per carrier) and the rates.
package analytics

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// Interval is the bucket size of the trend.
type Interval string

// The trend intervals.
const (
	Daily  Interval = "day"
	Weekly Interval = "week"
)

// MaxDays bounds a report's range, which bounds every result it holds.
const MaxDays = 366

// dailyUpTo is the longest range shown per day; longer ones trend per week.
const dailyUpTo = 62

// Range is the report's period: shipments created from the first day to the
// last day, both inclusive, as the shop's calendar runs in Zone (nil is
// UTC). The days are dates at UTC midnight.
type Range struct {
	First, Last time.Time
	Zone        *time.Location
}

// ErrBadRange is returned for unreadable, reversed or too long ranges.
var ErrBadRange = errors.New("bad date range")

// ParseRange reads "2006-01-02" dates, days in zone loc (nil is UTC); an
// empty last date is today there, an empty first date 29 days before the
// last (30 days in all).
func ParseRange(first, last string, now time.Time, loc *time.Location) (Range, error) {
	if loc == nil {
		loc = time.UTC
	}
	r := Range{Zone: loc}
	var err error
	r.Last = dateOf(now.In(loc))
	if last != "" {
		if r.Last, err = time.Parse(time.DateOnly, last); err != nil {
			return Range{}, fmt.Errorf("%w: to %q: %w", ErrBadRange, last, err)
		}
	}
	r.First = r.Last.AddDate(0, 0, -29)
	if first != "" {
		if r.First, err = time.Parse(time.DateOnly, first); err != nil {
			return Range{}, fmt.Errorf("%w: from %q: %w", ErrBadRange, first, err)
		}
	}
	if r.Last.Before(r.First) {
		return Range{}, fmt.Errorf("%w: %s is after %s", ErrBadRange, first, last)
	}
	if r.Days() > MaxDays {
		return Range{}, fmt.Errorf("%w: more than %d days", ErrBadRange, MaxDays)
	}
	return r, nil
}

// Days is the number of days in the range.
func (r Range) Days() int { return int(r.Last.Sub(r.First).Hours()/24) + 1 }

// Window is the range as the storage queries take it.
func (r Range) Window() storage.AnalyticsWindow {
	return storage.AnalyticsWindow{First: r.First, Last: r.Last, Zone: r.Zone}
}

// ZoneName names the zone the range's days are counted in.
func (r Range) ZoneName() string {
	if r.Zone == nil {
		return "UTC"
	}
	return r.Zone.String()
}

// Interval is the trend's bucket size for the range.
func (r Range) Interval() Interval {
	if r.Days() <= dailyUpTo {
		return Daily
	}
	return Weekly
}

// Report is one shop's delivery analytics for a range.
type Report struct {
	Range    Range
	Interval Interval
	// Total covers every shipment; Carriers and Regions split it, biggest first.
	Total    Group
	Carriers []Group
	Regions  []Group
	// Reasons are the most frequent carrier wordings of failed attempts and exceptions.
	Reasons []storage.ProblemReason
	// Stages says where problems happen: shipments per stage and problem.
	Stages []storage.ProblemStage
	// Channels are the messages sent in the period, per channel.
	Channels []Channel
	// Contacts counts support contacts and "not received" reports made in
	// the period, and the shipments they were about.
	Contacts storage.Contacts
	Trend    []Point
}

// Group is the delivery performance of all shipments, one carrier or one
// destination region.
type Group struct {
	Key string // carrier name, or "US-CA" / "US" for a region
	storage.Counts
	// Exceptions and FailedAttempts count shipments with at least one such
	// carrier event (kept for Total and Carriers; events carry no region).
	Exceptions     int64
	FailedAttempts int64
	PageViews      int64
	Viewed         int64 // shipments whose tracking page was opened
	// Requests counts shopper requests (page, reply or call) about the
	// group's shipments; Contacted the shipments with at least one.
	Requests, Contacted int64
	// Transit[d] counts deliveries that took d business days of the
	// carrier's calendar; the last bucket holds everything longer.
	Transit [tracking.MaxTransitDays + 1]int64
}

// OnTimeRate is the share of promised deliveries that kept the promise.
func (g Group) OnTimeRate() float64 { return ratio(g.OnTime, g.Promised) }

// DelayRate is the share of shipments that were late or are delayed.
func (g Group) DelayRate() float64 { return ratio(g.Delayed, g.Shipments) }

// ExceptionRate is the share of shipments with a carrier exception.
func (g Group) ExceptionRate() float64 { return ratio(g.Exceptions, g.Shipments) }

// FailedAttemptRate is the share of shipments with a failed delivery attempt.
func (g Group) FailedAttemptRate() float64 { return ratio(g.FailedAttempts, g.Shipments) }

// ContactRate is the share of the group's shipments whose shopper asked
// something (from the page, by reply, on a call or by looking the order
// up).
func (g Group) ContactRate() float64 { return ratio(g.Contacted, g.Shipments) }

// ViewsPerShipment is the average number of tracking page views.
func (g Group) ViewsPerShipment() float64 { return ratio(g.PageViews, g.Shipments) }

// TransitCount is the number of deliveries with a known transit time.
func (g Group) TransitCount() int64 {
	var n int64
	for _, c := range g.Transit {
		n += c
	}
	return n
}

// MeanTransit is the average transit in business days (0 without deliveries).
func (g Group) MeanTransit() float64 {
	var sum int64
	for d, c := range g.Transit {
		sum += int64(d) * c
	}
	return ratio(sum, g.TransitCount())
}

// TransitPercentile is the smallest transit (business days) that p (0..1) of
// the deliveries did not exceed; -1 without deliveries.
func (g Group) TransitPercentile(p float64) int {
	n := g.TransitCount()
	if n == 0 {
		return -1
	}
	need := int64(p*float64(n) + 0.999999)
	need = max(need, 1)
	var seen int64
	for d, c := range g.Transit {
		seen += c
		if seen >= need {
			return d
		}
	}
	return len(g.Transit) - 1
}

func (g *Group) add(l storage.LaneGroup, transit int) {
	g.Add(l.Counts)
	g.PageViews += l.PageViews
	g.Viewed += l.Viewed
	if transit >= 0 {
		g.Transit[min(transit, tracking.MaxTransitDays)] += l.Shipments
	}
}

// Channel is the reach of one messaging channel.
type Channel struct {
	Name string
	// Sent counts messages handed to the provider, including those later
	// reported delivered or opened; Delivered includes opened.
	Sent, Delivered, Opened, Failed int64
}

// DeliveryRate is the share of sent messages confirmed delivered.
func (c Channel) DeliveryRate() float64 { return ratio(c.Delivered, c.Sent) }

// Reported says whether the provider told us anything about these
// messages (a delivery, an open or a failure); without it the delivery
// rate is unknown, not 0.
func (c Channel) Reported() bool { return c.Delivered > 0 || c.Opened > 0 || c.Failed > 0 }

// OpenRate is the share of delivered messages opened.
func (c Channel) OpenRate() float64 { return ratio(c.Opened, c.Delivered) }

// FailureRate is the share of attempted messages that failed.
func (c Channel) FailureRate() float64 { return ratio(c.Failed, c.Sent+c.Failed) }

// Point is one day or week of the trend (Start is its first day).
type Point struct {
	Start time.Time
	storage.Counts
}

// OnTimeRate is the share of the period's promised deliveries kept.
func (p Point) OnTimeRate() float64 { return ratio(p.OnTime, p.Promised) }

// ContactRate is the share of shipments whose shopper asked about them: a
// request from the page, a reply, a call or an order lookup.
func (r *Report) ContactRate() float64 { return r.Total.ContactRate() }

// Build queries the shop's data for r and computes its report.
func Build(ctx context.Context, scope storage.ShopScope, r Range) (*Report, error) {
	data, err := scope.Analytics(ctx, r.Window(), 10)
	if err != nil {
		return nil, fmt.Errorf("build report: %w", err)
	}
	return Compute(data, r), nil
}

// Compute turns the aggregated data of a range into a report.
func Compute(d storage.AnalyticsData, r Range) *Report {
	rep := &Report{Range: r, Interval: r.Interval(), Total: Group{Key: "all"},
		Reasons: d.Reasons, Stages: d.Stages, Contacts: d.Contacts}
	carriers := map[string]*Group{}
	regions := map[string]*Group{}
	for _, l := range d.Lanes {
		transit := -1
		if !l.ShippedOn.IsZero() && !l.DeliveredOn.IsZero() {
			transit = tracking.TransitDays(l.ShippedOn, l.DeliveredOn, tracking.CalendarFor(l.Carrier, l.Service))
		}
		rep.Total.add(l, transit)
		group(carriers, l.Carrier).add(l, transit)
		group(regions, regionKey(l.DestCountry, l.DestRegion)).add(l, transit)
	}
	for _, p := range d.Problems {
		g := group(carriers, p.Carrier)
		for _, t := range []*Group{g, &rep.Total} {
			switch tracking.Problem(p.Problem) {
			case tracking.ProblemException:
				t.Exceptions += p.Shipments
			case tracking.ProblemFailedAttempt:
				t.FailedAttempts += p.Shipments
			}
		}
	}
	for _, c := range d.LaneContacts {
		for _, g := range []*Group{&rep.Total, group(carriers, c.Carrier), group(regions, regionKey(c.DestCountry, c.DestRegion))} {
			g.Requests += c.Actions
			g.Contacted += c.Shipments
		}
	}
	rep.Carriers, rep.Regions = sorted(carriers), sorted(regions)
	sort.Slice(rep.Stages, func(i, j int) bool {
		a, b := rep.Stages[i], rep.Stages[j]
		if ra, rb := tracking.Stage(a.Stage).Rank(), tracking.Stage(b.Stage).Rank(); ra != rb {
			return ra < rb
		}
		return a.Problem < b.Problem
	})
	rep.Channels = channels(d.Messages)
	rep.Trend = trend(d.Days, r, rep.Interval)
	return rep
}

func group(m map[string]*Group, key string) *Group {
	g, ok := m[key]
	if !ok {
		g = &Group{Key: key}
		m[key] = g
	}
	return g
}

// regionKey names a destination: "US-CA", "US" without a region, "unknown"
// without either.
func regionKey(country, region string) string {
	switch {
	case country == "" && region == "":
		return "unknown"
	case region == "":
		return country
	case country == "":
		return region
	case strings.HasPrefix(region, country+"-"):
		return region // already ISO 3166-2, "US-CA"
	}
	return country + "-" + region
}

func sorted(m map[string]*Group) []Group {
	out := make([]Group, 0, len(m))
	for _, g := range m {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Shipments != out[j].Shipments {
			return out[i].Shipments > out[j].Shipments
		}
		return out[i].Key < out[j].Key
	})
	return out
}

func channels(ms []storage.MessageCount) []Channel {
	byName := map[string]*Channel{}
	var out []Channel
	for _, m := range ms {
		c, ok := byName[m.Channel]
		if !ok {
			c = &Channel{Name: m.Channel}
			byName[m.Channel] = c
		}
		switch m.Status {
		case storage.NotificationOpened:
			c.Opened += m.N
			c.Delivered += m.N
			c.Sent += m.N
		case storage.NotificationDelivered:
			c.Delivered += m.N
			c.Sent += m.N
		case storage.NotificationSent:
			c.Sent += m.N
		case storage.NotificationFailed:
			c.Failed += m.N
		}
	}
	for _, c := range byName {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// trend buckets the days into the interval, with a point for every day or
// week of the range even when nothing shipped, so gaps show as zeros.
func trend(days []storage.DayCount, r Range, iv Interval) []Point {
	start := func(t time.Time) time.Time {
		if iv == Weekly {
			// Weeks start on Monday.
			return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
		}
		return t
	}
	step := 1
	if iv == Weekly {
		step = 7
	}
	var out []Point
	index := map[time.Time]int{}
	for t := start(r.First); !t.After(r.Last); t = t.AddDate(0, 0, step) {
		index[t] = len(out)
		out = append(out, Point{Start: t})
	}
	for _, d := range days {
		i, ok := index[start(dateOf(d.Day))]
		if !ok {
			continue
		}
		out[i].Add(d.Counts)
	}
	return out
}

// dateOf is t's date where t is, at UTC midnight.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
