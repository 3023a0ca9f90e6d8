package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
)

// An order that has not shipped yet has a page of its own (the order's
// token), and its "text me shipping updates" form works there as on a
// parcel's page: the shopper who signs up before the parcel leaves is
// exactly the one who wants to hear when it does.
func TestOptInOnTheOrderPageBeforeItShips(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		o := shopifytest.SampleOrder(7601, time.Now().UTC().Add(-time.Hour))
		o.Locale, o.Gateways, o.Fulfillments = "en", nil, nil
		o.Phone, o.Address.Phone, o.Address.CountryCode, o.Address.ProvinceCode = "(415) 555-0161", "(415) 555-0161", "US", ""
		if code := apptest.PostShopifyWebhook(t, e.base, e.domain, "orders/create", "wh-unshipped-7601", o.WebhookJSON(), testSecret); code != http.StatusOK {
			t.Fatalf("orders/create: status %d; want 200", code)
		}
		var order *storage.Order
		apptest.WaitUntil(t, "the order", func() bool {
			var err error
			order, err = e.a.db.OrderByPlatformID(context.Background(), e.shop.ID, "gid://shopify/Order/7601")
			return err == nil
		})
		page := e.base + "/t/" + order.PublicToken
		if _, body := apptest.Fetch(t, page, nil); !strings.Contains(body, `action="`+page+`/consent"`) {
			t.Fatalf("the order's page offers no opt-in form:\n%s", body)
		}
		form := url.Values{"_csrf": {e.a.shopper.CSRFToken(order.PublicToken)}, "phone": {"(415) 555-0161"}, "channel": {"sms"}, "locale": {"en"}}
		res, _ := apptest.PostForm(t, page+"/consent", form)
		if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/t/"+order.PublicToken+"?optin=confirmed") {
			t.Fatalf("opt-in on the order's page: status %d to %q; want 303 back to the page, confirmed", res.StatusCode, res.Header.Get("Location"))
		}
		cons, err := e.a.db.Consents(context.Background(), e.shop.ID, "+14155550161")
		if err != nil || len(cons) != 1 || cons[0].OrderID == nil || *cons[0].OrderID != order.ID {
			t.Fatalf("consents %+v, %v; want one, for the order", cons, err)
		}
	})
}
