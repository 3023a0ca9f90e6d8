// Package apptest is the kit the app's integration tests share: the database
// matrix they run on, waiting for background work, plain and signed HTTP
// calls into a running app, and httptest fakes of the services outside this
// machine (SendGrid, Twilio, the carriers) speaking their documented wire
// formats from recorded samples.
//
// It knows nothing of package app, so app's in-package tests and the feature
// packages' tests can all import it; what needs an App's internals (starting
// one, seeding through its stores) stays in app/harness_test.go.
package apptest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// EachDB runs fn as a subtest with the URL of a fresh, migrated, empty
// database of every kind: SQLite always, Postgres when TEST_DATABASE_URL (or
// the local server) answers, as storagetest decides.
func EachDB(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	for _, d := range []storage.Dialect{storage.SQLite, storage.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			fn(t, storagetest.URL(t, d))
		})
	}
}

// waitLimit is how long WaitUntil waits: long enough for a busy CI
// machine to work a few hundred jobs on SQLite (a passing test waits only
// as long as its work takes).
const waitLimit = 90 * time.Second

// WaitUntil polls ok until it holds, failing the test after waitLimit with
// what it was waiting for. Background work (jobs, webhooks) has no event a
// test could wait on, so tests wait for its visible effect.
func WaitUntil(t testing.TB, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// root is the repository's root directory, found from this file's path so
// that recorded samples load whatever package's directory a test runs in.
var root = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}()

// Testdata reads a file under the repository root, such as
// "integrations/carriers/ups/testdata/in_transit.json".
func Testdata(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(path)))
	if err != nil {
		t.Fatalf("read recorded sample: %v", err)
	}
	return b
}
