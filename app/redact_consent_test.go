package app

import (
	"testing"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// customers/redact names the orders; the opt-in's own message (its welcome
// or question, tied to no shipment) carries the number that was signed up,
// which need not be the order's, and must go with the consent.
func TestRedactErasesTheOptInMessagesOfTheOrders(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopifyByTokenExchange(t, dbURL)
		ship := e.order(t, 8651, "(415) 555-0182", "US")
		const number = "+14155550183" // not the order's phone
		e.optIn(t, ship, "(415) 555-0183", "sms", false)
		apptest.WaitUntil(t, "the opt-in question", func() bool { return len(smsTo(e.sent, number)) == 1 })

		redact := []byte(`{"shop_id":954889,"shop_domain":"shop-a.myshopify.com","customer":{"id":7001,"email":"ana@example.com","phone":null},"orders_to_redact":[8651]}`)
		if code := apptest.PostShopifyWebhook(t, e.base, shopA, "customers/redact", "wh-optin-redact", redact, testSecret); code != 200 {
			t.Fatalf("customers/redact: status %d", code)
		}
		apptest.WaitUntil(t, "the consent erased", func() bool {
			return storagetest.Count(t, e.a.db, "consents", "shop_id = ? AND address = ''", e.shop.ID) == 1
		})
		if n := storagetest.Count(t, e.a.db, "notifications", "shop_id = ? AND (recipient = ? OR body LIKE ?)", e.shop.ID, number, "%YES%"); n != 0 {
			t.Fatalf("%d messages still name %s or keep the opt-in text after the redact; want none", n, number)
		}
	})
}
