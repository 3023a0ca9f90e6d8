package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
)

// A merchant that connects its own Twilio account holds that account's auth
// token, so it can sign any webhook it likes. What it signs must speak for
// its own shops only: not confirm another shop's double opt-in, move or bill
// another shop's messages, answer another shop's call, or stop a number on
// the shared sender for every shop.
func TestAMerchantsTwilioTokenSpeaksForItsOwnShopsOnly(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a := installShopify(t, dbURL, shopA, kaffeeHaus)
		b := a.installAlso(t, shopB, shopifytest.ShopInfo{Name: "Tee Stube", Email: "owner@tee.example", Timezone: "America/New_York", Currency: "USD", PrimaryLocale: "en", Plan: "Basic"})
		a.sent.AddTwilioAccount(merchantTwilioSID, merchantTwilioToken)
		admin := signIn(t, a.a, a.base, a.shop.ID)
		if code, page := admin.post("/admin/settings/twilio", url.Values{"account_sid": {merchantTwilioSID}, "auth_token": {merchantTwilioToken}, "sms_from": {merchantNumber}}); code != http.StatusSeeOther {
			t.Fatalf("connecting shop A's own account: status %d:\n%s", code, page)
		}

		// Shop B sends from the shared sender. Someone signs up a number that
		// is not the order's: it waits for that number's own YES.
		const number = "+14155550191"
		shipB := b.order(t, 8301, "(415) 555-0190", "US")
		if loc := b.optIn(t, shipB, "(415) 555-0191", "sms"); !strings.Contains(loc, "optin=pending") {
			t.Fatalf("opt-in of a number not the order's redirected to %q; want pending", loc)
		}
		call := logMessage(t, b.a, shipB, "action_required", "voice", storage.NotificationSent, number, 0)

		// Shop A's owner forges webhooks signed with its own token.
		forge := func(pathQuery, accountSID string, form url.Values) {
			t.Helper()
			form.Set("AccountSid", accountSID)
			code, body := apptest.PostTwilio(t, a.base, pathQuery, merchantTwilioToken, form)
			if code >= 500 {
				t.Fatalf("forged %s: %d %s", pathQuery, code, body)
			}
		}
		forge("/webhooks/messaging/twilio/inbound", merchantTwilioSID, inboundSMS(number, "YES"))
		var cons []storage.Consent
		if err := b.a.db.Gorm.Where("shop_id = ? AND address = ?", b.shop.ID, number).Find(&cons).Error; err != nil || len(cons) != 1 || cons[0].Status != storage.ConsentPending {
			t.Fatalf("shop B's consents after shop A's forged YES: %+v, %v; want one, still pending", cons, err)
		}

		forge(fmt.Sprintf("/webhooks/messaging/twilio/status?message_id=%d", call.ID), merchantTwilioSID,
			url.Values{"CallSid": {"CA99"}, "CallStatus": {"completed"}, "CallDuration": {"3600"}})
		if got := reload(t, b.a, call.ID); got.Status != storage.NotificationSent || got.Units != 0 {
			t.Fatalf("shop B's call after shop A's forged status: %s, %d minutes; want sent, none billed", got.Status, got.Units)
		}

		forge(fmt.Sprintf("/webhooks/messaging/twilio/gather?message_id=%d", call.ID), merchantTwilioSID,
			url.Values{"CallSid": {"CA99"}, "Digits": {"1"}, "From": {merchantNumber}, "To": {number}})
		var acts []storage.CustomerAction
		if err := b.a.db.Gorm.Where("shipment_id = ?", shipB.ID).Find(&acts).Error; err != nil || len(acts) != 0 {
			t.Fatalf("shop B's shipment after shop A's forged key press: %+v, %v; want no action", acts, err)
		}

		// Shop A claims the platform's account SID as its own and signs a
		// STOP to the shared number with its token.
		if code, page := admin.post("/admin/settings/twilio", url.Values{"account_sid": {apptest.TwilioSID}, "auth_token": {merchantTwilioToken}, "sms_from": {merchantNumber}}); code/100 == 5 {
			t.Fatalf("saving the platform's SID: status %d:\n%s", code, page)
		}
		forge("/webhooks/messaging/twilio/inbound", apptest.TwilioSID, inboundSMS(number, "STOP"))
		var outs []storage.SenderOptOut
		if err := b.a.db.Gorm.Where("number = ?", number).Find(&outs).Error; err != nil || len(outs) != 0 {
			t.Fatalf("shared sender opt-outs after shop A's forged STOP: %+v, %v; want none", outs, err)
		}
		var contacts []storage.Contact
		if err := b.a.db.Gorm.Where("shop_id = ? AND address = ? AND opted_out", b.shop.ID, number).Find(&contacts).Error; err != nil || len(contacts) != 0 {
			t.Fatalf("shop B's opt-outs after shop A's forged STOP: %+v, %v; want none", contacts, err)
		}
	})
}
