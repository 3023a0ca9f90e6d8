package app

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestHealthReadinessAndMetrics(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{})
		if code, _ := apptest.Get(t, base+"/healthz"); code != http.StatusOK {
			t.Fatalf("/healthz = %d", code)
		}
		if code, body := apptest.Get(t, base+"/readyz"); code != http.StatusOK || !strings.Contains(body, "ready") {
			t.Fatalf("/readyz = %d %s; want 200 ready", code, body)
		}
		code, body := apptest.Get(t, "http://"+a.MetricsAddr()+"/metrics")
		if code != http.StatusOK || !strings.Contains(body, `ordertrack_http_request_duration_seconds_count{method="GET",route="/readyz",status="200"} 1`) {
			t.Fatalf("/metrics = %d; want the /readyz request counted:\n%.2000s", code, body)
		}
		if code, _ := apptest.Get(t, base+"/metrics"); code != http.StatusNotFound {
			t.Fatalf("/metrics on the public port = %d; want 404 (metrics are served on the private port only)", code)
		}
		// A database that is down makes the machine unready.
		a.db.SQL.Close()
		if code, _ := apptest.Get(t, base+"/readyz"); code != http.StatusServiceUnavailable {
			t.Fatalf("/readyz with the database closed = %d; want 503", code)
		}
	})
}

// TestReadyzFailsWhenTheDatabaseCannotWrite makes the database refuse
// writes while it still answers reads (Postgres: the database's
// default_transaction_read_only, as on a replica or after an operator's
// emergency switch; SQLite: query_only, as on a read-only or full volume):
// the machine must leave the load balancer, and come back once writes work.
func TestReadyzFailsWhenTheDatabaseCannotWrite(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{})
		readOnly := func(on bool) {
			if _, err := a.db.SQL.Exec("PRAGMA query_only = " + strconv.FormatBool(on)); err != nil {
				t.Fatal(err)
			}
		}
		if a.db.Dialect == storage.Postgres {
			readOnly = postgresReadOnly(t, url)
		}
		if code, body := apptest.Get(t, base+"/readyz"); code != http.StatusOK {
			t.Fatalf("/readyz = %d %s; want 200 before", code, body)
		}
		readOnly(true)
		apptest.WaitUntil(t, "/readyz to report that the database cannot write", func() bool {
			code, body := apptest.Get(t, base+"/readyz")
			return code == http.StatusServiceUnavailable && strings.Contains(body, "database cannot write")
		})
		readOnly(false)
		apptest.WaitUntil(t, "/readyz to recover once writes work", func() bool {
			code, _ := apptest.Get(t, base+"/readyz")
			return code == http.StatusOK
		})
	})
}

// postgresReadOnly switches the test database's default transaction mode
// and ends the app's sessions, so its pool reconnects under the new default.
// It keeps its own session, opened before the switch, to switch back.
func postgresReadOnly(t *testing.T, url string) func(on bool) {
	t.Helper()
	adm, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	adm.SetMaxOpenConns(1)
	t.Cleanup(func() { adm.Close() })
	var name string
	if err := adm.QueryRow("SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	return func(on bool) {
		if _, err := adm.Exec(fmt.Sprintf("ALTER DATABASE %q SET default_transaction_read_only = %t", name, on)); err != nil {
			t.Fatal(err)
		}
		if _, err := adm.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBacklogMetricsShowWorkWaitingForWorkers(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		ctx, cancel := context.WithCancel(context.Background())
		cfg := Config{DatabaseURL: url, EncryptionKey: storagetest.Key, ShopifyAPISecret: testSecret}
		var ahead atomic.Int64 // how far the clock runs ahead
		now := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
		a, err := New(ctx, cfg, ModeWeb, Options{Now: now}) // no workers: jobs wait
		if err != nil {
			t.Fatal(err)
		}
		if err := a.db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		ready := make(chan struct{})
		done := make(chan error, 1)
		go func() { done <- a.Run(ctx, ModeWeb, func(string) { close(ready) }) }()
		t.Cleanup(func() { cancel(); <-done; a.Close() })
		<-ready

		for _, id := range []int64{1, 2} {
			if _, err := a.jobs.Insert(ctx, jobs.ProcessWebhookArgs{DeliveryID: id}, nil); err != nil {
				t.Fatal(err)
			}
		}
		shop := &storage.Shop{Platform: storage.Shopify, Domain: "backlog.myshopify.com"}
		if err := a.db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		late, soon := time.Now().Add(-time.Hour), time.Now().Add(2*time.Hour)
		for i, next := range []time.Time{late, soon} {
			o := &storage.Order{ShopID: shop.ID, PlatformID: fmt.Sprint(i)}
			if err := a.db.Gorm.Create(o).Error; err != nil {
				t.Fatal(err)
			}
			s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: "ups", TrackingNumber: fmt.Sprintf("1Z%d", i), PublicToken: storage.NewToken(), Stage: "in_transit", NextPollAt: &next}
			if err := a.db.Gorm.Create(s).Error; err != nil {
				t.Fatal(err)
			}
		}

		ahead.Store(int64(5 * time.Minute)) // the jobs have waited 5 minutes
		_, body := apptest.Get(t, "http://"+a.MetricsAddr()+"/metrics")
		for _, want := range []string{`ordertrack_jobs_ready{kind="process_webhook"} 2`, "ordertrack_polls_overdue 1", "ordertrack_backlog_up 1"} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %q:\n%.3000s", want, body)
			}
		}
		var waited float64
		for _, line := range strings.Split(body, "\n") {
			if v, ok := strings.CutPrefix(line, "ordertrack_jobs_oldest_ready_seconds "); ok {
				waited, _ = strconv.ParseFloat(v, 64)
			}
		}
		if waited < 290 || waited > 600 {
			t.Errorf("oldest ready job waited %.0fs; want about 300", waited)
		}
	})
}

func TestATakenMetricsPortDoesNotStopTheApp(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{MetricsPort: ln.Addr().(*net.TCPAddr).Port})
	if code, _ := apptest.Get(t, base+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz = %d with the metrics port taken; want the app serving", code)
	}
}
