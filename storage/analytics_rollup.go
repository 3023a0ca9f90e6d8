package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// The report reads rollups of each shop's shipments (per local creation
// day, lane and local ship and delivery days) and messages (per local day,
// channel and status) instead of a million rows. Triggers queue every change
// the report can see (the row before, signed -1, and after, +1); the queues
// are folded into the rollups before each report and by a periodic job.
// Days are the shop's: SQLite has no zone database, so the zone's UTC
// offsets are computed here and written into the SQL.

// zoneRules are a zone's UTC offsets from 1970 to 2100: offsets[i] holds
// from Unix second starts[i] until starts[i+1]. Instants outside the range
// take the nearest offset, so the rules, and every day counted with them,
// depend on the zone alone.
type zoneRules struct {
	name    string
	starts  []int64
	offsets []int
}

var rulesFrom, rulesTo = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

func rulesOf(loc *time.Location) zoneRules {
	r := zoneRules{name: loc.String()}
	for t := rulesFrom; !t.IsZero() && t.Before(rulesTo); t = nextOffset(t, loc) {
		if off := offsetAt(t, loc); len(r.offsets) == 0 || r.offsets[len(r.offsets)-1] != off {
			r.starts = append(r.starts, t.Unix())
			r.offsets = append(r.offsets, off)
		}
	}
	return r
}

func offsetAt(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}

// nextOffset returns when the zone period holding t ends (zero if never).
// Past the end of its table Go derives periods from the zone's rule and
// reports some that end where they start (at the end of 2040, for one);
// from there it probes day by day and bisects to the second.
func nextOffset(t time.Time, loc *time.Location) time.Time {
	if _, end := t.In(loc).ZoneBounds(); end.IsZero() || end.After(t) {
		return end
	}
	off := offsetAt(t, loc)
	for day := t.AddDate(0, 0, 1); day.Before(rulesTo); day = day.AddDate(0, 0, 1) {
		if offsetAt(day, loc) == off {
			continue
		}
		lo, hi := day.AddDate(0, 0, -1), day
		for hi.Sub(lo) > time.Second {
			mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
			if offsetAt(mid, loc) == off {
				lo = mid
			} else {
				hi = mid
			}
		}
		return hi
	}
	return time.Time{}
}

// key names the zone and its rules: a rollup counted with other rules (the
// shop moved, or a new Go release changed the zone's history) is rebuilt.
func (r zoneRules) key() string {
	h := fnv.New64a()
	for i := range r.starts {
		fmt.Fprintf(h, "%d:%d,", r.starts[i], r.offsets[i])
	}
	return fmt.Sprintf("%s %016x", r.name, h.Sum64())
}

// daySQL renders the local day number (days since 1970-01-01) of the Unix
// seconds in col; NULL stays NULL.
func (r zoneRules) daySQL(col string) string {
	return "((" + col + " + " + r.offsetSQL(col, 0, len(r.offsets)) + ") / 86400)"
}

// offsetSQL finds col's offset among offsets[lo:hi] by bisection, so a zone
// with two hundred changes costs eight comparisons a row.
func (r zoneRules) offsetSQL(col string, lo, hi int) string {
	if hi-lo == 1 {
		return strconv.Itoa(r.offsets[lo])
	}
	mid := (lo + hi) / 2
	return "CASE WHEN " + col + " < " + strconv.FormatInt(r.starts[mid], 10) + " THEN " + r.offsetSQL(col, lo, mid) +
		" ELSE " + r.offsetSQL(col, mid, hi) + " END"
}

// epoch renders a timestamp column as whole Unix seconds.
func (db *DB) epoch(col string) string {
	if db.Dialect == Postgres {
		return "floor(date_part('epoch', " + col + "))::bigint"
	}
	return "unixepoch(" + col + ")"
}

// fence keeps the planner from merging a subquery into the query around
// it: merged, every use of a local day would recompute its bisection.
func (db *DB) fence() string {
	if db.Dialect == Postgres {
		return " OFFSET 0"
	}
	return " LIMIT -1 OFFSET 0"
}

// rollup is a table of a shop's counts per local day, kept from a queue
// that triggers fill with the rows that changed: each row as it was
// (sign -1) and as it is (+1).
type rollup struct {
	table, queue string
	count        string // the table's column that is zero when a key counts nothing
	columns      string // what the queue holds of a changed row
	current      string // the shop's ($1) rows as the queue would hold them, signed +1
	insert       func(db *DB, rows string, r zoneRules) string
}

