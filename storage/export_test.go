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
