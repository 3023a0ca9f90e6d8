package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"
)

// The analytics queries aggregate in SQL and return bounded groups (lanes ×
// ship/delivery dates, days, channels), never one row per shipment, so a
// report over a million shipments moves kilobytes, not the table. Business
// days depend on carrier calendars and holidays, so they are computed by the
// caller from the (ship date, delivery date) pairs.

// AnalyticsWindow selects the shipments a report is about: the shop's
// shipments created in [From, To).
type AnalyticsWindow struct {
	From, To time.Time
}

// LaneGroup counts one lane's shipments (carrier, service, destination) that
// share a ship date and a delivery date; both dates are zero for shipments
// that are not delivered.
type LaneGroup struct {
	Carrier, Service        string
	DestCountry, DestRegion string
	ShippedOn, DeliveredOn  time.Time // UTC dates; zero when not delivered
	Shipments               int64
	Delivered               int64
	Promised                int64 // delivered with a promised date (eta_latest)
	OnTime                  int64 // delivered on or before the promised date
	Delayed                 int64 // delivered late, or flagged delayed now
	PageViews               int64
	Viewed                  int64 // shipments whose tracking page was opened
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

// DayCount is one day of the trend, by shipment creation date.
type DayCount struct {
	Day       time.Time
	Shipments int64
	Delivered int64
	Promised  int64
	OnTime    int64
	Delayed   int64
}

// AnalyticsData is everything a shop's report is computed from.
type AnalyticsData struct {
	Lanes    []LaneGroup
	Problems []ProblemCount
	Reasons  []ProblemReason
	Stages   []ProblemStage
	Messages []MessageCount
	Contacts Contacts
	Days     []DayCount
}

// ContactKinds are the customer action kinds that count as a support contact.
var ContactKinds = []string{"contact_support", "not_received"}

// day renders a timestamp column as its UTC date in the dialect's SQL.
func (db *DB) day(col string) string {
	if db.Dialect == Postgres {
		return "(" + col + " AT TIME ZONE 'UTC')::date"
	}
	return "date(" + col + ")"
}

// querier is a *sql.DB or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Analytics runs every report query for the shop's shipments in w, in one
// read-only transaction so the figures agree with each other. reasons caps
// the failed-delivery reasons returned.
func (s ShopScope) Analytics(ctx context.Context, w AnalyticsWindow, reasons int) (AnalyticsData, error) {
	var d AnalyticsData
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
		// Grouping a million shipments by lane and dates builds tens of
		// thousands of groups; the default 4 MB spills that to disk.
		if _, err := tx.ExecContext(ctx, "SET LOCAL work_mem = '64MB'"); err != nil {
			return d, fmt.Errorf("analytics: work_mem: %w", err)
		}
	}
	if d.Lanes, err = s.laneGroups(ctx, tx, w); err != nil {
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
	if d.Days, err = s.dayCounts(ctx, tx, w); err != nil {
		return d, err
	}
	return d, nil
}

// onTimeSQL and lateSQL compare delivery and promise by UTC date: a parcel
// promised for the 20th is on time at any hour of the 20th.
func (s ShopScope) onTimeSQL() string {
	return "delivered_at IS NOT NULL AND eta_latest IS NOT NULL AND " + s.db.day("delivered_at") + " <= " + s.db.day("eta_latest")
}

func (s ShopScope) delayedSQL() string {
	return "problem = 'delayed' OR (delivered_at IS NOT NULL AND eta_latest IS NOT NULL AND " +
		s.db.day("delivered_at") + " > " + s.db.day("eta_latest") + ")"
}

// laneGroups counts the window's shipments by lane and (ship, delivery) dates.
func (s ShopScope) laneGroups(ctx context.Context, q querier, w AnalyticsWindow) ([]LaneGroup, error) {
	shipped := "CASE WHEN delivered_at IS NOT NULL AND shipped_at IS NOT NULL THEN " + s.db.day("shipped_at") + " END"
	delivered := "CASE WHEN delivered_at IS NOT NULL AND shipped_at IS NOT NULL THEN " + s.db.day("delivered_at") + " END"
	stmt := `SELECT carrier, service, dest_country, dest_region, ` + shipped + ` AS shipped_on, ` + delivered + ` AS delivered_on,
	count(*),
	sum(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END),
	sum(CASE WHEN delivered_at IS NOT NULL AND eta_latest IS NOT NULL THEN 1 ELSE 0 END),
	sum(CASE WHEN ` + s.onTimeSQL() + ` THEN 1 ELSE 0 END),
	sum(CASE WHEN ` + s.delayedSQL() + ` THEN 1 ELSE 0 END),
	sum(page_views),
	sum(CASE WHEN page_views > 0 THEN 1 ELSE 0 END)
FROM shipments WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3
GROUP BY carrier, service, dest_country, dest_region, shipped_on, delivered_on`
	var out []LaneGroup
	err := s.query(ctx, q, "lane groups", stmt, w, func(rows *sql.Rows) error {
		var g LaneGroup
		var sd, dd dateCol
		if err := rows.Scan(&g.Carrier, &g.Service, &g.DestCountry, &g.DestRegion, &sd, &dd,
			&g.Shipments, &g.Delivered, &g.Promised, &g.OnTime, &g.Delayed, &g.PageViews, &g.Viewed); err != nil {
			return err
		}
		g.ShippedOn, g.DeliveredOn = sd.t, dd.t
		out = append(out, g)
		return nil
	})
	return out, err
}

// problemEvents is the window's problem events with their shipment's
// carrier. Problem events are a small share of all scans (the partial index
// finds them), so the three breakdowns below share this one join instead of
// joining the shipments three times.
const problemEvents = `WITH p AS (SELECT s.carrier, e.shipment_id, e.problem, e.stage, e.code, e.description
FROM tracking_events e JOIN shipments s ON s.id = e.shipment_id
WHERE e.shop_id = $1 AND e.problem <> '' AND s.shop_id = $1 AND s.created_at >= $2 AND s.created_at < $3)
SELECT 'carrier', carrier, problem, '', '', count(*), count(DISTINCT shipment_id) FROM p GROUP BY carrier, problem
UNION ALL
SELECT 'reason', '', problem, code, description, count(*), count(DISTINCT shipment_id) FROM p
	WHERE problem IN ('failed_attempt', 'exception') GROUP BY problem, code, description
UNION ALL
SELECT 'stage', stage, problem, '', '', count(*), count(DISTINCT shipment_id) FROM p GROUP BY stage, problem`

// problemBreakdowns counts the window's shipments with problem events per
// carrier, the carriers' reasons for failed attempts and exceptions (most
// frequent first, at most limit), and the stages problems happened at.
func (s ShopScope) problemBreakdowns(ctx context.Context, q querier, w AnalyticsWindow, limit int) (counts []ProblemCount, reasons []ProblemReason, stages []ProblemStage, err error) {
	err = s.query(ctx, q, "problem events", problemEvents, w, func(rows *sql.Rows) error {
		var kind, group, problem, code, desc string
		var events, shipments int64
		if err := rows.Scan(&kind, &group, &problem, &code, &desc, &events, &shipments); err != nil {
			return err
		}
		switch kind {
		case "carrier":
			counts = append(counts, ProblemCount{Carrier: group, Problem: problem, Shipments: shipments})
		case "reason":
			reasons = append(reasons, ProblemReason{Problem: problem, Code: code, Description: desc, Events: events, Shipments: shipments})
		case "stage":
			stages = append(stages, ProblemStage{Stage: group, Problem: problem, Shipments: shipments})
		}
		return nil
	})
	sort.Slice(reasons, func(i, j int) bool {
		a, b := reasons[i], reasons[j]
		if a.Events != b.Events {
			return a.Events > b.Events
		}
		return a.Problem+"\x00"+a.Code+"\x00"+a.Description < b.Problem+"\x00"+b.Code+"\x00"+b.Description
	})
	if limit > 0 && len(reasons) > limit {
		reasons = reasons[:limit]
	}
	return counts, reasons, stages, err
}

// messageCounts counts the shop's messages created in the window by channel
// and status: what was sent in the period. (Joining them to the period's
// shipments instead would join two million-row tables for little gain.)
func (s ShopScope) messageCounts(ctx context.Context, q querier, w AnalyticsWindow) ([]MessageCount, error) {
	const stmt = `SELECT channel, status, count(*) FROM notifications
WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY channel, status`
	var out []MessageCount
	err := s.query(ctx, q, "message counts", stmt, w, func(rows *sql.Rows) error {
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
	var c Contacts
	err := s.query(ctx, q, "contact counts", stmt, w, func(rows *sql.Rows) error {
		return rows.Scan(&c.Actions, &c.Shipments)
	})
	return c, err
}

// dayCounts is the trend: the window's shipments by UTC creation date.
func (s ShopScope) dayCounts(ctx context.Context, q querier, w AnalyticsWindow) ([]DayCount, error) {
	stmt := `SELECT ` + s.db.day("created_at") + ` AS created_on, count(*),
	sum(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END),
	sum(CASE WHEN delivered_at IS NOT NULL AND eta_latest IS NOT NULL THEN 1 ELSE 0 END),
	sum(CASE WHEN ` + s.onTimeSQL() + ` THEN 1 ELSE 0 END),
	sum(CASE WHEN ` + s.delayedSQL() + ` THEN 1 ELSE 0 END)
FROM shipments WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3
GROUP BY created_on ORDER BY created_on`
	var out []DayCount
	err := s.query(ctx, q, "day counts", stmt, w, func(rows *sql.Rows) error {
		var d DayCount
		var day dateCol
		if err := rows.Scan(&day, &d.Shipments, &d.Delivered, &d.Promised, &d.OnTime, &d.Delayed); err != nil {
			return err
		}
		d.Day = day.t
		out = append(out, d)
		return nil
	})
	return out, err
}

// query runs stmt with the shop and window bound to $1..$3 and hands each row to scan.
func (s ShopScope) query(ctx context.Context, q querier, what, stmt string, w AnalyticsWindow, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, stmt, s.id, w.From.UTC(), w.To.UTC())
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

// dateCol scans a SQL date: Postgres returns a time, SQLite's date() the
// text "2006-01-02"; NULL stays the zero time.
type dateCol struct{ t time.Time }

func (d *dateCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		d.t = time.Time{}
	case time.Time:
		y, m, dd := x.Date()
		d.t = time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	default:
		return fmt.Errorf("date column: unexpected %T", v)
	}
	return nil
}

func (d *dateCol) parse(s string) error {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("date column: %w", err)
	}
	d.t = t
	return nil
}
