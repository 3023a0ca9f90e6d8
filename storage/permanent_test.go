package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// refusal is a statement the database refuses, and whether it always will.
type refusal struct {
	name, stmt string
	args       []any
	permanent  bool
}

// postgresRefusals are refused by Postgres only: SQLite stores NUL.
var postgresRefusals = []refusal{
	{"NUL in text", `INSERT INTO perm_probe (id, qty, note) VALUES (4, 1, ?)`, []any{"a\x00b"}, true},
	{"NUL escape in jsonb", `SELECT ?::jsonb`, []any{`{"a":"\u0000"}`}, true},
}

func TestPermanentTellsRefusedDataFromPassingFaults(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		newShop(t, db, "perm.myshopify.com")
		if err := db.Gorm.Exec(`CREATE TABLE perm_probe (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL CHECK (qty > 0), note TEXT)`).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Exec(`INSERT INTO perm_probe (id, qty) VALUES (1, 1)`).Error; err != nil {
			t.Fatal(err)
		}
		tests := []refusal{
			{"check violation", `INSERT INTO perm_probe (id, qty) VALUES (2, 0)`, nil, true},
			{"not null violation", `INSERT INTO perm_probe (id, qty) VALUES (3, NULL)`, nil, true},
			{"duplicate primary key", `INSERT INTO perm_probe (id, qty) VALUES (1, 1)`, nil, false},
			{"duplicate unique key", `INSERT INTO shops (platform, domain, name, created_at, updated_at) VALUES ('shopify', 'perm.myshopify.com', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, nil, false},
			{"missing table", `SELECT * FROM perm_missing`, nil, false},
		}
		if db.Dialect == storage.Postgres {
			tests = append(tests, postgresRefusals...)
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := db.Gorm.WithContext(ctx).Exec(tt.stmt, tt.args...).Error
				if err == nil {
					t.Fatalf("%s succeeded; want an error", tt.stmt)
				}
				if got := storage.Permanent(err); got != tt.permanent {
					t.Fatalf("Permanent(%v) = %v; want %v", err, got, tt.permanent)
				}
			})
		}
	})
}

func TestPermanentIsFalseForOtherErrors(t *testing.T) {
	t.Parallel()
	for _, err := range []error{nil, context.Canceled, errors.New("connection refused"), storage.ErrNotFound} {
		if storage.Permanent(err) {
			t.Errorf("Permanent(%v) = true; want false", err)
		}
	}
}
