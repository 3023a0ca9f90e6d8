package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/storage"
)

// lifecycleFixture reads one of the platform samples kept beside the
// orders feature (app/orders/testdata/SOURCES.md), unwrapped from its
// {"order": …} envelope, with change applied.
func lifecycleFixture(t *testing.T, name, wrapper string, change func(map[string]any)) []byte {
	t.Helper()
	raw, err := os.ReadFile("orders/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	v = v[wrapper].(map[string]any)
	if change != nil {
		change(v)
	}
	b, _ := json.Marshal(v)
	return b
}

// Shopify's example order, through the running app: found on the lookup
// and shown as processing before it ships; its Bluedart parcel once
// fulfilled; the parcel shown cancelled (and no longer polled) when the
// fulfillment is; the order shown cancelled when it is.
func TestOrderLifecycleOnThePage(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.Shopify, Domain: "shop-a.myshopify.com", Name: "Shop A", Status: "active"}
		if err := a.db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		page := func(what string, want string) {
			t.Helper()
			apptest.WaitUntil(t, what, func() bool {
				_, body := apptest.PostForm(t, base+"/track?shop="+shop.Domain, url.Values{"order": {"1001"}, "contact": {"bob.norman@hostmail.com"}})
				// Until the webhook is processed the lookup answers with its form.
				return strings.Contains(body, `id="ot-headline"`) && strings.Contains(body, want)
			})
		}
		post := func(topic, id string, body []byte) {
			t.Helper()
			if code := apptest.PostShopifyWebhook(t, base, shopA, topic, id, body, testSecret); code != http.StatusOK {
				t.Fatalf("%s: status %d", topic, code)
			}
		}

		post("orders/create", "lc-1", lifecycleFixture(t, "shopify_order_450789469.json", "order", nil))
		page("the unshipped order on the lookup, processing", "Processing")

		post("fulfillments/create", "lc-2", lifecycleFixture(t, "shopify_fulfillment_1022782888.json", "fulfillment", nil))
		page("the parcel on the page", "123456789")

		post("fulfillments/update", "lc-3", lifecycleFixture(t, "shopify_fulfillment_1022782888.json", "fulfillment", func(f map[string]any) {
			f["status"], f["updated_at"] = "cancelled", "2018-07-06T09:00:00-04:00"
		}))
		page("the cancelled parcel", "This shipment was cancelled")
		var ship storage.Shipment
		if err := a.db.Gorm.Where("shop_id = ? AND tracking_number = ?", shop.ID, "123456789").Take(&ship).Error; err != nil {
			t.Fatal(err)
		}
		if ship.NextPollAt != nil {
			t.Fatalf("cancelled parcel still polled at %v", ship.NextPollAt)
		}
		// The merchant sees why the parcel is no longer tracked, in the list
		// and on its own page, not just the stage it stopped at.
		admin := signIn(t, a, base, shop.ID)
		for _, path := range []string{"/admin/shipments", fmt.Sprintf("/admin/shipments/%d", ship.ID)} {
			if code, body := admin.get(base + path); code != http.StatusOK || !strings.Contains(body, ">Fulfillment cancelled</span>") {
				t.Fatalf("%s = %d; want the parcel marked Fulfillment cancelled", path, code)
			}
		}

		post("orders/cancelled", "lc-4", lifecycleFixture(t, "shopify_order_450789469.json", "order", func(o map[string]any) {
			o["cancelled_at"], o["updated_at"] = "2018-07-07T10:00:00-04:00", "2018-07-07T10:00:00-04:00"
		}))
		page("the cancelled order", "Your order was cancelled")
	})
}
