package app

import (
	"context"
	"github.com/ordertrack/ordertrack/app/apptest"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// A subscribe call that fails is not repeated on every run of the
// subscription job (each minute): the shipment waits 15 min, then 30, and
// is polled as without push meanwhile; once UPS answers it is live.
func TestFailingSubscribeBacksOff(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		var down atomic.Bool
		var calls atomic.Int32
		down.Store(true)
		ups := apptest.NewUPS(t)
		upsBase, _ := neturl.Parse(ups.URL)
		proxy := httputil.NewSingleHostReverseProxy(upsBase)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/track/v1/subscription/standard/package" {
				calls.Add(1)
				if down.Load() {
					http.Error(w, `{"response":{"errors":[{"code":"9999","message":"service unavailable"}]}}`, http.StatusServiceUnavailable)
					return
				}
			}
			proxy.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		var clock atomic.Pointer[time.Time]
		at := func(d time.Duration) { t := recordedAt.Add(d); clock.Store(&t) }
		at(0)
		a, _ := startApp(t, url, Config{AppURL: "https://track.example", Carriers: map[string]registry.Creds{"ups": {
			"client_id": "id", "client_secret": "secret", registry.BaseURL: srv.URL, registry.WebhookSecret: "cred",
		}}}, withClock(func() time.Time { return *clock.Load() }))
		ctx := context.Background()
		tok := seedOrder(t, a, "ups-backoff.myshopify.com", "#1", "b@example.com")
		s, err := a.db.ShipmentByToken(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			at    time.Duration
			up    bool
			calls int32
		}{
			{0, false, 1},                // fails: next try in 15 min
			{time.Minute, false, 1},      // the next run asks nothing
			{14 * time.Minute, false, 1}, // nor one just before
			{15 * time.Minute, false, 2}, // fails again: 30 min
			{44 * time.Minute, true, 2},
			{45 * time.Minute, true, 3}, // answered
		}
		for _, st := range steps {
			at(st.at)
			down.Store(!st.up)
			a.polling.SubscribePushes(ctx, nil) // a failing carrier's error is the job's to log
			if got := calls.Load(); got != st.calls {
				t.Fatalf("subscribe calls at +%s = %d; want %d", st.at, got, st.calls)
			}
		}
		sub, err := a.db.Subscription(ctx, s.ID)
		if err != nil || sub.Status != storage.SubscriptionLive || sub.Attempts != 0 || sub.RetryAt != nil {
			t.Fatalf("subscription = %+v, %v; want live, backoff cleared", sub, err)
		}
	})
}
