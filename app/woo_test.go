package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/install"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/integrations/woocommerce/wootest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// beginConnect starts the connect flow and returns the authorize redirect
// and the cookie that binds the flow to this browser.
func beginConnect(t *testing.T, base, storeURL string) (*url.URL, *http.Cookie) {
	t.Helper()
	res, _ := apptest.Fetch(t, base+"/auth/woocommerce/start?store="+url.QueryEscape(storeURL), nil)
	if res.StatusCode != http.StatusFound {
		t.Fatalf("start: status %d; want 302 to the store", res.StatusCode)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Cookies() {
		if c.Name == install.WooConnectCookie {
			return loc, c
		}
	}
	t.Fatal("start set no connect cookie")
	return nil, nil
}

// postKeys posts the key callback the way WooCommerce does and returns the status.
func postKeys(t *testing.T, base, userID string) int {
	t.Helper()
	return postKeysWith(t, base, userID, wooKey, wooSecret)
}

func postKeysWith(t *testing.T, base, userID, key, secret string) int {
	t.Helper()
	body := fmt.Sprintf(`{"key_id":7,"user_id":%q,"consumer_key":%q,"consumer_secret":%q,"key_permissions":"read_write"}`, userID, key, secret)
	res, err := http.Post(base+"/auth/woocommerce/callback", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// astOrder is an order whose tracking was saved by Advanced Shipment Tracking.
func astOrder(id int64, modified time.Time, provider, number string) wootest.Order {
	return wootest.Order{
		ID: id, Number: strconv.FormatInt(id+9000, 10), Modified: modified,
		Billing:  wootest.Address{FirstName: "Ana", LastName: "Lima", Email: "ana@example.com", Country: "US"},
		Shipping: wootest.Address{FirstName: "Ana", LastName: "Lima", Address1: "1 Main St", City: "Austin", State: "TX", Postcode: "78701", Country: "US"},
		Items:    []wootest.Item{{ID: 1, Name: "Mug", Quantity: 2}},
		Meta: []wootest.Meta{{ID: 55, Key: woocommerce.TrackingMetaKey, Value: []map[string]any{{
			"tracking_provider": provider, "custom_tracking_provider": "", "custom_tracking_link": "",
			"tracking_number": number, "date_shipped": strconv.FormatInt(modified.Unix(), 10), "tracking_id": "t-" + number,
		}}}},
	}
}

func TestWooConnectStoresKeysAndCreatesWebhooks(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		a, base, store, sg := startWooMailApp(t, url)
		loc, ck := beginConnect(t, base, store.URL)
		q := loc.Query()
		if got, want := loc.Scheme+"://"+loc.Host+loc.Path, store.URL+"/wc-auth/v1/authorize"; got != want {
			t.Fatalf("redirect to %s; want %s", got, want)
		}
		if q.Get("scope") != "read_write" || q.Get("callback_url") != wooAppURL+"/auth/woocommerce/callback" ||
			q.Get("return_url") != wooAppURL+"/auth/woocommerce/return" || len(q.Get("user_id")) != 64 {
			t.Fatalf("authorize query %v; want read_write scope, the app's callback and return URLs and a 64-char nonce", q)
		}
		if !ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/auth/woocommerce" {
			t.Fatalf("connect cookie %+v; want HttpOnly, Secure (https APP_URL), SameSite=Lax, path /auth/woocommerce", ck)
		}
		userID := q.Get("user_id")

		if code := postKeys(t, base, strings.Repeat("0", 64)); code == http.StatusOK {
			t.Fatal("callback with an unknown user_id answered 200; want a non-200 so WooCommerce drops the keys")
		}
		shops := storagetest.Count(t, a.db, "shops", "")
		if shops != 0 {
			t.Fatalf("%d shops after a rejected callback; want 0", shops)
		}
		if code := postKeys(t, base, userID); code != http.StatusOK {
			t.Fatalf("callback: status %d; want exactly 200", code)
		}
		verified := false
		for _, r := range store.Requests() {
			verified = verified || r.Path == "/wp-json/wc/v3/settings/email/"+woocommerce.EmailFromSetting
		}
		if !verified {
			t.Fatalf("the store saw %v; want the keys verified by an authenticated settings read", store.Requests())
		}
		if code := postKeys(t, base, userID); code == http.StatusOK {
			t.Fatal("a second callback for a completed connection answered 200")
		}

		shop, err := a.db.ShopByDomain(context.Background(), storage.WooCommerce, storeDomain(store))
		if err != nil {
			t.Fatalf("shop not stored under the store's host: %v", err)
		}
		if shop.Platform != storage.WooCommerce || shop.Email != store.AdminEmail || bytes.Contains(shop.APIKey, []byte(wooKey)) || bytes.Contains(shop.APISecret, []byte(wooSecret)) {
			t.Fatalf("shop platform %q email %q, keys stored in clear: %v; want woocommerce, the store's address and sealed keys", shop.Platform, shop.Email, bytes.Contains(shop.APIKey, []byte(wooKey)))
		}
		sec, err := a.db.Secrets(shop)
		if err != nil || sec.APIKey != wooKey || sec.APISecret != wooSecret || len(sec.WebhookSecret) != 40 {
			t.Fatalf("secrets %+v (%v); want the posted keys and a 40-char webhook secret", sec, err)
		}
		ws, err := a.db.WooStore(context.Background(), shop.ID)
		if err != nil {
			t.Fatal(err)
		}
		apptest.WaitUntil(t, "the webhooks on the store", func() bool { return len(store.Webhooks()) == len(woocommerce.Topics) })
		for i, w := range store.Webhooks() {
			if w.Topic != woocommerce.Topics[i] || w.Status != "active" || w.Secret != sec.WebhookSecret ||
				w.DeliveryURL != wooAppURL+"/webhooks/woocommerce/"+ws.ShopKey {
				t.Fatalf("webhook %d = %+v; want active %s to the shop's URL with its secret", i, w, woocommerce.Topics[i])
			}
		}
		// A delivery signed with the secret the store holds is accepted.
		hook := store.Webhooks()[0]
		req := wootest.DeliveryRequest(base+"/webhooks/woocommerce/"+ws.ShopKey, hook.Secret, hook.Topic, hook.ID, astOrder(600, time.Now().UTC(), "ups", "1Z999AA10123456784").JSON())
		if res, _ := apptest.Do(t, req); res.StatusCode != http.StatusOK {
			t.Fatalf("a delivery signed with the store's webhook secret: status %d; want 200", res.StatusCode)
		}

		ret := base + "/auth/woocommerce/return?success=1&user_id=" + userID
		code, page := apptest.Get(t, ret, nil)
		if code == http.StatusOK || strings.Contains(page, "/admin/login?t=") || strings.Contains(page, ws.ShopKey) {
			t.Fatalf("return page without the connect cookie: status %d body:\n%s\nwant no link and no plugin settings", code, page)
		}
		storeSecret, _ := a.db.StorefrontSecret(ws)
		code, page = apptest.Get(t, ret, ck)
		if code != http.StatusOK || !strings.Contains(page, "is connected") || !strings.Contains(page, "o•••@shop.example") ||
			strings.Contains(page, "/admin/login?t=") || strings.Contains(page, ws.ShopKey) || strings.Contains(page, storeSecret) {
			t.Fatalf("return page: status %d body:\n%s\nwant 200 saying the link went to o•••@shop.example, with no link, key or secret", code, page)
		}
		if code, _ := apptest.Get(t, ret, ck); code == http.StatusOK {
			t.Fatalf("second visit to the return page: status %d; want it shown once", code)
		}
		link := emailedLink(t, sg, store.AdminEmail, base)
		if code, _ := signInWith(t, link); code != http.StatusSeeOther {
			t.Fatalf("emailed sign-in link: status %d; want 303 into the admin", code)
		}
		if code, _ := signInWith(t, link); code != http.StatusUnauthorized {
			t.Fatalf("emailed sign-in link used again: status %d; want 401 (single use)", code)
		}
	})
}

