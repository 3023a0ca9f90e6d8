package app

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
)

// TestOptInPointsShopifyTrackingLinksAtTheTrackingPage: off by default no
// fulfillment's link is touched; opting in points the parcels in tracking
// and each new fulfillment at its tracking page (number and carrier as the
// store has them, customer not notified), and the fulfillments/update that
// write causes is not written again.
func TestOptInPointsShopifyTrackingLinksAtTheTrackingPage(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopifyByTokenExchange(t, dbURL)
		a, fake := e.a, e.fake
		fulfill := func(id int64) (shopifytest.Order, storage.Shipment) {
			t.Helper()
			o := shopifytest.SampleOrder(id, time.Now().UTC().Add(-time.Minute))
			number := fmt.Sprintf("1ZLINK%012d", id)
			o.Fulfillments[0].Numbers = []string{number}
			o.Fulfillments[0].URLs = []string{"https://www.ups.com/track?tracknum=" + number}
			fake.AddOrder(shopA, o)
			if code := apptest.PostShopifyWebhook(t, e.base, shopA, "fulfillments/create", fmt.Sprintf("wh-link-%d", id), o.Fulfillments[0].WebhookJSON(o.ID), testSecret); code != http.StatusOK {
				t.Fatalf("fulfillments/create: status %d; want 200", code)
			}
			var s storage.Shipment
			apptest.WaitUntil(t, "the fulfillment's shipment", func() bool {
				return a.db.Gorm.Where("shop_id = ? AND tracking_number = ?", e.shop.ID, number).Take(&s).Error == nil
			})
			return o, s
		}
		linkedTo := func(o shopifytest.Order, s storage.Shipment) shopifytest.TrackingUpdate {
			t.Helper()
			want := shopifytest.TrackingUpdate{
				FulfillmentID: fmt.Sprintf("gid://shopify/Fulfillment/%d", o.Fulfillments[0].ID),
				Company:       "UPS", Number: s.TrackingNumber, URL: a.links.Tracking(s.PublicToken),
			}
			var got []shopifytest.TrackingUpdate
			apptest.WaitUntil(t, "the tracking link written to Shopify", func() bool {
				got = slices.DeleteFunc(fake.TrackingUpdates(shopA), func(u shopifytest.TrackingUpdate) bool { return u.FulfillmentID != want.FulfillmentID })
				return len(got) > 0
			})
			if len(got) != 1 || fmt.Sprint(got[0]) != fmt.Sprint(want) {
				t.Fatalf("tracking updates of %s = %+v; want one %+v", want.FulfillmentID, got, want)
			}
			return got[0]
		}

		before, beforeShip := fulfill(9701)
		if n := countJobs(t, a, "shopify_tracking_link"); n != 0 {
			t.Fatalf("%d tracking link jobs before opting in; want 0", n)
		}

		s := signIn(t, a, e.base, e.shop.ID)
		if _, page := s.get(e.base + "/admin/settings"); !containsAll(page, "Point Shopify's tracking links to our tracking page", `name="shopify_tracking_links"`) {
			t.Fatalf("settings page offers no tracking link opt-in:\n%s", page)
		}
		form := validSettings()
		form.Set("shopify_tracking_links", "1")
		if code, page := s.post("/admin/settings", form); code != http.StatusSeeOther {
			t.Fatalf("save settings: status %d; want 303:\n%s", code, page)
		}
		linkedTo(before, beforeShip) // the parcel already in tracking

		o, ship := fulfill(9702)
		linkedTo(o, ship)

		// Shopify tells us about our own write: our link, nothing to do.
		echo := fake.Order(shopA, o.ID).Fulfillments[0]
		if echo.URLs[0] != a.links.Tracking(ship.PublicToken) {
			t.Fatalf("the fake kept %q; want our link", echo.URLs)
		}
		if code := apptest.PostShopifyWebhook(t, e.base, shopA, "fulfillments/update", "wh-link-echo", echo.WebhookJSON(o.ID), testSecret); code != http.StatusOK {
			t.Fatalf("fulfillments/update: status %d; want 200", code)
		}
		apptest.WaitUntil(t, "the echoed update applied (the page links the carrier, not itself)", func() bool {
			return shipmentOf(t, a, e.shop.ID, ship.TrackingNumber).TrackingURL == ""
		})
		time.Sleep(200 * time.Millisecond)
		if n := countJobs(t, a, "shopify_tracking_link"); n != 2 {
			t.Fatalf("%d tracking link jobs; want 2 (the echo must not queue another)", n)
		}
		if n := len(fake.TrackingUpdates(shopA)); n != 2 {
			t.Fatalf("%d tracking updates on Shopify; want 2", n)
		}
	})
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
