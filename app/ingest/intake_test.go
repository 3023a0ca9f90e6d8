package ingest

import (
	"bytes"
	"maps"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/metrics"
	"github.com/ordertrack/ordertrack/integrations/carriers/aftership"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

const (
	shopifySecret   = "shopify-app-secret"
	afterShipSecret = "aftership-webhook-secret"
)

// delivery is one webhook request and what it should get.
type delivery struct {
	name     string
	path     string
	header   map[string]string
	body     []byte
	status   int
	platform string // the counter's labels; empty when nothing is counted
	outcome  string
}

// Each request is answered and counted by platform and outcome: a stored
// delivery 200 "accepted", its retry 200 "duplicate", a bad signature 401
// "bad_signature"; nothing is stored but the first of each id.
func TestWebhooksAreAnsweredAndCountedByOutcome(t *testing.T) {
	order := shopifytest.SampleOrder(1001, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)).WebhookJSON()
	push := []byte(`{"ts":1764000000,"event":"tracking_update","event_id":"evt-1","msg":{"tracking_number":"1Z999AA10123456784","slug":"ups","tag":"OutForDelivery"}}`)
	shopifyHeader := func(id, sig string) map[string]string {
		return map[string]string{"X-Shopify-Topic": "orders/create", "X-Shopify-Shop-Domain": "shop-a.myshopify.com", "X-Shopify-Webhook-Id": id, "X-Shopify-Hmac-Sha256": sig}
	}
	deliveries := []delivery{
		{"signed Shopify order", "/webhooks/shopify", shopifyHeader("wh-1", shopifytest.SignWebhook(shopifySecret, order)), order, http.StatusOK, "shopify", "accepted"},
		{"Shopify's retry", "/webhooks/shopify", shopifyHeader("wh-1", shopifytest.SignWebhook(shopifySecret, order)), order, http.StatusOK, "shopify", "duplicate"},
		{"Shopify order signed with another secret", "/webhooks/shopify", shopifyHeader("wh-2", shopifytest.SignWebhook("other", order)), order, http.StatusUnauthorized, "shopify", "bad_signature"},
		{"signed Shopify order without an id", "/webhooks/shopify", shopifyHeader("", shopifytest.SignWebhook(shopifySecret, order)), order, http.StatusBadRequest, "", ""},
		{"signed AfterShip push", "/webhooks/carriers/aftership", map[string]string{aftership.SignatureHeader: apptest.AfterShipSignature(afterShipSecret, push)}, push, http.StatusOK, "aftership", "accepted"},
		{"AfterShip's retry", "/webhooks/carriers/aftership", map[string]string{aftership.SignatureHeader: apptest.AfterShipSignature(afterShipSecret, push)}, push, http.StatusOK, "aftership", "duplicate"},
		{"forged AfterShip push", "/webhooks/carriers/aftership", map[string]string{aftership.SignatureHeader: apptest.AfterShipSignature("forged", push)}, push, http.StatusUnauthorized, "aftership", "bad_signature"},
		{"push of a carrier that does not push", "/webhooks/carriers/ups", map[string]string{aftership.SignatureHeader: apptest.AfterShipSignature(afterShipSecret, push)}, push, http.StatusNotFound, "", ""},
	}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c, err := jobs.NewClient(db, jobs.Options{})
		if err != nil {
			t.Fatalf("jobs client: %v", err)
		}
		m := metrics.New()
		in := New(Deps{DB: db, Jobs: c, Now: time.Now, Metrics: m, ShopifySecret: shopifySecret, AfterShipSecret: afterShipSecret})
		e := echo.New()
		e.POST("/webhooks/shopify", in.ShopifyWebhook)
		e.POST("/webhooks/carriers/:name", in.CarrierPush)
		want := map[[2]string]float64{}
		for _, d := range deliveries {
			req := httptest.NewRequest(http.MethodPost, d.path, bytes.NewReader(d.body))
			for k, v := range d.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != d.status {
				t.Errorf("%s: status %d; want %d", d.name, rec.Code, d.status)
			}
			want[[2]string{d.platform, d.outcome}]++
		}
		delete(want, [2]string{"", ""})
		if got := webhookCounts(t, m); !maps.Equal(got, want) {
			t.Errorf("ordertrack_webhooks_total by platform and outcome = %v; want %v", got, want)
		}
		if n := storagetest.Count(t, db, "webhook_deliveries", ""); n != 2 {
			t.Errorf("%d deliveries stored; want 2 (one Shopify order, one push)", n)
		}
		if n := storagetest.Count(t, db, "river_job", "kind = 'process_webhook'"); n != 2 {
			t.Errorf("%d processing jobs queued; want 2", n)
		}
	})
}

// webhookCounts reads ordertrack_webhooks_total from m's registry, by
// platform and outcome.
func webhookCounts(t *testing.T, m *metrics.Set) map[[2]string]float64 {
	t.Helper()
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatalf("gather metrics: %v", err)
	}
	out := map[[2]string]float64{}
	for _, f := range families {
		if f.GetName() != "ordertrack_webhooks_total" {
			continue
		}
		for _, s := range f.GetMetric() {
			var key [2]string
			for _, l := range s.GetLabel() {
				switch l.GetName() {
				case "platform":
					key[0] = l.GetValue()
				case "outcome":
					key[1] = l.GetValue()
				}
			}
			out[key] = s.GetCounter().GetValue()
		}
	}
	return out
}