func TestWooWebhookPingAndSignature(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		e := connectWoo(t, url)
		if res, _ := apptest.Do(t, wootest.PingRequest(e.hookURL(), 1001)); res.StatusCode != http.StatusOK {
			t.Fatalf("ping: status %d; want 200", res.StatusCode)
		}
		body := astOrder(501, time.Now().UTC(), "ups", "1Z999AA10123456784").JSON()
		for name, req := range map[string]*http.Request{
			"wrong secret": wootest.DeliveryRequest(e.hookURL(), "not-the-secret", woocommerce.TopicOrderUpdated, 1001, body),
			"unknown shop": wootest.DeliveryRequest(e.base+"/webhooks/woocommerce/nope", e.hookSecret, woocommerce.TopicOrderUpdated, 1001, body),
			"tampered body": func() *http.Request {
				r := wootest.DeliveryRequest(e.hookURL(), e.hookSecret, woocommerce.TopicOrderUpdated, 1001, body)
				r.Body = io.NopCloser(bytes.NewReader(append([]byte(" "), body...)))
				r.ContentLength++
				return r
			}(),
		} {
			if res, _ := apptest.Do(t, req); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("%s: status %d; want 401", name, res.StatusCode)
			}
		}
		n := storagetest.Count(t, e.a.db, "webhook_deliveries", "")
		if n != 0 {
			t.Fatalf("stored %d deliveries after a ping and bad signatures; want 0", n)
		}
	})
}

