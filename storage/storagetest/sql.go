package storagetest

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
)

// Rebind rewrites the ? placeholders of query for db's dialect: Postgres
// numbers them ($1, $2, …); SQLite takes them as they are. A ? inside a
// quoted string is left alone.
func Rebind(db *storage.DB, query string) string {
	if db.Dialect != storage.Postgres {
		return query
	}
	var b strings.Builder
	n, quoted := 0, false
	for _, r := range query {
		switch {
		case r == '\'':
			quoted = !quoted
		case r == '?' && !quoted:
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Exec runs one statement (? placeholders, either dialect) on db and returns
// the number of rows it changed, failing the test on error.
func Exec(t testing.TB, db *storage.DB, query string, args ...any) int64 {
	t.Helper()
	res, err := db.SQL.ExecContext(context.Background(), Rebind(db, query), args...)
	if err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		t.Fatalf("exec %q: rows affected: %v", query, err)
	}
	return n
}

// Count returns the number of rows of table that match where (? placeholders;
// empty means all rows), failing the test on error.
func Count(t testing.TB, db *storage.DB, table, where string, args ...any) int64 {
	t.Helper()
	query := "SELECT COUNT(*) FROM " + table
	if where != "" {
		query += " WHERE " + where
	}
	var n int64
	Query(t, db, query, args, &n)
	return n
}

// Query reads the one row query returns (? placeholders, either dialect)
// into dest, failing the test on error or when there is no row.
func Query(t testing.TB, db *storage.DB, query string, args []any, dest ...any) {
	t.Helper()
	if err := db.SQL.QueryRowContext(context.Background(), Rebind(db, query), args...).Scan(dest...); err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
}

// Statement is one SQL statement (? placeholders) with its arguments.
type Statement struct {
	SQL  string
	Args []any
}

// ExecInTx runs statements in one transaction on db, so nothing running
// beside the test sees some of them without the others; it fails the test
// on error.
func ExecInTx(t testing.TB, db *storage.DB, stmts ...Statement) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, Rebind(db, s.SQL), s.Args...); err != nil {
			t.Fatalf("exec %q: %v", s.SQL, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("commit: %v", err)
	}
}
