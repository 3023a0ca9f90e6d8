package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestWebhookToShipmentToMessage(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		ups := apptest.NewUPS(t)
		a, base := startApp(t, url, Config{Carriers: map[string]registry.Creds{"ups": {"client_id": "id", "client_secret": "secret", registry.BaseURL: ups.URL}}}, atRecordingTime())
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.Shopify, Domain: "shop-a.myshopify.com", Name: "Shop A"}
		if err := a.db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		order := shopifytest.SampleOrder(5001, time.Now().UTC().Add(-time.Hour))
		body := order.WebhookJSON()

		if code := apptest.PostShopifyWebhook(t, base, shopA, "orders/create", "wh-1", body, testSecret); code != http.StatusOK {
			t.Fatalf("signed webhook: status %d; want 200", code)
		}
		if code := apptest.PostShopifyWebhook(t, base, shopA, "orders/create", "wh-1", body, testSecret); code != http.StatusOK {
			t.Fatalf("redelivered webhook: status %d; want 200", code)
		}
		var ship storage.Shipment
		apptest.WaitUntil(t, "the order's shipment", func() bool {
			return a.db.Gorm.Where("shop_id = ?", shop.ID).Take(&ship).Error == nil
		})
		if ship.Carrier != "ups" || ship.TrackingNumber != "1Z999AA10123456784" {
			t.Fatalf("shipment = %s %s; want ups 1Z999AA10123456784", ship.Carrier, ship.TrackingNumber)
		}
		var stored storage.Order
		a.db.Gorm.Take(&stored, ship.OrderID)
		if stored.Timezone != "America/Los_Angeles" {
			t.Fatalf("order to San Francisco has zone %q; want America/Los_Angeles (quiet hours and delays use it)", stored.Timezone)
		}
		if want := order.CreatedAt.Truncate(time.Second); !stored.CreatedAt.Equal(want) {
			t.Fatalf("order placed %v stored as created %v; want the shopper's date (the page shows it)", want, stored.CreatedAt)
		}
		if _, err := a.jobs.Insert(ctx, jobs.SchedulePollsArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		apptest.WaitUntil(t, "the UPS poll to move the shipment in transit", func() bool {
			ship = storage.Shipment{ID: ship.ID} // fresh: GORM leaves a pointer field set when the column is NULL
			a.db.Gorm.Take(&ship)
			return ship.Stage == "in_transit"
		})
		if ups.Calls() != 1 {
			t.Fatalf("UPS called %d times; want 1", ups.Calls())
		}
		if ship.ETALatest == nil || ship.ETASource != "carrier" || ship.NextPollAt == nil {
			t.Fatalf("after poll: eta=%v source=%q next=%v; want carrier ETA and a next poll", ship.ETALatest, ship.ETASource, ship.NextPollAt)
		}
		var sent storage.Notification
		apptest.WaitUntil(t, "the shipped email in the outbox", func() bool {
			return a.db.Gorm.Where("shop_id = ? AND trigger = ? AND channel = ? AND status = ?", shop.ID, "shipped", "email", "sent").Take(&sent).Error == nil
		})
		if sent.Recipient != "ana@example.com" || !strings.Contains(sent.Body, "1Z999AA10123456784") || !strings.Contains(sent.Body, "/t/"+ship.PublicToken) {
			t.Fatalf("shipped email to %q body:\n%s\nwant the number and the tracking link", sent.Recipient, sent.Body)
		}
		deliveries := storagetest.Count(t, a.db, "webhook_deliveries", "")
		if deliveries != 1 {
			t.Fatalf("stored %d deliveries for one webhook sent twice; want 1", deliveries)
		}
	})
}

func TestWebhookWithBadSignatureStoresNothing(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{})
		body := shopifytest.SampleOrder(5002, time.Now()).WebhookJSON()
		for _, secret := range []string{"wrong-secret", ""} {
			if code := apptest.PostShopifyWebhook(t, base, shopA, "orders/create", "wh-bad-"+secret, body, secret); code != http.StatusUnauthorized {
				t.Fatalf("webhook signed with %q: status %d; want 401", secret, code)
			}
		}
		n := storagetest.Count(t, a.db, "webhook_deliveries", "")
		if n != 0 {
			t.Fatalf("stored %d deliveries after bad signatures; want 0", n)
		}
	})
}

func TestMalformedWebhookIsKeptAsFailed(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{})
		ctx := context.Background()
		if err := a.db.UpsertShop(ctx, &storage.Shop{Platform: storage.Shopify, Domain: "shop-a.myshopify.com"}); err != nil {
			t.Fatal(err)
		}
		body := []byte(`{"id": "not-a-number", "line_items": 7`)
		if code := apptest.PostShopifyWebhook(t, base, shopA, "orders/create", "wh-broken", body, testSecret); code != http.StatusOK {
			t.Fatalf("malformed but signed webhook: status %d; want 200 (kept for replay)", code)
		}
		var d storage.WebhookDelivery
		apptest.WaitUntil(t, "the delivery marked failed", func() bool {
			return a.db.Gorm.Where("delivery_id = ? AND status = ?", "wh-broken", storage.DeliveryFailed).Take(&d).Error == nil
		})
		if !bytes.Equal(d.Payload, body) || d.Error == "" {
			t.Fatalf("failed delivery payload=%q error=%q; want the raw body and a reason", d.Payload, d.Error)
		}
	})
}

