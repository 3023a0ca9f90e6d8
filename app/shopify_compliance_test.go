package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// complianceShop is shop A installed with a token and two shoppers' orders:
// Ana's (order 9500) and Bo's (order 9501).
func complianceShop(t *testing.T, a *App, fake *shopifytest.Server) *storage.Shop {
	t.Helper()
	shop := installTestShop(t, a, fake, shopA, time.Hour)
	ana := shopifytest.SampleOrder(9500, time.Now())
	bo := shopifytest.SampleOrder(9501, time.Now())
	bo.Number, bo.Email, bo.Phone, bo.FirstName, bo.LastName = 1002, "bo@example.com", "+14155550999", "Bo", "Li"
	bo.Address.Phone = ""
	bo.Fulfillments[0].Numbers = []string{"1ZCOMPLIANCE0002"}
	seedShopifyOrder(t, a, shop, ana)
	seedShopifyOrder(t, a, shop, bo)
	return shop
}

func countRows(t *testing.T, a *App, table string, shopID int64) int64 {
	t.Helper()
	return storagetest.Count(t, a.db, table, "shop_id = ?", shopID)
}

func TestUninstallStopsPollingAndDeletesTokens(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		ctx := context.Background()
		shop := complianceShop(t, a, fake)
		body := []byte(`{"id":954889,"name":"Shop A","domain":"shop-a.example","myshopify_domain":"shop-a.myshopify.com","plan_name":"basic"}`)
		if code := apptest.PostShopifyWebhook(t, base, shopA, "app/uninstalled", "wh-uninstall", body, testSecret); code != http.StatusOK {
			t.Fatalf("uninstall webhook: status %d; want 200", code)
		}
		var s *storage.Shop
		apptest.WaitUntil(t, "the shop marked uninstalled", func() bool {
			got, err := a.db.ShopByID(ctx, shop.ID)
			s = got
			return err == nil && got.Status == "uninstalled"
		})
		if s.AccessToken != nil || s.RefreshToken != nil || s.AccessExpiresAt != nil || s.RefreshExpiresAt != nil {
			t.Fatalf("tokens survive the uninstall: %q %q %v %v; want them deleted", s.AccessToken, s.RefreshToken, s.AccessExpiresAt, s.RefreshExpiresAt)
		}
		polling := storagetest.Count(t, a.db, "shipments", "shop_id = ? AND next_poll_at IS NOT NULL", shop.ID)
		if polling != 0 || countRows(t, a, "shipments", shop.ID) != 2 {
			t.Fatalf("%d shipments still scheduled for polling; want 0 (and both kept until shop/redact)", polling)
		}
		if ids, err := a.db.SyncableShops(ctx, storage.Shopify); err != nil || len(ids) != 0 {
			t.Fatalf("shops to reconcile = %v, %v; want none", ids, err)
		}
		if _, err := a.shopify.Client.Order(ctx, shopA, "9500"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("API call after uninstall: %v; want ErrNotFound (no token)", err)
		}
	})
}

func TestShopRedactDeletesEveryRowOfTheShop(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		shop := complianceShop(t, a, fake)
		other := installTestShop(t, a, fake, shopB, time.Hour)
		seedShopifyOrder(t, a, other, shopifytest.SampleOrder(9600, time.Now()))
		body := []byte(`{"shop_id":954889,"shop_domain":"shop-a.myshopify.com"}`)
		if code := apptest.PostShopifyWebhook(t, base, shopA, "shop/redact", "wh-shop-redact", body, testSecret); code != http.StatusOK {
			t.Fatalf("shop/redact: status %d; want 200", code)
		}
		apptest.WaitUntil(t, "the shop deleted", func() bool {
			_, err := a.db.ShopByID(context.Background(), shop.ID)
			return errors.Is(err, storage.ErrNotFound)
		})
		for _, table := range []string{"orders", "shipments", "tracking_events", "notifications", "shipment_triggers", "webhook_deliveries"} {
			if n := countRows(t, a, table, shop.ID); n != 0 {
				t.Errorf("%d %s rows left for the redacted shop; want 0", n, table)
			}
		}
		if n := countRows(t, a, "shipments", other.ID); n != 1 {
			t.Errorf("the other shop has %d shipments; want its 1 untouched", n)
		}
	})
}

