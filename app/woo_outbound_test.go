package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/install"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
)

// connectedWooShop stores a WooCommerce shop with keys for storeURL, as a
// completed connect flow does.
func connectedWooShop(t *testing.T, a *App, storeURL string) *storage.Shop {
	t.Helper()
	ctx := context.Background()
	conn := &storage.WooConnection{UserID: "outbound-" + storeURL, StoreURL: storeURL, Client: "test", ExpiresAt: a.now().Add(time.Hour)}
	if err := a.db.StartWooConnection(ctx, conn, install.PendingLimits); err != nil {
		t.Fatal(err)
	}
	shop, err := a.db.CompleteWooConnect(ctx, storage.WooConnect{
		ConnectionID: conn.ID, Domain: storeURL[strings.Index(storeURL, "://")+3:], Name: "store", StoreURL: storeURL,
		ConsumerKey: wooKey, ConsumerSecret: wooSecret, WebhookSecret: strings.Repeat("s", 40),
	})
	if err != nil {
		t.Fatal(err)
	}
	return shop
}

// wooJobs lists the jobs of a kind, any state.
func wooJobs(t *testing.T, a *App, kind string) []*rivertype.JobRow {
	t.Helper()
	res, err := a.jobs.JobList(context.Background(), river.NewJobListParams().Kinds(kind).States(
		rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled,
		rivertype.JobStateCompleted, rivertype.JobStateCancelled, rivertype.JobStateDiscarded).First(100))
	if err != nil {
		t.Fatal(err)
	}
	return res.Jobs
}

// snoozed reports whether the shop's only job of kind is put off by a
// snooze for at least min.
func snoozed(t *testing.T, a *App, kind string, shopID int64, min time.Duration) bool {
	t.Helper()
	var mine []*rivertype.JobRow
	for _, j := range wooJobs(t, a, kind) {
		var args struct {
			ShopID int64 `json:"shop_id"`
		}
		if json.Unmarshal(j.EncodedArgs, &args) == nil && args.ShopID == shopID {
			mine = append(mine, j)
		}
	}
	if len(mine) != 1 || mine[0].State != rivertype.JobStateScheduled {
		return false
	}
	var meta struct {
		Snoozes int `json:"snoozes"`
	}
	return json.Unmarshal(mine[0].Metadata, &meta) == nil && meta.Snoozes == 1 && time.Until(mine[0].ScheduledAt) > min
}

// countingStore is a merchant's host on loopback that counts what reaches it.
type countingStore struct {
	*httptest.Server
	hits atomic.Int64
}

func newCountingStore(t *testing.T, tls bool) *countingStore {
	t.Helper()
	s := &countingStore{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.hits.Add(1) })
	if tls {
		s.Server = httptest.NewTLSServer(h)
	} else {
		s.Server = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

// TestWooStoreOnLoopbackIsNeverCalledInProduction: a store URL naming a
// loopback port (a merchant pointing the server at its own admin ports,
// over http or https) gets no request; the webhook and reconcile jobs put
// the store off for an hour instead of retrying, the 10-minute tick adds no
// copies meanwhile, an order note is dropped after one attempt, and the log
// says why.
func TestWooStoreOnLoopbackIsNeverCalledInProduction(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		logs := &logBuffer{}
		a, _ := startApp(t, url, Config{AppURL: wooAppURL}, withProductionOutbound(), withLogger(slog.New(slog.NewTextHandler(logs, nil))))
		stores := []struct {
			store *countingStore
			why   string
		}{
			{newCountingStore(t, false), "only https is allowed"},
			{newCountingStore(t, true), "127.0.0.1 is loopback"},
		}
		ctx := context.Background()
		var shops []int64
		for _, s := range stores {
			shop := connectedWooShop(t, a, s.store.URL)
			shops = append(shops, shop.ID)
			if _, err := a.jobs.Insert(ctx, jobs.WooWebhooksArgs{ShopID: shop.ID}, nil); err != nil {
				t.Fatal(err)
			}
		}
		for i, id := range shops {
			apptest.WaitUntil(t, "the webhook setup of "+stores[i].store.URL+" to be put off", func() bool { return snoozed(t, a, "woo_webhooks", id, 50*time.Minute) })
		}
		if _, err := a.jobs.Insert(ctx, jobs.WooTickArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		for i, id := range shops {
			apptest.WaitUntil(t, "the reconcile of "+stores[i].store.URL+" to be put off", func() bool { return snoozed(t, a, "woo_reconcile", id, 50*time.Minute) })
		}
		if n := len(wooJobs(t, a, "woo_webhooks")); n != len(shops) {
			t.Errorf("%d webhook jobs after a tick; want the %d snoozed ones only", n, len(shops))
		}
		// A one-off order note to a refused store is dropped, not retried.
		o := &storage.Order{ShopID: shops[0], PlatformID: "1001", Name: "#1001"}
		if _, err := a.db.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		if _, err := a.jobs.Insert(ctx, jobs.WooNoteArgs{ShopID: shops[0], OrderID: o.ID, Note: "ordertrack: delivered."}, nil); err != nil {
			t.Fatal(err)
		}
		apptest.WaitUntil(t, "the order note to be cancelled", func() bool {
			js := wooJobs(t, a, "woo_note")
			return len(js) == 1 && js[0].State == rivertype.JobStateCancelled && js[0].Attempt == 1
		})
		out := logs.String()
		for _, s := range stores {
			if n := s.store.hits.Load(); n != 0 {
				t.Errorf("the store at %s got %d requests; want none", s.store.URL, n)
			}
			if !strings.Contains(out, "woocommerce store address refused") || !strings.Contains(out, s.why) {
				t.Errorf("log does not say the address of %s is refused because %s:\n%s", s.store.URL, s.why, out)
			}
		}
	})
}
