package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"
)

// A report never reads the period's shipments one by one: shipment and
// message counts come from rollups per local day (analytics_rollup.go),
// problems from the few shipments that had problem events, so a report over
// a million shipments reads tens of thousands of rows. Business days depend
// on carrier calendars and holidays, so they are computed by the caller from
// the (ship day, delivery day) pairs.

// AnalyticsWindow selects the shipments a report is about: the shop's
// shipments created on the days First to Last (both inclusive, dates at UTC
// midnight) as the calendar runs in Zone (nil is UTC), the merchant's days.
type AnalyticsWindow struct {
	First, Last time.Time
	Zone        *time.Location
}

func (w AnalyticsWindow) zone() *time.Location {
	if w.Zone == nil {
		return time.UTC
	}
	return w.Zone
}

// days returns the window's day numbers (days since 1970-01-01).
func (w AnalyticsWindow) days() (first, last int64) {
	return dayNumber(w.First), dayNumber(w.Last)
}

// instants returns the window as the half-open span [from, to) of time from
// the start of its first day to the start of the day after its last.
func (w AnalyticsWindow) instants() (from, to time.Time) {
	start := func(d time.Time) time.Time {
		y, m, dd := d.Date()
		return time.Date(y, m, dd, 0, 0, 0, 0, w.zone()).UTC()
	}
	return start(w.First), start(w.Last.AddDate(0, 0, 1))
}