func TestMerchantCarrierAccountIsUsedForItsShop(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		platform := apptest.NewUPS(t)
		merchant := apptest.NewUPS(t)
		a, _ := startApp(t, url, Config{Carriers: map[string]registry.Creds{"ups": {"client_id": "id", "client_secret": "secret", registry.BaseURL: platform.URL}}})
		ctx := context.Background()
		tokOwn := seedOrder(t, a, "own.myshopify.com", "#1", "a@example.com")
		tokPlatform := seedOrder(t, a, "plain.myshopify.com", "#2", "b@example.com")
		own, err := a.db.ShopByDomain(ctx, storage.Shopify, "own.myshopify.com")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.db.SetCarrierAccount(ctx, own.ID, "ups", map[string]string{"client_id": "m", "client_secret": "s", "base_url": merchant.URL}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.jobs.Insert(ctx, jobs.SchedulePollsArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{tokOwn, tokPlatform} {
			apptest.WaitUntil(t, "both shipments polled", func() bool {
				s, err := a.db.ShipmentByToken(ctx, tok)
				return err == nil && s.Stage == "in_transit"
			})
		}
		if merchant.Calls() != 1 || platform.Calls() != 1 {
			t.Fatalf("merchant account got %d calls, platform %d; want 1 each", merchant.Calls(), platform.Calls())
		}
	})
}

func TestCarrierPushUpdatesTheShipmentAndPollsLess(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		const secret = "aftership-webhook-secret"
		a, base := startApp(t, url, Config{Carriers: map[string]registry.Creds{"aftership": {registry.WebhookSecret: secret}}}, atRecordingTime())
		ctx := context.Background()
		tok := seedOrder(t, a, "push.myshopify.com", "#1", "p@example.com") // UPS 1Z999AA10123456784
		body := []byte(`{"ts":1764000000,"event":"tracking_update","event_id":"evt-1","msg":{"tracking_number":"1Z999AA10123456784","slug":"ups",
		  "tag":"OutForDelivery","checkpoints":[{"checkpoint_time":"2026-11-25T07:30:00-05:00","city":"AUSTIN","state":"TX","country_iso3":"USA",
		  "message":"Out For Delivery Today","tag":"OutForDelivery","subtag":"OutForDelivery_001"}]}}`)
		if code := apptest.PostAfterShip(t, base, body, base64.StdEncoding.EncodeToString([]byte("forged"))); code != http.StatusUnauthorized {
			t.Fatalf("forged push = %d; want 401", code)
		}
		n := storagetest.Count(t, a.db, "webhook_deliveries", "")
		if n != 0 {
			t.Fatalf("forged push stored %d deliveries", n)
		}
		for range 2 {
			if code := apptest.PostAfterShip(t, base, body, apptest.AfterShipSignature(secret, body)); code != http.StatusOK {
				t.Fatalf("signed push = %d; want 200", code)
			}
		}
		var s *storage.Shipment
		apptest.WaitUntil(t, "the pushed out-for-delivery scan, then polling only as a 12 h safety net", func() bool {
			var err error
			s, err = a.db.ShipmentByToken(ctx, tok)
			return err == nil && s.Stage == "out_for_delivery" && s.NextPollAt != nil && s.NextPollAt.After(recordedAt.Add(11*time.Hour))
		})
		n = storagetest.Count(t, a.db, "webhook_deliveries", "")
		if n != 1 {
			t.Fatalf("push delivered twice stored %d deliveries; want 1", n)
		}
	})
}

func TestPollingPolicySeesAParcelAtAFacilityFromItsStoredScans(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		const secret = "aftership-webhook-secret"
		var mu sync.Mutex
		var states []tracking.PollState
		record := func(s tracking.PollState, now time.Time, cal tracking.Calendar, rnd func() float64) (time.Time, bool) {
			mu.Lock()
			states = append(states, s)
			mu.Unlock()
			return tracking.NextPoll(s, now, cal, rnd)
		}
		a, base := startApp(t, url, Config{Carriers: map[string]registry.Creds{"aftership": {registry.WebhookSecret: secret}}},
			withPolicy(record))
		ctx := context.Background()
		tok := seedOrder(t, a, "hub.myshopify.com", "#1", "h@example.com") // UPS 1Z999AA10123456784
		body := []byte(`{"ts":1764000000,"event":"tracking_update","event_id":"evt-hub","msg":{"tracking_number":"1Z999AA10123456784","slug":"ups",
		  "tag":"InTransit","checkpoints":[{"checkpoint_time":"2026-11-24T21:10:00-05:00","city":"LOUISVILLE","state":"KY","country_iso3":"USA",
		  "message":"Arrived at Facility","tag":"InTransit","subtag":"InTransit_003"}]}}`)
		if code := apptest.PostAfterShip(t, base, body, apptest.AfterShipSignature(secret, body)); code != http.StatusOK {
			t.Fatalf("signed push = %d; want 200", code)
		}
		var s *storage.Shipment
		apptest.WaitUntil(t, "the pushed arrival scan", func() bool {
			var err error
			s, err = a.db.ShipmentByToken(ctx, tok)
			return err == nil && s.Stage == "in_transit"
		})
		// A failed poll brings no scans: what the policy knows comes from
		// the stored timeline.
		if err := a.polling.ApplyResult(ctx, s, tracking.Result{}, true, 0); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		var failed []tracking.PollState
		for _, st := range states {
			if st.Failures > 0 {
				failed = append(failed, st)
			}
		}
		if len(failed) != 1 || !failed[0].AtFacility {
			t.Fatalf("policy saw %+v after the failed poll; want one state with AtFacility set from the stored arrival scan", failed)
		}
	})
}
