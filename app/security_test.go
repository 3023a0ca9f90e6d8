package app

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// lookupFrom posts the order lookup form as a client at ip behind the proxy
// (Fly's proxy appends the client's address to X-Forwarded-For; spoofed
// entries come before it).
func lookupFrom(t *testing.T, base, shop, ip, spoofed, order, contact string) (int, string) {
	t.Helper()
	form := url.Values{trackpage.FieldOrder: {order}, trackpage.FieldContact: {contact}}
	req, _ := http.NewRequest(http.MethodPost, base+"/track?shop="+url.QueryEscape(shop), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", spoofed+", "+ip)
	res, body := apptest.Do(t, req)
	// The form echoes what was typed; take it out to compare answers.
	return res.StatusCode, strings.NewReplacer(`value="`+html.EscapeString(order)+`"`, `value="ORDER"`, `value="`+html.EscapeString(contact)+`"`, `value="CONTACT"`).Replace(body)
}

func TestOrderLookupAnswersWrongOrderAndWrongEmailAlike(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		shop := seedDueShipments(t, a, "lookup.myshopify.com", 1)
		email := "shopper0@lookup.myshopify.com.example"

		wrongEmailCode, wrongEmail := lookupFrom(t, base, shop.Domain, "203.0.113.1", "10.0.0.1", "#1001", "someone@example.com")
		wrongOrderCode, wrongOrder := lookupFrom(t, base, shop.Domain, "203.0.113.2", "10.0.0.1", "#9999", email)
		if wrongEmailCode != wrongOrderCode || wrongEmail != wrongOrder {
			t.Errorf("wrong email answered %d, wrong order answered %d; bodies equal: %v; want the same answer", wrongEmailCode, wrongOrderCode, wrongEmail == wrongOrder)
		}
		if code, page := lookupFrom(t, base, shop.Domain, "203.0.113.3", "10.0.0.1", "#1001", email); code != http.StatusOK || !strings.Contains(page, `id="ot-headline"`) {
			t.Errorf("right order and email answered %d; want 200 with the tracking page", code)
		}
	})
}

func TestOrderLookupBruteForceIsThrottledPerClient(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		shop := seedDueShipments(t, a, "brute.myshopify.com", 1)
		email := "shopper0@brute.myshopify.com.example"

		// One attacker guessing emails, rotating the spoofable part of the
		// forwarded-for header.
		var codes []int
		for i := range 12 {
			code, _ := lookupFrom(t, base, shop.Domain, "198.51.100.9", fmt.Sprintf("10.1.%d.%d", i, i), "#1001", fmt.Sprintf("guess%d@example.com", i))
			codes = append(codes, code)
		}
		throttled := 0
		for _, c := range codes {
			if c == http.StatusTooManyRequests {
				throttled++
			}
		}
		if codes[0] != http.StatusOK || throttled < 6 {
			t.Fatalf("12 wrong guesses from one client answered %v; want 200 first and mostly 429 after the limit", codes)
		}
		if code, _ := lookupFrom(t, base, shop.Domain, "198.51.100.9", "10.9.9.9", "#1001", email); code != http.StatusTooManyRequests {
			t.Errorf("a right guess after the limit answered %d; want 429 (a throttled client learns nothing)", code)
		}
		if code, page := lookupFrom(t, base, shop.Domain, "198.51.100.10", "10.9.9.9", "#1001", email); code != http.StatusOK || !strings.Contains(page, `id="ot-headline"`) {
			t.Errorf("another client's right guess answered %d; want 200 with the tracking page (throttling is per client)", code)
		}
	})
}

