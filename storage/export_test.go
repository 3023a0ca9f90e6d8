package storage

import (
	"context"
	"time"
)

// LocalDay evaluates, in the database, the SQL the analytics rollup numbers
// t's day in loc with (days since 1970-01-01).
func (db *DB) LocalDay(ctx context.Context, t time.Time, loc *time.Location) (int64, error) {
	param := "$1"
	if db.Dialect == Postgres {
		param = "CAST($1 AS timestamptz)"
	}
	var day int64
	err := db.SQL.QueryRowContext(ctx, "SELECT "+rulesOf(loc).daySQL("("+db.epoch(param)+")"), t.UTC()).Scan(&day)
	return day, err
}

// MigrateTo applies ordertrack's migrations up to version only, so a test
// can store rows in an older schema and migrate them.
func (db *DB) MigrateTo(ctx context.Context, version int64) error {
	p, err := db.goose()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// PageRowQueries are the Postgres queries a tracking page reads its
// shipments' rows with, by table; each takes the order's ID.
var PageRowQueries = map[string]string{
	"tracking_events":  pgPageEventsSQL,
	"customer_actions": pgPageActionsSQL,
	"eta_changes":      pgPageETAsSQL,
}