func TestWooOrderWebhooksSyncShipments(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		e := connectWoo(t, url)
		ctx := context.Background()
		t2 := time.Now().UTC().Truncate(time.Second)
		order := astOrder(502, t2, "ups", "1Z999AA10123456784")
		order.Created = t2.Add(-48 * time.Hour)
		body := order.JSON()
		id := e.deliver(t, woocommerce.TopicOrderUpdated, body)
		e.deliver(t, woocommerce.TopicOrderUpdated, body) // same delivery again
		e.waitProcessed(t, id)
		s := e.waitShipment(t, "1Z999AA10123456784")
		if s.Carrier != "ups" || s.CarrierCompany != "ups" {
			t.Fatalf("shipment carrier %q company %q; want ups from the AST provider", s.Carrier, s.CarrierCompany)
		}
		o, err := e.a.db.OrderByPlatformID(ctx, e.shop.ID, "502")
		if err != nil || o.Name != "#9502" || o.Email != "ana@example.com" || o.ShippingAddress.V.Region != "TX" {
			t.Fatalf("order %+v (%v); want #9502 for ana@example.com shipping to TX", o, err)
		}
		if !o.CreatedAt.Equal(order.Created) {
			t.Fatalf("order placed %v stored as created %v; want the shopper's date (the page shows it)", order.Created, o.CreatedAt)
		}
		deliveries := storagetest.Count(t, e.a.db, "webhook_deliveries", "")
		if deliveries != 1 {
			t.Fatalf("stored %d deliveries for one delivery sent twice; want 1", deliveries)
		}

		stale := astOrder(502, t2.Add(-time.Hour), "fedex", "794600000000")
		stale.Billing.Email = "old@example.com"
		e.waitProcessed(t, e.deliver(t, woocommerce.TopicOrderUpdated, stale.JSON()))
		if o, _ := e.a.db.OrderByPlatformID(ctx, e.shop.ID, "502"); o.Email != "ana@example.com" {
			t.Fatalf("stale update changed the email to %q", o.Email)
		}
		ships := storagetest.Count(t, e.a.db, "shipments", "shop_id = ?", e.shop.ID)
		if ships != 1 {
			t.Fatalf("%d shipments after a stale update with another number; want 1", ships)
		}

		e.waitProcessed(t, e.deliver(t, woocommerce.TopicOrderDeleted, []byte(`{"id":502}`)))
		if o, _ := e.a.db.OrderByPlatformID(ctx, e.shop.ID, "502"); o.CancelledAt == nil {
			t.Fatal("order.deleted did not mark the order cancelled")
		}

		broken := e.deliver(t, woocommerce.TopicOrderUpdated, []byte(`{"id":"x"`))
		apptest.WaitUntil(t, "the malformed delivery kept as failed", func() bool {
			n := storagetest.Count(t, e.a.db, "webhook_deliveries", "delivery_id = ? AND status = ?", broken, storage.DeliveryFailed)
			return n == 1
		})
	})
}

