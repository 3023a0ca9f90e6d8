package storagetest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/ordertrack/ordertrack/storage"
)

// Migrating a database from nothing takes a few seconds on Postgres (each
// migration commits, and commits wait for the disk) and a few hundred
// milliseconds on SQLite, once per test. So each kind is migrated once into
// a template named for what the migrations say, and tests get copies: a
// Postgres database made with CREATE DATABASE … TEMPLATE, a copy of the
// SQLite file. The name changes with any migration (ordertrack's or
// River's), so a template never outlives the schema it was built with; the
// migrations still run from nothing in storage's migration tests.

// URL returns the URL of a fresh database of dialect d with every migration
// applied, removed when the test ends. Postgres skips outside CI when no
// server answers, like PostgresURL.
func URL(t testing.TB, d storage.Dialect) string {
	t.Helper()
	if d == storage.Postgres {
		return migratedPostgres(t)
	}
	tmpl, err := sqliteTemplate()
	if err != nil {
		t.Fatalf("migrated SQLite template: %v", err)
	}
	path := SQLiteURL(t)
	if err := os.WriteFile(path, tmpl, 0o644); err != nil {
		t.Fatalf("copy the migrated SQLite template: %v", err)
	}
	return path
}

// sqliteTemplate is the migrated SQLite file's bytes, built once per
// process under the system's temp folder (or read from there when another
// process built it).
var sqliteTemplate = sync.OnceValues(func() ([]byte, error) {
	sum, err := fingerprint(storage.SQLite)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(os.TempDir(), "ordertrack-test-template-"+sum+".db")
	if b, err := os.ReadFile(path); err == nil {
		return b, nil
	}
	dir, err := os.MkdirTemp("", "ordertrack-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	build := filepath.Join(dir, "template.db")
	if err := migrate(build, func(db *storage.DB) error {
		// One self-contained file, without a write-ahead log beside it.
		_, err := db.SQL.Exec("PRAGMA journal_mode=DELETE")
		return err
	}); err != nil {
		return nil, err
	}
	// Renaming within the temp folder is atomic: a process that finds the
	// template finds it whole.
	if err := os.Rename(build, path); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
})

// postgresTemplates holds, per admin URL, the name of the migrated template
// database once built.
var postgresTemplates struct {
	sync.Mutex
	names map[string]string
}

// migratedPostgres creates a database from the migrated template on the
// test server and returns its URL; it is dropped when the test ends.
func migratedPostgres(t testing.TB) string {
	t.Helper()
	admin, adm := adminDB(t)
	postgresTemplates.Lock()
	tmpl, ok := postgresTemplates.names[admin]
	if !ok {
		var err error
		if tmpl, err = postgresTemplate(adm, admin); err != nil {
			postgresTemplates.Unlock()
			t.Fatalf("migrated Postgres template: %v", err)
		}
		if postgresTemplates.names == nil {
			postgresTemplates.names = map[string]string{}
		}
		postgresTemplates.names[admin] = tmpl
	}
	postgresTemplates.Unlock()
	return createDB(t, admin, adm, "TEMPLATE "+tmpl)
}

// postgresTemplate returns the name of the migrated template database on
// admin's server, building it when no process has. A build happens under a
// name of its own and is renamed when complete, so the template is never
// seen half migrated, and of two processes building at once one keeps its
// build and the other drops its own.
func postgresTemplate(adm *sql.DB, admin string) (string, error) {
	sum, err := fingerprint(storage.Postgres)
	if err != nil {
		return "", err
	}
	name := "ot_template_" + sum
	exists := func() (bool, error) {
		var n int
		err := adm.QueryRow("SELECT COUNT(*) FROM pg_database WHERE datname = $1", name).Scan(&n)
		return n == 1, err
	}
	if ok, err := exists(); err != nil || ok {
		return name, err
	}
	build := fmt.Sprintf("ot_build_%s_%d_%d", sum, os.Getpid(), counter.Add(1))
	if _, err := adm.Exec("CREATE DATABASE " + build); err != nil {
		return "", fmt.Errorf("create %s: %w", build, err)
	}
	if err := migrate(replaceDBName(admin, build), nil); err != nil {
		adm.Exec("DROP DATABASE IF EXISTS " + build + " WITH (FORCE)")
		return "", err
	}
	if _, err := adm.Exec("ALTER DATABASE " + build + " RENAME TO " + name); err != nil {
		adm.Exec("DROP DATABASE IF EXISTS " + build + " WITH (FORCE)")
		if ok, _ := exists(); ok {
			return name, nil // another process's build was renamed first
		}
		return "", fmt.Errorf("rename %s: %w", build, err)
	}
	return name, nil
}

// migrate applies every migration to the database at url, runs finish on it
// when set, and closes it.
func migrate(url string, finish func(*storage.DB) error) error {
	ctx := context.Background()
	db, err := storage.Open(ctx, url, storage.Options{EncryptionKey: Key})
	if err != nil {
		return err
	}
	err = db.Migrate(ctx)
	if err == nil && finish != nil {
		err = finish(db)
	}
	return errors.Join(err, db.Close())
}

// fingerprint is a short hash of everything that decides dialect d's
// migrated schema: ordertrack's migrations (read from the source tree, next
// to this file) and River's.
func fingerprint(d storage.Dialect) (string, error) {
	h := sha256.New()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "migrations", string(d))
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		fmt.Fprintf(h, "%s %d\n", e.Name(), len(b))
		h.Write(b)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("read migrations: %w", err)
	}
	var river []rivermigrate.Migration
	if d == storage.Postgres {
		river, err = riverMigrations(riverdatabasesql.New(nil))
	} else {
		river, err = riverMigrations(riversqlite.New(nil))
	}
	if err != nil {
		return "", err
	}
	for _, v := range river {
		fmt.Fprintf(h, "river %d %d\n", v.Version, len(v.SQLUp))
		h.Write([]byte(v.SQLUp))
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// riverMigrations lists River's migrations for a driver, which needs no
// connection for that.
func riverMigrations[TTx any](driver riverdriver.Driver[TTx]) ([]rivermigrate.Migration, error) {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return nil, fmt.Errorf("river migrations: %w", err)
	}
	return m.AllVersions(), nil
}
