package storage_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// TestQueryLogKeepsFailedQueriesOnly: a query that fails is logged with its
// SQL; one that succeeds at once is not (nor rendered, which is what the
// quiet logger saves).
func TestQueryLogKeepsFailedQueriesOnly(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "log.db"),
		storage.Options{EncryptionKey: storagetest.Key, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Gorm.Exec("SELECT 'fast and fine'").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Gorm.Exec("SELECT * FROM no_such_table").Error; err == nil {
		t.Fatal("query of a missing table succeeded; want an error")
	}
	got := log.String()
	if strings.Contains(got, "fast and fine") {
		t.Errorf("log = %q; want no line for a fast query that succeeded", got)
	}
	if !strings.Contains(got, "no_such_table") {
		t.Errorf("log = %q; want the failed query", got)
	}
}
