package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/ingest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/throttle"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
)

// postShopWebhook posts a signed orders/create of order id for shop.
func postShopWebhook(t *testing.T, base, shop, id string, order int64) {
	t.Helper()
	body := shopifytest.SampleOrder(order, time.Now().UTC()).WebhookJSON()
	if code := apptest.PostShopifyWebhook(t, base, shop, "orders/create", id, body, testSecret); code != http.StatusOK {
		t.Fatalf("webhook %s of %s: status %d; want 200", id, shop, code)
	}
}

// webhookJob is what a test sees of a delivery's processing job.
type webhookJob struct {
	Queue   string
	Snoozes int // times it waited for its shop's slots
}

// webhookJobs maps each delivery id (the platform's) to its processing job.
func webhookJobs(t *testing.T, a *App) map[string]webhookJob {
	t.Helper()
	var rows []struct {
		Queue          string
		Args, Metadata string
	}
	q := "SELECT queue, args::text AS args, metadata::text AS metadata FROM river_job WHERE kind = ?"
	if a.db.Dialect == storage.SQLite {
		q = "SELECT queue, json(args) AS args, json(metadata) AS metadata FROM river_job WHERE kind = ?"
	}
	if err := a.db.Gorm.Raw(q, jobs.ProcessWebhookArgs{}.Kind()).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]webhookJob{}
	for _, r := range rows {
		var args jobs.ProcessWebhookArgs
		var meta struct {
			Snoozes int `json:"snoozes"`
		}
		if err := errors.Join(json.Unmarshal([]byte(r.Args), &args), json.Unmarshal([]byte(r.Metadata), &meta)); err != nil {
			t.Fatalf("job args %s, metadata %s: %v", r.Args, r.Metadata, err)
		}
		d, err := a.db.Delivery(context.Background(), args.DeliveryID)
		if err != nil {
			t.Fatal(err)
		}
		out[d.DeliveryID] = webhookJob{Queue: r.Queue, Snoozes: meta.Snoozes}
	}
	return out
}

// A shop sending deliveries faster than its pace (20 at once, then 5 a
// second) has the rest processed on the bulk queue; another shop's next
// delivery still goes to the webhooks queue.
func TestDeliveriesOverTheShopsPaceGoToTheBulkQueue(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{}, atRecordingTime()) // the clock stands still: no pace comes back
		for i := range throttle.ShopBurst + 2 {
			postShopWebhook(t, base, "flood.myshopify.com", fmt.Sprintf("flood-%d", i), int64(9000+i))
		}
		postShopWebhook(t, base, "quiet.myshopify.com", "quiet-0", 9999)
		got := webhookJobs(t, a)
		for i := range throttle.ShopBurst + 2 {
			want := jobs.QueueWebhooks
			if i >= throttle.ShopBurst {
				want = jobs.QueueWebhooksBulk
			}
			if q := got[fmt.Sprintf("flood-%d", i)].Queue; q != want {
				t.Errorf("flooding shop's delivery %d on queue %q; want %q", i, q, want)
			}
		}
		if q := got["quiet-0"].Queue; q != jobs.QueueWebhooks {
			t.Errorf("the other shop's delivery on queue %q; want %q", q, jobs.QueueWebhooks)
		}
	})
}

// While a shop's deliveries take all its processing slots, its next one
// waits (snoozed) and another shop's is processed; once a slot is free,
// the waiting one is processed too.
func TestDeliveryOfAShopWithEverySlotTakenWaitsForOthers(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{})
		ctx := context.Background()
		for _, d := range []string{"busy.myshopify.com", "other.myshopify.com"} {
			if err := a.db.UpsertShop(ctx, &storage.Shop{Platform: storage.Shopify, Domain: d}); err != nil {
				t.Fatal(err)
			}
		}
		var releases []func()
		for range ingest.ShopSlots {
			release, ok := a.ingest.TakeSlot("busy.myshopify.com")
			if !ok {
				t.Fatal("a free slot was refused")
			}
			releases = append(releases, release)
		}
		postShopWebhook(t, base, "busy.myshopify.com", "busy-1", 8001)
		postShopWebhook(t, base, "other.myshopify.com", "other-1", 8002)
		status := func(id string) string {
			var d storage.WebhookDelivery
			a.db.Gorm.Where("delivery_id = ?", id).Take(&d)
			return d.Status
		}
		apptest.WaitUntil(t, "the other shop's delivery processed", func() bool { return status("other-1") == storage.DeliveryProcessed })
		apptest.WaitUntil(t, "the busy shop's delivery snoozed", func() bool { return webhookJobs(t, a)["busy-1"].Snoozes > 0 })
		if s := status("busy-1"); s != storage.DeliveryReceived {
			t.Fatalf("busy shop's delivery is %q while its slots are taken; want it waiting (received)", s)
		}
		releases[0]()
		apptest.WaitUntil(t, "the busy shop's delivery processed once a slot is free", func() bool { return status("busy-1") == storage.DeliveryProcessed })
		releases[1]()
	})
}