// rollups are the report's: shipments by lane and days, messages by
// channel and status.
var rollups = []rollup{
	{
		table: "analytics_shipment_days", queue: "analytics_shipment_queue", count: "shipments",
		columns: "sign, carrier, service, dest_country, dest_region, created_at, shipped_at, delivered_at, eta_latest, delayed, page_views",
		current: `SELECT 1 AS sign, carrier, service, dest_country, dest_region, created_at, shipped_at, delivered_at, eta_latest,
	CASE WHEN problem = 'delayed' THEN 1 ELSE 0 END AS delayed, page_views FROM shipments WHERE shop_id = $1`,
		insert: (*DB).shipmentDaysInsert,
	},
	{
		table: "analytics_message_days", queue: "analytics_message_queue", count: "messages",
		columns: "sign, channel, status, created_at",
		current: "SELECT 1 AS sign, channel, status, created_at FROM notifications WHERE shop_id = $1",
		insert:  (*DB).messageDaysInsert,
	},
}

// upsert renders the INSERT that adds the counts query selects (key
// columns, then measures) to a rollup table.
func upsert(table, key, measures, query string) string {
	var set []string
	for _, m := range strings.Split(measures, ", ") {
		set = append(set, m+" = "+table+"."+m+" + excluded."+m)
	}
	return "INSERT INTO " + table + " (" + key + ", " + measures + ")\n" + query +
		"\nON CONFLICT (" + key + ") DO UPDATE SET " + strings.Join(set, ", ")
}

// shipmentDaysInsert adds rows (queued shipments of shop $1) to the shop's
// counts, by lane and local creation, ship and delivery days. On-time
// compares the local delivery day with the promised date, which the ETA
// stores as a UTC date.
func (db *DB) shipmentDaysInsert(rows string, r zoneRules) string {
	return upsert("analytics_shipment_days",
		"shop_id, created_day, carrier, service, dest_country, dest_region, shipped_day, delivered_day",
		"shipments, delivered, promised, on_time, delayed, page_views, viewed", `SELECT $1, cd, carrier, service, dest_country, dest_region,
	CASE WHEN sd IS NOT NULL AND dd IS NOT NULL THEN sd ELSE 0 END AS shipped_on,
	CASE WHEN sd IS NOT NULL AND dd IS NOT NULL THEN dd ELSE 0 END AS delivered_on,
	sum(sign),
	sum(CASE WHEN dd IS NOT NULL THEN sign ELSE 0 END),
	sum(CASE WHEN dd IS NOT NULL AND ed IS NOT NULL THEN sign ELSE 0 END),
	sum(CASE WHEN dd <= ed THEN sign ELSE 0 END),
	sum(CASE WHEN late = 1 OR dd > ed THEN sign ELSE 0 END),
	sum(sign * page_views),
	sum(CASE WHEN page_views > 0 THEN sign ELSE 0 END)
FROM (SELECT sign, carrier, service, dest_country, dest_region, late, page_views,
		`+r.daySQL("c")+` AS cd, `+r.daySQL("s")+` AS sd, `+r.daySQL("d")+` AS dd, e / 86400 AS ed
	FROM (SELECT sign, carrier, service, dest_country, dest_region, delayed AS late, page_views,
			`+db.epoch("created_at")+` AS c, `+db.epoch("shipped_at")+` AS s,
			`+db.epoch("delivered_at")+` AS d, `+db.epoch("eta_latest")+` AS e
		FROM `+rows+db.fence()+`) x`+db.fence()+`) y
GROUP BY cd, carrier, service, dest_country, dest_region, shipped_on, delivered_on`)
}

// messageDaysInsert adds rows (queued messages of shop $1) to the shop's
// counts, by local creation day, channel and status.
func (db *DB) messageDaysInsert(rows string, r zoneRules) string {
	return upsert("analytics_message_days", "shop_id, created_day, channel, status", "messages",
		`SELECT $1, cd, channel, status, sum(sign)
FROM (SELECT sign, channel, status, `+r.daySQL("c")+` AS cd
	FROM (SELECT sign, channel, status, `+db.epoch("created_at")+` AS c FROM `+rows+db.fence()+`) x`+db.fence()+`) y
GROUP BY cd, channel, status`)
}

// refreshAnalytics brings the shop's rollups up to date in loc's days:
// folds the queued changes, or rebuilds them from the shop's rows when they
// were never built or were counted in another zone. A rebuild that lost a
// race with another refresh (Postgres cannot serialize it) looks again.
func (db *DB) refreshAnalytics(ctx context.Context, shopID int64, loc *time.Location) error {
	r := rulesOf(loc)
	var err error
	for range 3 {
		var built string
		err = db.SQL.QueryRowContext(ctx, "SELECT zone FROM analytics_builds WHERE shop_id = $1", shopID).Scan(&built)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("analytics build of shop %d: %w", shopID, err)
		}
		if built == r.key() {
			return db.foldAnalytics(ctx, shopID, r)
		}
		err = db.rebuildAnalytics(ctx, shopID, r)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "40001" {
			break
		}
	}
	return err
}