func TestWooTrackingActionFetchesOrder(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		e := connectWoo(t, url)
		e.store.AddOrder(astOrder(503, time.Now().UTC(), "USPS", "9400111899223197428490"))
		e.deliver(t, woocommerce.TopicTrackingUpdated, []byte(`{"action":"wc_ordertrack_tracking_updated","arg":503}`))
		if s := e.waitShipment(t, "9400111899223197428490"); s.Carrier != "usps" {
			t.Fatalf("shipment carrier %q; want usps", s.Carrier)
		}
	})
}

func TestWooReconcileCatchesOrdersWithoutWebhook(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		e := connectWoo(t, url)
		ctx := context.Background()
		modified := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
		e.store.AddOrder(astOrder(504, modified, "ups", "1Z999AA10123456784"))
		if _, err := e.a.jobs.Insert(ctx, jobs.WooReconcileArgs{ShopID: e.shop.ID}, nil); err != nil {
			t.Fatal(err)
		}
		e.waitShipment(t, "1Z999AA10123456784")
		apptest.WaitUntil(t, "the reconcile cursor at the order's modification", func() bool {
			ws, err := e.a.db.WooStore(ctx, e.shop.ID)
			return err == nil && ws.ReconciledThrough != nil && ws.ReconciledThrough.Equal(modified)
		})
		apptest.WaitUntil(t, "a status note on the store's order", func() bool {
			notes := e.store.Notes(504)
			return len(notes) == 1 && strings.Contains(notes[0].Note, "1Z999AA10123456784") && !notes[0].CustomerNote
		})
		for _, r := range e.store.Requests() {
			if r.Path == "/wp-json/wc/v3/orders" && r.Query.Get("modified_after") == "" {
				t.Fatalf("reconcile listed orders without modified_after: %v", r.Query)
			}
		}
	})
}

// setWebhookStatus changes a webhook on the fake store through its REST API,
// as the merchant or WooCommerce's failure counter would.
func setWebhookStatus(t *testing.T, store *wootest.Server, id int64, status string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, store.URL+"/wp-json/wc/v3/webhooks/"+strconv.FormatInt(id, 10), strings.NewReader(`{"status":"`+status+`"}`))
	req.SetBasicAuth(wooKey, wooSecret)
	req.Header.Set("Content-Type", "application/json")
	res, err := store.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("set webhook %d %s: status %d", id, status, res.StatusCode)
	}
}

func TestWooWebhookCheckReenablesDisabledWebhooks(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		e := connectWoo(t, url)
		ctx := context.Background()
		hooks := e.store.Webhooks()
		setWebhookStatus(t, e.store, hooks[1].ID, woocommerce.WebhookDisabled)
		setWebhookStatus(t, e.store, hooks[2].ID, woocommerce.WebhookPaused)
		// The check queued by the connect may still be finishing; a pending
		// duplicate is skipped, so insert until a new check is queued.
		apptest.WaitUntil(t, "a new webhook check queued", func() bool {
			res, err := e.a.jobs.Insert(ctx, jobs.WooWebhooksArgs{ShopID: e.shop.ID}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return !res.UniqueSkippedAsDuplicate
		})
		apptest.WaitUntil(t, "the paused webhook reported", func() bool {
			ws, err := e.a.db.WooStore(ctx, e.shop.ID)
			return err == nil && ws.WebhooksPaused == 1
		})
		got := e.store.Webhooks()
		if len(got) != len(woocommerce.Topics) || got[1].Status != woocommerce.WebhookActive || got[2].Status != woocommerce.WebhookPaused {
			t.Fatalf("webhooks after the check: %+v; want the disabled one active again, the paused one left alone, none added", got)
		}
	})
}

func TestWooShopperActionWritesOrderNote(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := connectWoo(t, dbURL)
		order := astOrder(505, time.Now().UTC(), "ups", "1Z999AA10123456784")
		e.store.AddOrder(order)
		e.deliver(t, woocommerce.TopicOrderCreated, order.JSON())
		s := e.waitShipment(t, "1Z999AA10123456784")
		form := url.Values{
			trackpage.CSRFField: {e.a.shopper.CSRFToken(s.PublicToken)},
			trackpage.FieldKind: {string(trackpage.ActionContactSupport)},
			trackpage.FieldNote: {"Where is my mug?"},
		}
		res, _ := apptest.PostForm(t, e.base+"/t/"+s.PublicToken+"/actions", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("shopper action: status %d; want 303", res.StatusCode)
		}
		apptest.WaitUntil(t, "the shopper's request as an order note", func() bool {
			for _, n := range e.store.Notes(505) {
				if strings.Contains(n.Note, "asked you to contact them") && strings.Contains(n.Note, "Where is my mug?") && !n.CustomerNote {
					return true
				}
			}
			return false
		})
	})
}

