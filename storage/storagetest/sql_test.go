package storagetest_test

import (
	"testing"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestRebindNumbersPlaceholdersForPostgresOnly(t *testing.T) {
	for _, tt := range []struct {
		dialect    storage.Dialect
		query, out string
	}{
		{storage.Postgres, "SELECT 1 WHERE a = ? AND b IN (?, ?)", "SELECT 1 WHERE a = $1 AND b IN ($2, $3)"},
		{storage.Postgres, "SELECT '?' WHERE a = ? AND b = 'it''s?'", "SELECT '?' WHERE a = $1 AND b = 'it''s?'"},
		{storage.Postgres, "SELECT 1", "SELECT 1"},
		{storage.SQLite, "SELECT 1 WHERE a = ? AND b = ?", "SELECT 1 WHERE a = ? AND b = ?"},
	} {
		if got := storagetest.Rebind(&storage.DB{Dialect: tt.dialect}, tt.query); got != tt.out {
			t.Errorf("Rebind(%s, %q) = %q; want %q", tt.dialect, tt.query, got, tt.out)
		}
	}
}