// foldAnalytics moves the shop's queued changes into its rollups. On
// Postgres one statement deletes the changes it adds, so concurrent folds
// each take their own; SQLite has a single writer.
func (db *DB) foldAnalytics(ctx context.Context, shopID int64, r zoneRules) error {
	var stmts []string
	for _, ru := range rollups {
		if db.Dialect == Postgres {
			stmts = append(stmts, "WITH gone AS (DELETE FROM "+ru.queue+" WHERE shop_id = $1 RETURNING "+ru.columns+")\n"+ru.insert(db, "gone", r))
		} else {
			stmts = append(stmts, ru.insert(db, ru.queue+" WHERE shop_id = $1", r), "DELETE FROM "+ru.queue+" WHERE shop_id = $1")
		}
	}
	return db.inTx(ctx, nil, "fold analytics of shop "+strconv.FormatInt(shopID, 10), func(tx *sql.Tx) error {
		for _, stmt := range stmts {
			if _, err := tx.ExecContext(ctx, stmt, shopID); err != nil {
				return err
			}
		}
		return nil
	})
}

// rebuildAnalytics counts the shop's rollups afresh from its rows. On
// Postgres it runs on one snapshot, so the changes it drops are exactly
// those its count already holds; a concurrent fold makes it fail to
// serialize instead of counting twice.
func (db *DB) rebuildAnalytics(ctx context.Context, shopID int64, r zoneRules) error {
	opts := &sql.TxOptions{}
	if db.Dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	var stmts []string
	for _, ru := range rollups {
		stmts = append(stmts, "DELETE FROM "+ru.table+" WHERE shop_id = $1", "DELETE FROM "+ru.queue+" WHERE shop_id = $1",
			ru.insert(db, "("+ru.current+") src", r))
	}
	stmts = append(stmts, "DELETE FROM analytics_builds WHERE shop_id = $1")
	return db.inTx(ctx, opts, "rebuild analytics of shop "+strconv.FormatInt(shopID, 10), func(tx *sql.Tx) error {
		if db.Dialect == Postgres {
			// Grouping a million shipments spills to disk in the default 4 MB.
			if _, err := tx.ExecContext(ctx, "SET LOCAL work_mem = '64MB'"); err != nil {
				return err
			}
		}
		for _, stmt := range stmts {
			if _, err := tx.ExecContext(ctx, stmt, shopID); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO analytics_builds (shop_id, zone) VALUES ($1, $2)", shopID, r.key())
		return err
	})
}

func (db *DB) inTx(ctx context.Context, opts *sql.TxOptions, what string, fn func(*sql.Tx) error) error {
	tx, err := db.SQL.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", what, err)
	}
	return nil
}

// RefreshAnalytics folds every shop's queued analytics changes, builds the
// rollup of shops that have none or whose zone changed, drops counts that
// fell to zero and the changes deleted shops left. A periodic job runs it
// so the queue stays short and new rollups are built before anyone waits.
func (db *DB) RefreshAnalytics(ctx context.Context) error {
	type shop struct {
		id      int64
		zone    string
		built   string
		pending bool
	}
	var pending []string
	for _, ru := range rollups {
		pending = append(pending, "EXISTS (SELECT 1 FROM "+ru.queue+" q WHERE q.shop_id = s.id)")
	}
	rows, err := db.SQL.QueryContext(ctx, `SELECT s.id, s.timezone, COALESCE(b.zone, ''), `+strings.Join(pending, " OR ")+`
FROM shops s LEFT JOIN analytics_builds b ON b.shop_id = s.id ORDER BY s.id`)
	if err != nil {
		return fmt.Errorf("refresh analytics: shops: %w", err)
	}
	var shops []shop
	for rows.Next() {
		var s shop
		if err := rows.Scan(&s.id, &s.zone, &s.built, &s.pending); err != nil {
			rows.Close()
			return fmt.Errorf("refresh analytics: shops: %w", err)
		}
		shops = append(shops, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("refresh analytics: shops: %w", err)
	}
	for _, s := range shops {
		loc := tracking.ZoneOf(s.zone)
		if !s.pending && s.built == rulesOf(loc).key() {
			continue
		}
		if err := db.refreshAnalytics(ctx, s.id, loc); err != nil {
			return err
		}
		for _, ru := range rollups {
			if _, err := db.SQL.ExecContext(ctx, "DELETE FROM "+ru.table+" WHERE shop_id = $1 AND "+ru.count+" = 0", s.id); err != nil {
				return fmt.Errorf("refresh analytics: drop empty counts of shop %d: %w", s.id, err)
			}
		}
	}
	for _, ru := range rollups {
		if _, err := db.SQL.ExecContext(ctx, "DELETE FROM "+ru.queue+" WHERE shop_id NOT IN (SELECT id FROM shops)"); err != nil {
			return fmt.Errorf("refresh analytics: drop changes of deleted shops: %w", err)
		}
	}
	return nil
}