func dayNumber(d time.Time) int64 {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func dayOf(n int64) time.Time { return time.Unix(n*86400, 0).UTC() }

// LaneGroup counts one lane's shipments (carrier, service, destination) that
// share a ship day and a delivery day, in the window's zone; both are zero
// for shipments that are not delivered.
type LaneGroup struct {
	Carrier, Service        string
	DestCountry, DestRegion string
	ShippedOn, DeliveredOn  time.Time // local dates at UTC midnight; zero when not delivered
	Counts
	PageViews int64
	Viewed    int64 // shipments whose tracking page was opened
}

// Counts are the delivery counters every analytics grouping sums.
type Counts struct {
	Shipments int64
	Delivered int64
	Promised  int64 // delivered with a promised date (eta_latest)
	OnTime    int64 // delivered (local day) on or before the promised date
	Delayed   int64 // delivered late, or flagged delayed now
}

// Add adds o's counters to c's.
func (c *Counts) Add(o Counts) {
	c.Shipments += o.Shipments
	c.Delivered += o.Delivered
	c.Promised += o.Promised
	c.OnTime += o.OnTime
	c.Delayed += o.Delayed
}

// ProblemCount is how many of a carrier's shipments had at least one event
// with the problem.
type ProblemCount struct {
	Carrier   string
	Problem   string
	Shipments int64
}

// ProblemReason is one carrier wording of a failed attempt or exception.
type ProblemReason struct {
	Problem     string
	Code        string
	Description string
	Events      int64
	Shipments   int64
}

// ProblemStage is how many shipments had a problem while at a stage.
type ProblemStage struct {
	Stage     string
	Problem   string
	Shipments int64
}

// MessageCount counts messages of one channel in one status.
type MessageCount struct {
	Channel string
	Status  string
	N       int64
}

// Contacts counts shoppers reaching out (support contact, "not received").
type Contacts struct {
	Actions   int64
	Shipments int64 // distinct shipments with at least one contact
}

// LaneContacts counts every shopper request (from the page, a reply or a
// call) and order lookup about one carrier and destination's shipments.
type LaneContacts struct {
	Carrier, DestCountry, DestRegion string
	Contacts
}

// DayCount is one day of the trend, by the shipments' local creation day.
type DayCount struct {
	Day time.Time
	Counts
}

// AnalyticsData is everything a shop's report is computed from.
type AnalyticsData struct {
	Lanes    []LaneGroup
	Problems []ProblemCount
	Reasons  []ProblemReason
	Stages   []ProblemStage
	Messages []MessageCount
	Contacts Contacts
	// LaneContacts splits the shoppers' requests by carrier and destination.
	LaneContacts []LaneContacts
	Days         []DayCount
}

// ContactKinds are the customer action kinds that count as a support contact.
var ContactKinds = []string{"contact_support", "not_received"}

// querier is a *sql.DB or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Analytics runs every report query for the shop's shipments in w, in one
// read-only transaction so the figures agree with each other, after folding
// the shop's pending changes into its rollup. reasons caps the
// failed-delivery reasons returned.
func (s ShopScope) Analytics(ctx context.Context, w AnalyticsWindow, reasons int) (AnalyticsData, error) {
	var d AnalyticsData
	if err := s.db.refreshAnalytics(ctx, s.id, w.zone()); err != nil {
		return d, fmt.Errorf("analytics: %w", err)
	}
	opts := &sql.TxOptions{ReadOnly: true}
	if s.db.Dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.SQL.BeginTx(ctx, opts)
	if err != nil {
		return d, fmt.Errorf("analytics: begin: %w", err)
	}
	defer tx.Rollback()
	if s.db.Dialect == Postgres {
		// Compiling the queries (JIT) costs more than running them.
		if _, err := tx.ExecContext(ctx, "SET LOCAL jit = off"); err != nil {
			return d, fmt.Errorf("analytics: jit: %w", err)
		}
	}
	if d.Lanes, d.Days, err = s.rollupCounts(ctx, tx, w); err != nil {
		return d, err
	}
	if d.Problems, d.Reasons, d.Stages, err = s.problemBreakdowns(ctx, tx, w, reasons); err != nil {
		return d, err
	}
	if d.Messages, err = s.messageCounts(ctx, tx, w); err != nil {
		return d, err
	}
	if d.Contacts, err = s.contactCounts(ctx, tx, w); err != nil {
		return d, err
	}
	if d.LaneContacts, err = s.laneContacts(ctx, tx, w); err != nil {
		return d, err
	}
	return d, nil
}

// rollupCounts reads the window's rollup rows and adds them up by lane and
// (ship, delivery) days, and by creation day for the trend. Adding tens of
// thousands of rows up here costs less than grouping them in SQL and
// reading both groupings.
func (s ShopScope) rollupCounts(ctx context.Context, q querier, w AnalyticsWindow) ([]LaneGroup, []DayCount, error) {
	const stmt = `SELECT created_day, carrier, service, dest_country, dest_region, shipped_day, delivered_day,
	shipments, delivered, promised, on_time, delayed, page_views, viewed
FROM analytics_shipment_days WHERE shop_id = $1 AND created_day >= $2 AND created_day <= $3 AND shipments <> 0
ORDER BY created_day`
	type laneKey struct {
		carrier, service, country, region string
		shipped, delivered                int64
	}
	var days []DayCount
	sums := map[laneKey]*LaneGroup{}
	first, last := w.days()
	err := s.query(ctx, q, "rollup", stmt, []any{s.id, first, last}, func(rows *sql.Rows) error {
		var k laneKey
		var day int64
		var g LaneGroup
		if err := rows.Scan(&day, &k.carrier, &k.service, &k.country, &k.region, &k.shipped, &k.delivered,
			&g.Shipments, &g.Delivered, &g.Promised, &g.OnTime, &g.Delayed, &g.PageViews, &g.Viewed); err != nil {
			return err
		}
		if n := len(days); n == 0 || days[n-1].Day != dayOf(day) {
			days = append(days, DayCount{Day: dayOf(day)})
		}
		days[len(days)-1].Add(g.Counts)
		l, ok := sums[k]
		if !ok {
			l = &LaneGroup{Carrier: k.carrier, Service: k.service, DestCountry: k.country, DestRegion: k.region}
			if k.shipped != 0 {
				l.ShippedOn, l.DeliveredOn = dayOf(k.shipped), dayOf(k.delivered)
			}
			sums[k] = l
		}
		l.Add(g.Counts)
		l.PageViews += g.PageViews
		l.Viewed += g.Viewed
		return nil
	})
	var lanes []LaneGroup
	if len(sums) > 0 {
		lanes = make([]LaneGroup, 0, len(sums))
	}
	for _, l := range sums {
		lanes = append(lanes, *l)
	}
	return lanes, days, err
}

// problemEvents lists the window's problem events with their shipment's
// carrier. The partial indexes find the few shipments with problem events
// and their events without reading the period's other shipments.
const problemEvents = `SELECT s.carrier, e.shipment_id, e.problem, e.stage, e.code, e.description
FROM shipments s JOIN tracking_events e ON e.shipment_id = s.id AND e.shop_id = $1 AND e.problem <> ''
WHERE s.shop_id = $1 AND s.created_at >= $2 AND s.created_at < $3 AND s.problem_events > 0`

// problemBreakdowns counts the window's shipments with problem events per
// carrier, the carriers' reasons for failed attempts and exceptions (most
// frequent first, at most limit), and the stages problems happened at.
// Problem events are a few percent of all scans, so they are counted here.
func (s ShopScope) problemBreakdowns(ctx context.Context, q querier, w AnalyticsWindow, limit int) ([]ProblemCount, []ProblemReason, []ProblemStage, error) {
	type tally struct {
		events    int64
		shipments map[int64]bool
	}
	add := func(m map[[3]string]*tally, k [3]string, shipment int64) {
		t, ok := m[k]
		if !ok {
			t = &tally{shipments: map[int64]bool{}}
			m[k] = t
		}
		t.events++
		t.shipments[shipment] = true
	}
	carriers, reasons, stages := map[[3]string]*tally{}, map[[3]string]*tally{}, map[[3]string]*tally{}
	from, to := w.instants()
	err := s.query(ctx, q, "problem events", problemEvents, []any{s.id, from, to}, func(rows *sql.Rows) error {
		var carrier, problem, stage, code, desc string
		var shipment int64
		if err := rows.Scan(&carrier, &shipment, &problem, &stage, &code, &desc); err != nil {
			return err
		}
		add(carriers, [3]string{carrier, problem}, shipment)
		add(stages, [3]string{stage, problem}, shipment)
		if problem == "failed_attempt" || problem == "exception" {
			add(reasons, [3]string{problem, code, desc}, shipment)
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	var counts []ProblemCount
	for k, t := range carriers {
		counts = append(counts, ProblemCount{Carrier: k[0], Problem: k[1], Shipments: int64(len(t.shipments))})
	}
	var why []ProblemReason
	for k, t := range reasons {
		why = append(why, ProblemReason{Problem: k[0], Code: k[1], Description: k[2], Events: t.events, Shipments: int64(len(t.shipments))})
	}
	var at []ProblemStage
	for k, t := range stages {
		at = append(at, ProblemStage{Stage: k[0], Problem: k[1], Shipments: int64(len(t.shipments))})
	}
	sort.Slice(why, func(i, j int) bool {
		a, b := why[i], why[j]
		if a.Events != b.Events {
			return a.Events > b.Events
		}
		return a.Problem+"\x00"+a.Code+"\x00"+a.Description < b.Problem+"\x00"+b.Code+"\x00"+b.Description
	})
	if limit > 0 && len(why) > limit {
		why = why[:limit]
	}
	return counts, why, at, nil
}

// messageCounts counts the shop's messages created in the window by channel
// and status: what was sent in the period. (Joining them to the period's
// shipments instead would join two million-row tables for little gain.)
func (s ShopScope) messageCounts(ctx context.Context, q querier, w AnalyticsWindow) ([]MessageCount, error) {
	const stmt = `SELECT channel, status, sum(messages) FROM analytics_message_days
WHERE shop_id = $1 AND created_day >= $2 AND created_day <= $3 GROUP BY channel, status HAVING sum(messages) <> 0`
	first, last := w.days()
	var out []MessageCount
	err := s.query(ctx, q, "message counts", stmt, []any{s.id, first, last}, func(rows *sql.Rows) error {
		var m MessageCount
		if err := rows.Scan(&m.Channel, &m.Status, &m.N); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	return out, err
}

// contactCounts counts the support contacts shoppers made in the window, and
// the distinct shipments they were about.
func (s ShopScope) contactCounts(ctx context.Context, q querier, w AnalyticsWindow) (Contacts, error) {
	stmt := `SELECT count(*), count(DISTINCT shipment_id) FROM customer_actions
WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3 AND kind IN ('` + strings.Join(ContactKinds, "', '") + `')`
	from, to := w.instants()
	var c Contacts
	err := s.query(ctx, q, "contact counts", stmt, []any{s.id, from, to}, func(rows *sql.Rows) error {
		return rows.Scan(&c.Actions, &c.Shipments)
	})
	return c, err
}

// laneContacts counts the shopper requests (from the page, a reply or a
// call) and order lookups made in the window by the carrier and
// destination of the shipment they were about.
func (s ShopScope) laneContacts(ctx context.Context, q querier, w AnalyticsWindow) ([]LaneContacts, error) {
	const stmt = `SELECT s.carrier, s.dest_country, s.dest_region, count(*), count(DISTINCT a.shipment_id)
FROM (SELECT shipment_id FROM customer_actions WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3 AND shipment_id IS NOT NULL
	UNION ALL SELECT shipment_id FROM order_lookups WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3) a
JOIN shipments s ON s.id = a.shipment_id
GROUP BY s.carrier, s.dest_country, s.dest_region`
	from, to := w.instants()
	var out []LaneContacts
	err := s.query(ctx, q, "lane contacts", stmt, []any{s.id, from, to}, func(rows *sql.Rows) error {
		var c LaneContacts
		if err := rows.Scan(&c.Carrier, &c.DestCountry, &c.DestRegion, &c.Actions, &c.Shipments); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// query runs stmt with args and hands each row to scan.
func (s ShopScope) query(ctx context.Context, q querier, what, stmt string, args []any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, stmt, args...)
	if err != nil {
		return fmt.Errorf("analytics %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("analytics %s: scan: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("analytics %s: %w", what, err)
	}
	return nil
}
