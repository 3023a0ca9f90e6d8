// Package storage persists ordertrack's data with GORM on Postgres (production)
// or an embedded pure-Go SQLite file (the default), runs the versioned
// migrations for both, and provides the shop-scoped queries the app uses.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// ErrNotFound is returned when a requested row does not exist (or belongs to
// another shop).
var ErrNotFound = errors.New("not found")

// Dialect names the database engine behind a DB.
type Dialect string

// The supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DefaultSQLitePath is where the embedded database lives when DATABASE_URL is unset.
const DefaultSQLitePath = "./data/ordertrack.db"

// DB is the one database handle the process shares: GORM for the app's
// queries and the same *sql.DB for River and goose, so a job can be enqueued
// in the transaction that causes it (see InTx). The queries it shares with
// Tx run outside any transaction here.
type DB struct {
	queries
	Gorm    *gorm.DB
	SQL     *sql.DB
	Dialect Dialect
	cipher  *Cipher
	pool    *pgxpool.Pool
	now     func() time.Time
}

// Options configure Open.
type Options struct {
	// EncryptionKey seals access tokens and secrets at rest (see NewCipher).
	EncryptionKey []byte
	// Now is the clock used for created/updated timestamps; defaults to time.Now.
	Now func() time.Time
	// Logger receives slow-query warnings; nil disables GORM logging.
	Logger *slog.Logger
}

// Open connects to url: a postgres:// URL, or a SQLite file path (empty means
// DefaultSQLitePath; "sqlite:" prefixes are accepted).
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	cipher, err := NewCipher(opts.EncryptionKey)
	if err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	utcNow := func() time.Time { return now().UTC() }
	gcfg := &gorm.Config{
		NowFunc:                utcNow,
		TranslateError:         true,
		Logger:                 gormLogger(opts.Logger),
		SkipDefaultTransaction: true,
	}
	db := &DB{cipher: cipher, now: utcNow}
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		pool, err := pgxpool.New(ctx, url)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.pool = pool
		db.SQL = stdlib.OpenDBFromPool(pool)
		db.Dialect = Postgres
		db.Gorm, err = gorm.Open(postgres.New(postgres.Config{Conn: db.SQL}), gcfg)
		if err != nil {
			pool.Close()
			return nil, fmt.Errorf("open postgres: %w", err)
		}
	default:
		path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite://"), "sqlite:")
		if path == "" {
			path = DefaultSQLitePath
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
		dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
		sqlDB, err := sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
		// SQLite allows one writer; River and GORM share this single connection
		// (more connections only produce SQLITE_BUSY).
		sqlDB.SetMaxOpenConns(1)
		db.SQL = sqlDB
		db.Dialect = SQLite
		db.Gorm, err = gorm.Open(sqlite.Dialector{Conn: sqlDB}, gcfg)
		if err != nil {
			sqlDB.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
	}
	db.queries = queries{g: db.Gorm}
	if err := db.SQL.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", db.Dialect, err)
	}
	return db, nil
}

// Close releases the connections.
func (db *DB) Close() error {
	err := db.SQL.Close()
	if db.pool != nil {
		db.pool.Close()
	}
	return err
}

// Now is the database's clock (UTC).
func (db *DB) Now() time.Time { return db.now() }

// RiverDriver returns the River driver for this database, sharing its *sql.DB.
func (db *DB) RiverDriver() riverdriver.Driver[*sql.Tx] {
	if db.Dialect == Postgres {
		return riverdatabasesql.NewWithPgxListener(db.SQL, db.pool)
	}
	return riversqlite.New(db.SQL)
}

// slowQuery is how long a query runs before GORM logs it.
const slowQuery = 200 * time.Millisecond

func gormLogger(l *slog.Logger) logger.Interface {
	if l == nil {
		return logger.Discard
	}
	return quietLogger{logger.NewSlogLogger(l, logger.Config{SlowThreshold: slowQuery, IgnoreRecordNotFoundError: true, LogLevel: logger.Warn})}
}

// quietLogger passes on only the queries GORM's logger would log (failed or
// slow): that logger renders every query's SQL with its arguments inlined
// before deciding, which for a batch of webhook payloads cost more CPU
// than the insert.
type quietLogger struct{ logger.Interface }

// LogMode keeps the logger quiet unless every query is to be logged
// (db.Debug()).
func (q quietLogger) LogMode(level logger.LogLevel) logger.Interface {
	if level >= logger.Info {
		return q.Interface.LogMode(level)
	}
	return quietLogger{q.Interface.LogMode(level)}
}

func (q quietLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if (err == nil || errors.Is(err, gorm.ErrRecordNotFound)) && time.Since(begin) <= slowQuery {
		return
	}
	q.Interface.Trace(ctx, begin, fc, err)
}
