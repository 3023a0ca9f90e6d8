package app

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
)

func TestWebhookWithNULCharactersIsStoredWithoutThem(t *testing.T) {
	eachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{})
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.Shopify, Domain: "shop-a.myshopify.com", Name: "Shop A"}
		if err := a.db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		order := shopifytest.SampleOrder(5101, time.Now().UTC().Add(-time.Hour))
		order.FirstName = "Ana\x00"
		order.Address.Address1 = "1 Market\x00 St"
		order.LineItems[0].Title = "Linen\x00 shirt"
		body := order.WebhookJSON()
		if !bytes.Contains(body, []byte(`\u0000`)) {
			t.Fatalf("the webhook body has no \\u0000 escape: %s", body)
		}
		if code := postWebhook(t, base, "orders/create", "wh-nul", body, testSecret); code != 200 {
			t.Fatalf("signed webhook with \\u0000: status %d; want 200", code)
		}
		var d storage.WebhookDelivery
		waitUntil(t, "the delivery processed or failed", func() bool {
			return a.db.Gorm.Where("delivery_id = ? AND status <> ?", "wh-nul", storage.DeliveryReceived).Take(&d).Error == nil
		})
		if d.Status != storage.DeliveryProcessed || !bytes.Equal(d.Payload, body) {
			t.Fatalf("delivery status %q (error %q), payload kept as received: %v; want processed with the raw body", d.Status, d.Error, bytes.Equal(d.Payload, body))
		}
		o, err := a.db.OrderByPlatformID(ctx, shop.ID, "gid://shopify/Order/5101")
		if err != nil {
			t.Fatal(err)
		}
		if o.CustomerName != "Ana García" || o.ShippingAddress.V.Address1 != "1 Market St" || o.LineItems.V[0].Title != "Linen shirt" {
			t.Fatalf("stored order name %q, address %q, item %q; want the text without NUL", o.CustomerName, o.ShippingAddress.V.Address1, o.LineItems.V[0].Title)
		}
	})
}