func TestCustomersRedactBlanksOnlyThatShoppersData(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		ctx := context.Background()
		shop := complianceShop(t, a, fake)
		apptest.WaitUntil(t, "the shipped emails sent before the request", func() bool {
			n := storagetest.Count(t, a.db, "notifications", "shop_id = ? AND status = ?", shop.ID, storage.NotificationSent)
			return n == 2
		})
		body := []byte(`{"shop_id":954889,"shop_domain":"shop-a.myshopify.com","customer":{"id":7001,"email":"ana@example.com","phone":"+14155550123"},"orders_to_redact":[9500]}`)
		if code := apptest.PostShopifyWebhook(t, base, shopA, "customers/redact", "wh-cust-redact", body, testSecret); code != http.StatusOK {
			t.Fatalf("customers/redact: status %d; want 200", code)
		}
		var ana *storage.Order
		apptest.WaitUntil(t, "Ana's order redacted", func() bool {
			o, err := a.db.OrderByPlatformID(ctx, shop.ID, "gid://shopify/Order/9500")
			ana = o
			return err == nil && o.Email == ""
		})
		if ana.Phone != "" || ana.CustomerName != "" || ana.ShippingAddress.V != (storage.Address{}) {
			t.Fatalf("redacted order keeps phone=%q name=%q address=%+v; want all blank", ana.Phone, ana.CustomerName, ana.ShippingAddress.V)
		}
		bo, err := a.db.OrderByPlatformID(ctx, shop.ID, "gid://shopify/Order/9501")
		if err != nil || bo.Email != "bo@example.com" || bo.CustomerName != "Bo Li" {
			t.Fatalf("Bo's order = %+v, %v; want untouched", bo, err)
		}
		var notes []storage.Notification
		a.db.Gorm.Where("shop_id = ? AND recipient = ?", shop.ID, "ana@example.com").Find(&notes)
		if len(notes) != 0 {
			t.Fatalf("%d messages still addressed to Ana; want none", len(notes))
		}
	})
}

func TestDataRequestExportsTheShoppersData(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		shop := complianceShop(t, a, fake)
		body := []byte(`{"shop_id":954889,"shop_domain":"shop-a.myshopify.com","customer":{"id":7001,"email":"ana@example.com","phone":"+14155550123"},"orders_requested":[9500],"data_request":{"id":9999}}`)
		if code := apptest.PostShopifyWebhook(t, base, shopA, "customers/data_request", "wh-data-req", body, testSecret); code != http.StatusOK {
			t.Fatalf("customers/data_request: status %d; want 200", code)
		}
		var export storage.Notification
		apptest.WaitUntil(t, "the data export", func() bool {
			return a.db.Gorm.Where("shop_id = ? AND trigger = ?", shop.ID, "data_request").Take(&export).Error == nil
		})
		if !strings.Contains(export.Body, "1Z999AA10123456784") || strings.Contains(export.Body, "bo@example.com") {
			t.Fatalf("export body:\n%s\nwant Ana's shipment and nothing of Bo's", export.Body)
		}
	})
}

func TestComplianceWebhooksWithBadSignatureChangeNothing(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		ctx := context.Background()
		shop := complianceShop(t, a, fake)
		bodies := map[string]string{
			"app/uninstalled":        `{"id":954889,"name":"Shop A","myshopify_domain":"shop-a.myshopify.com"}`,
			"shop/redact":            `{"shop_id":954889,"shop_domain":"shop-a.myshopify.com"}`,
			"customers/redact":       `{"shop_id":954889,"shop_domain":"shop-a.myshopify.com","customer":{"id":7001,"email":"ana@example.com"},"orders_to_redact":[9500]}`,
			"customers/data_request": `{"shop_id":954889,"shop_domain":"shop-a.myshopify.com","customer":{"id":7001,"email":"ana@example.com"},"orders_requested":[9500]}`,
		}
		for topic, b := range bodies {
			for _, secret := range []string{"wrong-secret", ""} {
				if code := apptest.PostShopifyWebhook(t, base, shopA, topic, fmt.Sprintf("wh-bad-%s-%s", topic, secret), []byte(b), secret); code != http.StatusUnauthorized {
					t.Errorf("%s signed with %q: status %d; want 401", topic, secret, code)
				}
			}
		}
		deliveries := storagetest.Count(t, a.db, "webhook_deliveries", "")
		if deliveries != 0 {
			t.Fatalf("stored %d deliveries from bad signatures; want 0", deliveries)
		}
		if _, err := a.db.OAuthToken(ctx, shopA); err != nil {
			t.Fatalf("token after forged uninstall: %v; want it kept", err)
		}
		ana, err := a.db.OrderByPlatformID(ctx, shop.ID, "gid://shopify/Order/9500")
		if err != nil || ana.Email != "ana@example.com" {
			t.Fatalf("Ana's order after forged redact = %+v, %v; want untouched", ana, err)
		}
	})
}
