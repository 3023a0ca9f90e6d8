package app

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// shopifySender delivers signed webhooks the way Shopify does: each delivery
// id is retried with backoff until it gets a 200, so the app may refuse one
// (non-200, broken connection) but must never answer 200 without storing it.
type shopifySender struct {
	base     string
	client   *http.Client
	accepted atomic.Int64 // 200s
	refused  atomic.Int64 // non-200 answers and broken requests

	mu     sync.Mutex
	ids    []string // every delivery id sent
	gaveUp []string // ids that never got a 200
}

// run sends new deliveries, one after another, until stop is closed, then
// finishes the one in hand. A delivery not accepted by giveUp is abandoned.
func (s *shopifySender) run(sender int, stop <-chan struct{}, giveUp time.Time) {
	for seq := 0; ; seq++ {
		select {
		case <-stop:
			return
		default:
		}
		id := fmt.Sprintf("pgrestart-%d-%d", sender, seq)
		body := shopifytest.SampleOrder(int64(sender*1_000_000+seq), time.Now().UTC()).WebhookJSON()
		s.mu.Lock()
		s.ids = append(s.ids, id)
		s.mu.Unlock()
		for wait := 10 * time.Millisecond; !s.deliver(id, body); wait = min(2*wait, 400*time.Millisecond) {
			s.refused.Add(1)
			if time.Now().After(giveUp) {
				s.mu.Lock()
				s.gaveUp = append(s.gaveUp, id)
				s.mu.Unlock()
				return
			}
			time.Sleep(wait)
		}
		s.accepted.Add(1)
		time.Sleep(5 * time.Millisecond) // a steady stream, not a flood
	}
}

func (s *shopifySender) deliver(id string, body []byte) bool {
	req, _ := http.NewRequest(http.MethodPost, s.base+"/webhooks/shopify", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shopify-Topic", "orders/create")
	req.Header.Set("X-Shopify-Shop-Domain", "restart.myshopify.com")
	req.Header.Set("X-Shopify-Webhook-Id", id)
	req.Header.Set("X-Shopify-Hmac-Sha256", shopifytest.SignWebhook(testSecret, body))
	res, err := s.client.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// The database crashes (an immediate stop) and comes back while Shopify
// keeps delivering. Every 200 must mean a stored delivery with its job, and
// the app must take deliveries again, and process them, once the database is
// back. The restart runs on a private cluster: the shared one serves the
// other test packages meanwhile.
func TestPostgresRestartUnderWebhookLoadLosesNoAcceptedWebhook(t *testing.T) {
	t.Parallel()
	pg := storagetest.StartPrivatePostgres(t)
	a, base := startApp(t, pg.URL, Config{})
	readyz := func() int { code, _ := apptest.Get(t, base+"/readyz"); return code }

	// Shopify gives up on an answer after 5 s.
	s := &shopifySender{base: base, client: &http.Client{Timeout: 5 * time.Second}}
	const senders = 4
	stop := make(chan struct{})
	var wg sync.WaitGroup
	giveUp := time.Now().Add(25 * time.Second)
	for i := range senders {
		wg.Add(1)
		go func() { defer wg.Done(); s.run(i, stop, giveUp) }()
	}
	finish := sync.OnceFunc(func() { close(stop); wg.Wait() })
	t.Cleanup(finish) // before the app stops, should the test end early

	apptest.WaitUntil(t, "webhooks accepted before the restart", func() bool { return s.accepted.Load() >= 50 })
	refusedBefore := s.refused.Load()
	pg.Stop(t)
	stoppedAt, acceptedDown := time.Now(), s.accepted.Load()
	// Each sender is refused a few times, so its retries meet the outage too.
	apptest.WaitUntil(t, "senders to be refused while the database is down", func() bool { return s.refused.Load() >= refusedBefore+3*senders })
	if code := readyz(); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database down = %d; want 503", code)
	}
	acceptedDown = s.accepted.Load() - acceptedDown
	pg.Start(t)
	apptest.WaitUntil(t, "/readyz ready after the restart", func() bool { return readyz() == http.StatusOK })
	unready := time.Since(stoppedAt)
	acceptedAfter := s.accepted.Load()
	apptest.WaitUntil(t, "webhooks accepted after the restart", func() bool { return s.accepted.Load() >= acceptedAfter+50 })
	finish()

	ids, gaveUp := s.ids, s.gaveUp
	t.Logf("%d deliveries, %d accepted, %d refused or broken; unready for %v (%d accepted meanwhile: requests in flight)",
		len(ids), s.accepted.Load(), s.refused.Load(), unready.Round(time.Millisecond), acceptedDown)
	if len(gaveUp) > 0 {
		t.Errorf("%d deliveries never got a 200 after the restart, e.g. %s", len(gaveUp), gaveUp[0])
	}

	// Every accepted delivery is stored exactly once: one refused though its
	// commit landed is stored once when retried, as the id is unique.
	var rows []struct {
		DeliveryID string
		N          int
	}
	if err := a.db.Gorm.Raw("SELECT delivery_id, count(*) AS n FROM webhook_deliveries GROUP BY delivery_id").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	stored := make(map[string]int, len(rows))
	for _, r := range rows {
		stored[r.DeliveryID] = r.N
	}
	lost, twice := 0, 0
	for _, id := range ids {
		switch n := stored[id]; {
		case n == 0:
			lost++
		case n > 1:
			twice++
		}
	}
	if lost > 0 || twice > 0 || len(stored) != len(ids) {
		t.Errorf("of %d deliveries sent, %d are not stored, %d are stored more than once, %d distinct are stored; want each stored once",
			len(ids), lost, twice, len(stored))
	}

	// Each stored delivery has its job (enqueued in the same transaction),
	// and the workers, cut off mid-job by the crash, process every one.
	// (The shop is unknown, so processing only marks the delivery.)
	var unqueued int64
	storagetest.Query(t, a.db, `SELECT count(*) FROM webhook_deliveries d WHERE NOT EXISTS (
		SELECT 1 FROM river_job j WHERE j.kind = 'process_webhook' AND (j.args->>'delivery_id')::bigint = d.id)`, nil, &unqueued)
	if unqueued > 0 {
		t.Errorf("%d stored deliveries have no process_webhook job; want each enqueued with it", unqueued)
	}
	apptest.WaitUntil(t, "every delivery processed after the restart", func() bool {
		return storagetest.Count(t, a.db, "webhook_deliveries", "status = 'received'") == 0
	})
}