func TestWooStorefrontAPIChecksSignature(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		e := connectWoo(t, url)
		ctx := context.Background()
		order := astOrder(506, time.Now().UTC(), "ups", "1Z999AA10123456784")
		e.waitProcessed(t, e.deliver(t, woocommerce.TopicOrderCreated, order.JSON()))
		secret, err := e.a.db.StorefrontSecret(e.ws)
		if err != nil {
			t.Fatal(err)
		}
		get := func(orderID, key, sig string, ts time.Time) (int, []byte) {
			t.Helper()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.base+"/api/track/woocommerce/orders/"+orderID, nil)
			req.Header.Set(woocommerce.HeaderStorefrontShop, key)
			req.Header.Set(woocommerce.HeaderStorefrontTimestamp, strconv.FormatInt(ts.Unix(), 10))
			req.Header.Set(woocommerce.HeaderStorefrontSignature, sig)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, b
		}
		now := time.Now()
		for _, tc := range []struct {
			name, orderID, key, sig string
			ts                      time.Time
			want                    int
		}{
			{"signed", "506", e.ws.ShopKey, woocommerce.SignStorefront(secret, now, "506"), now, http.StatusOK},
			{"wrong secret", "506", e.ws.ShopKey, woocommerce.SignStorefront("guess", now, "506"), now, http.StatusUnauthorized},
			{"signed for another order", "506", e.ws.ShopKey, woocommerce.SignStorefront(secret, now, "507"), now, http.StatusUnauthorized},
			{"stale timestamp", "506", e.ws.ShopKey, woocommerce.SignStorefront(secret, now.Add(-time.Hour), "506"), now.Add(-time.Hour), http.StatusUnauthorized},
			{"unknown shop key", "506", "nope", woocommerce.SignStorefront(secret, now, "506"), now, http.StatusUnauthorized},
			{"unknown order", "999", e.ws.ShopKey, woocommerce.SignStorefront(secret, now, "999"), now, http.StatusNotFound},
		} {
			if code, body := get(tc.orderID, tc.key, tc.sig, tc.ts); code != tc.want {
				t.Fatalf("%s: status %d body %s; want %d", tc.name, code, body, tc.want)
			}
		}
		_, body := get("506", e.ws.ShopKey, woocommerce.SignStorefront(secret, now, "506"), now)
		var v woocommerce.StorefrontView
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatalf("decode %s: %v", body, err)
		}
		if v.OrderID != "506" || len(v.Shipments) != 1 || v.Shipments[0].Number != "1Z999AA10123456784" ||
			!strings.HasPrefix(v.TrackingURL, wooAppURL+"/t/") || v.StatusLabel == "" {
			t.Fatalf("storefront view %+v; want order 506 with its UPS shipment, a status label and the tracking page", v)
		}

		// Before anything ships the storefront names the stage as the page does.
		bare := astOrder(508, time.Now().UTC(), "", "")
		bare.Meta = nil
		e.waitProcessed(t, e.deliver(t, woocommerce.TopicOrderCreated, bare.JSON()))
		_, body = get("508", e.ws.ShopKey, woocommerce.SignStorefront(secret, now, "508"), now)
		var none woocommerce.StorefrontView
		if err := json.Unmarshal(body, &none); err != nil {
			t.Fatalf("decode %s: %v", body, err)
		}
		page := trackpage.Summarize(trackpage.View{Locale: "en", Shipments: []trackpage.Shipment{{Stage: tracking.Stage(none.Stage)}}})
		if want := page.Shipments[0].StageLabel; len(none.Shipments) != 0 || none.StatusLabel != want {
			t.Fatalf("storefront before shipping says %q (%d shipments); want the page's %q", none.StatusLabel, len(none.Shipments), want)
		}
	})
}
