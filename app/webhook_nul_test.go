package app

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
)

func TestWebhookWithNULCharactersIsStoredWithoutThem(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
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
		if code := apptest.PostShopifyWebhook(t, base, shopA, "orders/create", "wh-nul", body, testSecret); code != 200 {
			t.Fatalf("signed webhook with \\u0000: status %d; want 200", code)
		}
		var d storage.WebhookDelivery
		apptest.WaitUntil(t, "the delivery processed or failed", func() bool {
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

// refuseOrder makes the database refuse order name as Postgres refuses bad
// data (a violated constraint, SQLSTATE 23514; a trigger's abort in SQLite),
// and returns the fix.
func refuseOrder(t *testing.T, a *App, name string) (fix func()) {
	t.Helper()
	create, drop := `ALTER TABLE orders ADD CONSTRAINT test_refuse CHECK (name <> '`+name+`')`, `ALTER TABLE orders DROP CONSTRAINT test_refuse`
	if a.db.Dialect == storage.SQLite {
		create = `CREATE TRIGGER test_refuse BEFORE INSERT ON orders WHEN NEW.name = '` + name + `' BEGIN SELECT RAISE(ABORT, 'refused'); END`
		drop = `DROP TRIGGER test_refuse`
	}
	if err := a.db.Gorm.Exec(create).Error; err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := a.db.Gorm.Exec(drop).Error; err != nil {
			t.Fatal(err)
		}
	}
}

func TestRefusedWebhookFailsAtOnceAndReplaysAfterTheFix(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.Shopify, Domain: "shop-a.myshopify.com", Name: "Shop A"}
		if err := a.db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		fix := refuseOrder(t, a, "#1001")
		body := shopifytest.SampleOrder(5201, time.Now().UTC().Add(-time.Hour)).WebhookJSON()
		if code := apptest.PostShopifyWebhook(t, base, shopA, "orders/create", "wh-refused", body, testSecret); code != http.StatusOK {
			t.Fatalf("signed webhook: status %d; want 200", code)
		}
		var d storage.WebhookDelivery
		apptest.WaitUntil(t, "the refused delivery marked failed", func() bool {
			return a.db.Gorm.Where("delivery_id = ? AND status = ?", "wh-refused", storage.DeliveryFailed).Take(&d).Error == nil
		})
		var job struct {
			Attempt int
			State   string
		}
		apptest.WaitUntil(t, "the job finished", func() bool {
			return a.db.Gorm.Raw(`SELECT attempt, state FROM river_job WHERE kind = 'process_webhook'`).Scan(&job).Error == nil && job.State == "completed"
		})
		if d.Attempts != 1 || job.Attempt != 1 || d.Error == "" {
			t.Fatalf("refused delivery: %d attempts, job attempt %d, error %q; want failed after one attempt with the reason", d.Attempts, job.Attempt, d.Error)
		}

		fix()
		ck, csrf := signInCookie(t, a, base, shop.ID)
		if res, _ := apptest.PostForm(t, fmt.Sprintf("%s/admin/webhooks/%d/replay", base, d.ID), url.Values{"_csrf": {csrf}}, ck); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("replay: status %d; want 303", res.StatusCode)
		}
		apptest.WaitUntil(t, "the replayed delivery processed", func() bool {
			return a.db.Gorm.Where("id = ? AND status = ?", d.ID, storage.DeliveryProcessed).Take(&d).Error == nil
		})
		if _, err := a.db.OrderByPlatformID(ctx, shop.ID, "gid://shopify/Order/5201"); err != nil {
			t.Fatalf("order after the replay: %v; want it stored", err)
		}
	})
}
