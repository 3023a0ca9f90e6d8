// Package storagetest opens fresh, migrated databases for tests: always an
// embedded SQLite file, and a new Postgres database when one is reachable
// (TEST_DATABASE_URL, default the local server). In CI (CI set) Postgres is
// required, so a broken database setup fails instead of silently skipping.
package storagetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for database admin
	"github.com/ordertrack/ordertrack/storage"
)

// Key is the encryption key test databases use.
var Key = []byte("0123456789abcdef0123456789abcdef")

// DefaultPostgres is the admin URL used when TEST_DATABASE_URL is unset.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

var counter atomic.Int64

// Each runs fn as a subtest against every available database.
func Each(t *testing.T, fn func(t *testing.T, db *storage.DB)) {
	t.Helper()
	for _, d := range []storage.Dialect{storage.SQLite, storage.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a migrated, empty database of dialect d, closed and dropped
// when the test ends. It skips a Postgres test outside CI when no server answers.
func Open(t testing.TB, d storage.Dialect) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), URL(t, d), storage.Options{EncryptionKey: Key})
	if err != nil {
		t.Fatalf("open %s test database: %v", d, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// SQLiteURL is a fresh SQLite file path in the test's temp dir, with no
// schema yet.
func SQLiteURL(t testing.TB) string {
	return filepath.Join(t.TempDir(), "ordertrack.db")
}

// PostgresURL creates a fresh database with no schema on the test server and
// returns its URL; the database is dropped when the test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin, adm := adminDB(t)
	return createDB(t, admin, adm, "")
}

// adminDB connects to the test server's admin database (TEST_DATABASE_URL),
// closed when the test ends. It skips the test outside CI when no server
// answers, and fails it in CI.
func adminDB(t testing.TB) (string, *sql.DB) {
	t.Helper()
	admin := os.Getenv("TEST_DATABASE_URL")
	if admin == "" {
		admin = DefaultPostgres
	}
	adm, err := sql.Open("pgx", admin)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		err = adm.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("postgres required in CI but unreachable at %s: %v", admin, err)
		}
		t.Skipf("postgres unreachable at %s: %v", admin, err)
	}
	return admin, adm
}

// createDB creates a database with a fresh name through adm (with options
// such as "TEMPLATE x"), dropped, and adm closed, when the test ends.
func createDB(t testing.TB, admin string, adm *sql.DB, options string) string {
	t.Helper()
	name := fmt.Sprintf("ot_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, counter.Add(1))
	if _, err := adm.Exec("CREATE DATABASE " + name + " " + options); err != nil {
		adm.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		adm.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		adm.Close()
	})
	return replaceDBName(admin, name)
}

func replaceDBName(url, name string) string {
	q := ""
	if i := strings.IndexByte(url, '?'); i >= 0 {
		url, q = url[:i], url[i:]
	}
	i := strings.LastIndexByte(url, '/')
	return url[:i+1] + name + q
}
