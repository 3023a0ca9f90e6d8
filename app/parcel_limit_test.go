package app

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
)

// A signed orders/create whose fulfillment carries 150 tracking numbers
// stores the first 100; the other 50 are refused and listed on the
// delivery, which the admin's webhook page shows.
func TestFulfillmentOverTheParcelLimitIsStoredUpToItAndNoted(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		shop := ownerShop(t, a)
		order := shopifytest.SampleOrder(7001, time.Now().UTC().Add(-time.Hour))
		f := &order.Fulfillments[0]
		f.Company, f.URLs, f.Numbers = "DHL", nil, nil
		for i := range 150 {
			f.Numbers = append(f.Numbers, fmt.Sprintf("JJD%07d", i))
		}
		if code := apptest.PostShopifyWebhook(t, base, shopA, "orders/create", "wh-flood", order.WebhookJSON(), testSecret); code != http.StatusOK {
			t.Fatalf("signed webhook: status %d; want 200", code)
		}
		var d storage.WebhookDelivery
		apptest.WaitUntil(t, "the delivery processed", func() bool {
			return a.db.Gorm.Where("delivery_id = ? AND status = ?", "wh-flood", storage.DeliveryProcessed).Take(&d).Error == nil
		})
		var numbers []string
		a.db.Gorm.Model(&storage.Shipment{}).Where("shop_id = ?", shop.ID).Order("tracking_number").Pluck("tracking_number", &numbers)
		if len(numbers) != 100 || numbers[0] != "JJD0000000" || numbers[99] != "JJD0000099" {
			t.Fatalf("stored %d shipments (%v…); want the first 100 numbers", len(numbers), numbers[:min(3, len(numbers))])
		}
		refused := strings.Join(f.Numbers[100:], ", ")
		if !strings.Contains(d.Note, "Refused 50 tracking numbers") || !strings.Contains(d.Note, refused) {
			t.Fatalf("delivery note = %q; want the 50 refused and their numbers", d.Note)
		}
		_, page := signIn(t, a, base, shop.ID).get(base + "/admin/webhooks")
		if !strings.Contains(html.UnescapeString(page), d.Note) {
			t.Fatalf("webhook page does not show the note %q:\n%s", d.Note, page)
		}
	})
}