// notifyQueues counts each shop's notification jobs by queue.
func notifyQueues(t *testing.T, a *App) map[string]map[string]int {
	t.Helper()
	var rows []struct{ Queue, Args string }
	q := "SELECT queue, args::text AS args FROM river_job WHERE kind = ?"
	if a.db.Dialect == storage.SQLite {
		q = "SELECT queue, json(args) AS args FROM river_job WHERE kind = ?"
	}
	if err := a.db.Gorm.Raw(q, jobs.NotifyArgs{}.Kind()).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]int{}
	for _, r := range rows {
		var args jobs.NotifyArgs
		if err := json.Unmarshal([]byte(r.Args), &args); err != nil {
			t.Fatalf("job args %s: %v", r.Args, err)
		}
		var shop string
		if err := a.db.Gorm.Raw("SELECT shops.domain FROM shipments JOIN shops ON shops.id = shipments.shop_id WHERE shipments.id = ?", args.ShipmentID).Scan(&shop).Error; err != nil {
			t.Fatal(err)
		}
		if out[shop] == nil {
			out[shop] = map[string]int{}
		}
		out[shop][r.Queue]++
	}
	return out
}

// A shop whose new parcels fire more notifications than its pace (20 at
// once, then 5 a second) has the rest queued on the bulk queue; another
// shop's next notification still goes to the default queue.
func TestNotificationsOverTheShopsPaceGoToTheBulkQueue(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{}, atRecordingTime()) // the clock stands still: no pace comes back
		ctx := context.Background()
		for _, d := range []string{"flood.myshopify.com", "quiet.myshopify.com"} {
			if err := a.db.UpsertShop(ctx, &storage.Shop{Platform: storage.Shopify, Domain: d}); err != nil {
				t.Fatal(err)
			}
		}
		const parcels = throttle.ShopBurst + 5
		big := shopifytest.SampleOrder(7001, recordedAt)
		big.Fulfillments[0].Numbers, big.Fulfillments[0].URLs = nil, nil
		for i := range parcels {
			big.Fulfillments[0].Numbers = append(big.Fulfillments[0].Numbers, fmt.Sprintf("SIMPACE%04d", i))
		}
		body := big.WebhookJSON()
		req, _ := http.NewRequest(http.MethodPost, base+"/webhooks/shopify", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Shopify-Topic", "orders/create")
		req.Header.Set("X-Shopify-Shop-Domain", "flood.myshopify.com")
		req.Header.Set("X-Shopify-Webhook-Id", "flood-big")
		req.Header.Set("X-Shopify-Hmac-Sha256", shopifytest.SignWebhook(testSecret, body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("webhook: status %d; want 200", res.StatusCode)
		}
		postShopWebhook(t, base, "quiet.myshopify.com", "quiet-0", 7002)
		processed := func(id string) bool {
			var d storage.WebhookDelivery
			a.db.Gorm.Where("delivery_id = ?", id).Take(&d)
			return d.Status == storage.DeliveryProcessed
		}
		apptest.WaitUntil(t, "both deliveries processed", func() bool { return processed("flood-big") && processed("quiet-0") })
		got := notifyQueues(t, a)
		if want := map[string]int{river.QueueDefault: throttle.ShopBurst, jobs.QueueBulk: parcels - throttle.ShopBurst}; !maps.Equal(got["flood.myshopify.com"], want) {
			t.Errorf("flooding shop's notifications by queue: %v; want %v", got["flood.myshopify.com"], want)
		}
		if want := map[string]int{river.QueueDefault: 1}; !maps.Equal(got["quiet.myshopify.com"], want) {
			t.Errorf("the other shop's notifications by queue: %v; want %v", got["quiet.myshopify.com"], want)
		}
	})
}
