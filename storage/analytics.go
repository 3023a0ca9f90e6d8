package storage

import (
	"context"
	"database/sql"
	"fmt"
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

// Analytics runs every report query for the shop's shipments in w.
func (s ShopScope) Analytics(ctx context.Context, w AnalyticsWindow, reasons int) (AnalyticsData, error) {
	var d AnalyticsData
	var err error
	if d.Lanes, err = s.LaneGroups(ctx, w); err != nil {
		return d, err
	}
	if d.Problems, err = s.ProblemCounts(ctx, w); err != nil {
		return d, err
	}
	if d.Reasons, err = s.ProblemReasons(ctx, w, reasons); err != nil {
		return d, err
	}
	if d.Stages, err = s.ProblemStages(ctx, w); err != nil {
		return d, err
	}
	if d.Messages, err = s.MessageCounts(ctx, w); err != nil {
		return d, err
	}
	if d.Contacts, err = s.ContactCounts(ctx, w); err != nil {
		return d, err
	}
	if d.Days, err = s.DayCounts(ctx, w); err != nil {
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

// LaneGroups counts the window's shipments by lane and (ship, delivery) dates.
func (s ShopScope) LaneGroups(ctx context.Context, w AnalyticsWindow) ([]LaneGroup, error) {
	shipped := "CASE WHEN delivered_at IS NOT NULL AND shipped_at IS NOT NULL THEN " + s.db.day("shipped_at") + " END"
	delivered := "CASE WHEN delivered_at IS NOT NULL AND shipped_at IS NOT NULL THEN " + s.db.day("delivered_at") + " END"
	q := `SELECT carrier, service, dest_country, dest_region, ` + shipped + ` AS shipped_on, ` + delivered + ` AS delivered_on,
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
	err := s.query(ctx, "lane groups", q, w, func(rows *sql.Rows) error {
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

// problemJoin restricts problem events to the window's shipments. Events are
// few next to shipments, so the partial index on problem events drives it.
const problemJoin = `FROM tracking_events e JOIN shipments s ON s.id = e.shipment_id
WHERE e.shop_id = $1 AND e.problem <> '' AND s.shop_id = $1 AND s.created_at >= $2 AND s.created_at < $3`

// ProblemCounts counts, per carrier and problem, the window's shipments with
// at least one event raising it.
func (s ShopScope) ProblemCounts(ctx context.Context, w AnalyticsWindow) ([]ProblemCount, error) {
	q := `SELECT s.carrier, e.problem, count(DISTINCT e.shipment_id) ` + problemJoin + ` GROUP BY s.carrier, e.problem`
	var out []ProblemCount
	err := s.query(ctx, "problem counts", q, w, func(rows *sql.Rows) error {
		var p ProblemCount
		if err := rows.Scan(&p.Carrier, &p.Problem, &p.Shipments); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// ProblemReasons lists the most frequent carrier wordings of failed attempts
// and exceptions, most events first.
func (s ShopScope) ProblemReasons(ctx context.Context, w AnalyticsWindow, limit int) ([]ProblemReason, error) {
	if limit <= 0 {
		limit = 20
	}
	q := `SELECT e.problem, e.code, e.description, count(*) AS events, count(DISTINCT e.shipment_id) ` + problemJoin +
		` AND e.problem IN ('failed_attempt', 'exception') GROUP BY e.problem, e.code, e.description
ORDER BY events DESC, e.problem, e.code, e.description LIMIT ` + fmt.Sprint(limit)
	var out []ProblemReason
	err := s.query(ctx, "problem reasons", q, w, func(rows *sql.Rows) error {
		var r ProblemReason
		if err := rows.Scan(&r.Problem, &r.Code, &r.Description, &r.Events, &r.Shipments); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// ProblemStages counts, per stage of the problem event, the shipments that
// had each problem there (a failed attempt while out for delivery, an
// exception in transit).
func (s ShopScope) ProblemStages(ctx context.Context, w AnalyticsWindow) ([]ProblemStage, error) {
	q := `SELECT e.stage, e.problem, count(DISTINCT e.shipment_id) ` + problemJoin + ` GROUP BY e.stage, e.problem`
	var out []ProblemStage
	err := s.query(ctx, "problem stages", q, w, func(rows *sql.Rows) error {
		var p ProblemStage
		if err := rows.Scan(&p.Stage, &p.Problem, &p.Shipments); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// MessageCounts counts the messages about the window's shipments by channel
// and status.
func (s ShopScope) MessageCounts(ctx context.Context, w AnalyticsWindow) ([]MessageCount, error) {
	q := `SELECT n.channel, n.status, count(*) FROM notifications n JOIN shipments s ON s.id = n.shipment_id
WHERE n.shop_id = $1 AND s.shop_id = $1 AND s.created_at >= $2 AND s.created_at < $3 GROUP BY n.channel, n.status`
	var out []MessageCount
	err := s.query(ctx, "message counts", q, w, func(rows *sql.Rows) error {
		var m MessageCount
		if err := rows.Scan(&m.Channel, &m.Status, &m.N); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	return out, err
}

// ContactCounts counts support contacts about the window's shipments.
func (s ShopScope) ContactCounts(ctx context.Context, w AnalyticsWindow) (Contacts, error) {
	q := `SELECT count(*), count(DISTINCT a.shipment_id) FROM customer_actions a JOIN shipments s ON s.id = a.shipment_id
WHERE a.shop_id = $1 AND s.shop_id = $1 AND s.created_at >= $2 AND s.created_at < $3 AND a.kind IN ('` +
		strings.Join(ContactKinds, "', '") + `')`
	var c Contacts
	err := s.query(ctx, "contact counts", q, w, func(rows *sql.Rows) error {
		return rows.Scan(&c.Actions, &c.Shipments)
	})
	return c, err
}

// DayCounts is the trend: the window's shipments by UTC creation date.
func (s ShopScope) DayCounts(ctx context.Context, w AnalyticsWindow) ([]DayCount, error) {
	q := `SELECT ` + s.db.day("created_at") + ` AS created_on, count(*),
	sum(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END),
	sum(CASE WHEN delivered_at IS NOT NULL AND eta_latest IS NOT NULL THEN 1 ELSE 0 END),
	sum(CASE WHEN ` + s.onTimeSQL() + ` THEN 1 ELSE 0 END),
	sum(CASE WHEN ` + s.delayedSQL() + ` THEN 1 ELSE 0 END)
FROM shipments WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3
GROUP BY created_on ORDER BY created_on`
	var out []DayCount
	err := s.query(ctx, "day counts", q, w, func(rows *sql.Rows) error {
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

// query runs q with the shop and window bound to $1..$3 and hands each row to scan.
func (s ShopScope) query(ctx context.Context, what, q string, w AnalyticsWindow, scan func(*sql.Rows) error) error {
	rows, err := s.db.SQL.QueryContext(ctx, q, s.id, w.From.UTC(), w.To.UTC())
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