func TestAdminOfOneShopCannotSeeOrReplayAnotherShopsData(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		ctx := context.Background()
		shopA := seedDueShipments(t, a, "tenant-a.myshopify.com", 1)
		shopB := seedDueShipments(t, a, "tenant-b.myshopify.com", 1)
		var shipA, shipB storage.Shipment
		a.db.Gorm.Where("shop_id = ?", shopA.ID).Take(&shipA)
		a.db.Gorm.Where("shop_id = ?", shopB.ID).Take(&shipB)
		deliveries := map[int64]*storage.WebhookDelivery{}
		for _, s := range []*storage.Shop{shopA, shopB} {
			d := &storage.WebhookDelivery{ShopID: &s.ID, Platform: storage.Shopify, DeliveryID: "wh-" + s.Domain, Topic: "orders/create",
				ShopDomain: s.Domain, Payload: []byte(`{}`), Status: storage.DeliveryFailed, Error: "broken-" + s.Domain, ReceivedAt: time.Now().UTC()}
			if _, err := a.db.RecordDelivery(ctx, d); err != nil {
				t.Fatal(err)
			}
			deliveries[s.ID] = d
			n := &storage.Notification{ShopID: s.ID, Trigger: "shipped", Channel: "email", Recipient: "outbox-" + s.Domain + "@example.com",
				DedupeKey: "k-" + s.Domain, Status: storage.NotificationSkipped}
			if _, err := a.db.CreateNotification(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		ck, csrf := signInCookie(t, a, base, shopA.ID)

		pages := []struct{ path, own, other string }{
			{"/admin/shipments", fmt.Sprintf(`/admin/shipments/%d"`, shipA.ID), fmt.Sprintf(`/admin/shipments/%d"`, shipB.ID)},
			{"/admin/shipments?q=" + shipB.TrackingNumber, "", fmt.Sprintf(`/admin/shipments/%d"`, shipB.ID)},
			{fmt.Sprintf("/admin/shipments/%d", shipA.ID), "/t/" + shipA.PublicToken, "/t/" + shipB.PublicToken},
			{"/admin/webhooks", "broken-" + shopA.Domain, "broken-" + shopB.Domain},
			{"/admin/outbox", "outbox-" + shopA.Domain, "outbox-" + shopB.Domain},
		}
		for _, p := range pages {
			code, body := apptest.Get(t, base+p.path, ck)
			if code != http.StatusOK || !strings.Contains(body, p.own) || strings.Contains(body, p.other) {
				t.Errorf("GET %s as shop A: status %d, shows own %q: %v, shows shop B's %q: %v; want 200, own yes, B's no",
					p.path, code, p.own, strings.Contains(body, p.own), p.other, strings.Contains(body, p.other))
			}
		}

		replay := func(id int64) int {
			res, _ := apptest.PostForm(t, fmt.Sprintf("%s/admin/webhooks/%d/replay", base, id), url.Values{"_csrf": {csrf}}, ck)
			return res.StatusCode
		}
		if code := replay(deliveries[shopB.ID].ID); code != http.StatusNotFound {
			t.Errorf("replay of shop B's delivery with shop A's session: status %d; want 404", code)
		}
		var b storage.WebhookDelivery
		a.db.Gorm.Take(&b, deliveries[shopB.ID].ID)
		if b.Status != storage.DeliveryFailed {
			t.Errorf("shop B's delivery status = %q after shop A's replay; want it untouched (failed)", b.Status)
		}
		if code := replay(deliveries[shopA.ID].ID); code != http.StatusSeeOther {
			t.Errorf("replay of shop A's own delivery: status %d; want 303", code)
		}
		if res, _ := apptest.PostForm(t, fmt.Sprintf("%s/admin/webhooks/%d/replay", base, deliveries[shopA.ID].ID), url.Values{"_csrf": {"forged"}}, ck); res.StatusCode != http.StatusForbidden {
			t.Errorf("replay with a forged form token: status %d; want 403", res.StatusCode)
		}

		// A session value re-pointed at shop B keeps A's signature: rejected.
		forged := *ck
		_, rest, _ := strings.Cut(ck.Value, ".")
		forged.Value = fmt.Sprintf("%d.%s", shopB.ID, rest)
		if code, _ := apptest.Get(t, base+"/admin/shipments", &forged); code != http.StatusUnauthorized {
			t.Errorf("admin with a session re-pointed at shop B: status %d; want 401", code)
		}
	})
}

// logBuffer collects every log line of an app, at every level.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestSecretsNeverReachTheLogs(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		logs := &logBuffer{}
		ups := apptest.NewUPS(t)
		ups.SetOutage(apptest.ServerError)
		const upsClientSecret = "ups-client-secret-sekrit"
		a, base := startApp(t, dbURL, Config{Carriers: map[string]registry.Creds{"ups": {"client_id": "ups-client-id", "client_secret": upsClientSecret, registry.BaseURL: ups.URL}}},
			withLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		ctx := context.Background()
		shop := seedDueShipments(t, a, "shop-a.myshopify.com", 1)
		const accessToken, refreshToken = "shpat_access_token_sekrit", "shprt_refresh_token_sekrit"
		if err := a.db.SetSecrets(ctx, shop.ID, storage.Secrets{AccessToken: accessToken, RefreshToken: refreshToken, APISecret: "shop-api-secret-sekrit"}); err != nil {
			t.Fatal(err)
		}

		// A signed webhook, a forged one and a malformed one; a carrier
		// poll that fails and one that succeeds.
		order := shopifytest.SampleOrder(7001, time.Now().UTC().Add(-time.Hour)).WebhookJSON()
		apptest.PostShopifyWebhook(t, base, shopA, "orders/create", "wh-log-1", order, testSecret)
		apptest.PostShopifyWebhook(t, base, shopA, "orders/create", "wh-log-2", order, "forged-secret")
		apptest.PostShopifyWebhook(t, base, shopA, "orders/create", "wh-log-3", []byte(`{"id":`), testSecret)
		if _, err := a.jobs.Insert(ctx, jobs.SchedulePollsArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		apptest.WaitUntil(t, "the failed poll and the webhooks to be processed", func() bool {
			var failed, processed int64
			failed = storagetest.Count(t, a.db, "shipments", "shop_id = ? AND poll_failures > 0", shop.ID)
			processed = storagetest.Count(t, a.db, "webhook_deliveries", "status <> ?", storage.DeliveryReceived)
			// The webhook's own UPS shipment may be polled (and fail) too.
			return failed >= 1 && processed == 2
		})
		apptest.WaitUntil(t, "the job queue to drain", func() bool { return pendingJobs(t, a.db) == 0 })
		ups.SetOutage(apptest.Up)
		a.db.Gorm.Model(&storage.Shipment{}).Where("shop_id = ?", shop.ID).UpdateColumn("next_poll_at", time.Now().UTC().Add(-time.Minute))
		if _, err := a.jobs.Insert(ctx, jobs.SchedulePollsArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		apptest.WaitUntil(t, "the successful poll", func() bool {
			n := storagetest.Count(t, a.db, "shipments", "shop_id = ? AND tracking_number LIKE ? AND stage = ?", shop.ID, "1ZFAULT%", "in_transit")
			return n == 1
		})
		apptest.WaitUntil(t, "the job queue to drain", func() bool { return pendingJobs(t, a.db) == 0 })

		out := logs.String()
		if !strings.Contains(out, "carrier poll failed") {
			t.Fatalf("the logs lack the failed poll; the capture is not working:\n%s", out)
		}
		secrets := map[string]string{
			"Shopify API secret": testSecret, "shop access token": accessToken, "shop refresh token": refreshToken,
			"shop API secret": "shop-api-secret-sekrit", "UPS client secret": upsClientSecret,
			"UPS access token": "ups-access-token-sekrit", "encryption key": string(storagetest.Key),
		}
		for what, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("the logs contain the %s", what)
			}
		}
	})
}
