package app

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
)

// A merchant's own Twilio account (not the platform's).
const (
	merchantTwilioSID   = "AC0000000000000000000000000000000b"
	merchantTwilioToken = "fedcba9876543210fedcba9876543210"
	merchantNumber      = "+4930123456789"
)

func TestMerchantsOwnTwilioAccountSendsTheShopsTextsUntilUninstalled(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		e.sent.AddTwilioAccount(merchantTwilioSID, merchantTwilioToken)
		ctx := context.Background()
		admin := signIn(t, e.a, e.base, e.shop.ID)
		if code, page := admin.post("/admin/settings/twilio", url.Values{"account_sid": {"SK123"}, "auth_token": {merchantTwilioToken}, "sms_from": {merchantNumber}}); code != http.StatusUnprocessableEntity || !strings.Contains(page, "Account SID") {
			t.Fatalf("an API key SID instead of the account's: status %d; want 422 saying what to paste", code)
		}
		if code, page := admin.post("/admin/settings/twilio", url.Values{"account_sid": {merchantTwilioSID}, "auth_token": {"00000000000000000000000000000000"}, "sms_from": {merchantNumber}}); code != http.StatusUnprocessableEntity || !strings.Contains(page, "Twilio did not accept") {
			t.Fatalf("a wrong auth token: status %d; want 422 saying Twilio refused it", code)
		}
		if _, ok, _ := e.a.db.TwilioAccount(ctx, e.shop.ID); ok {
			t.Fatal("an account Twilio refused was stored")
		}
		if code, page := admin.post("/admin/settings/twilio", url.Values{"account_sid": {merchantTwilioSID}, "auth_token": {merchantTwilioToken}, "sms_from": {"+49 30 123456789"}}); code != http.StatusSeeOther {
			t.Fatalf("connecting the account: status %d:\n%s", code, page)
		}
		var row storage.TwilioAccount
		if err := e.a.db.Gorm.Where("shop_id = ?", e.shop.ID).Take(&row).Error; err != nil || bytes.Contains(row.AuthToken, []byte(merchantTwilioToken)) {
			t.Fatalf("stored account %+v, %v; want it stored with the token sealed", row, err)
		}
		_, page := admin.get(e.base + "/admin/settings/twilio")
		if strings.Contains(page, merchantTwilioToken) || !strings.Contains(page, e.base+"/webhooks/messaging/twilio/inbound") {
			t.Fatalf("the Twilio page shows the token, or not the inbound webhook to set:\n%s", page)
		}
		if _, page := admin.get(e.base + "/admin/settings"); !strings.Contains(page, "paid by your own Twilio account "+merchantTwilioSID) {
			t.Fatalf("the settings page does not say the merchant's account pays:\n%s", page)
		}

		ship := e.order(t, 8101, "(415) 555-0171", "US")
		const number = "+14155550171"
		e.optIn(t, ship, "(415) 555-0171", "sms")
		apptest.WaitUntil(t, "the welcome text", func() bool { return len(e.sent.TextsTo(number)) == 1 })
		if sms := byChannel(e.notify(t, ship, "out_for_delivery"), "sms"); sms.Status != storage.NotificationSent {
			t.Fatalf("SMS: %s %q; want sent", sms.Status, sms.Error)
		}
		texts := e.sent.TextsTo(number)
		if len(texts) != 2 {
			t.Fatalf("Twilio got %d texts to %s; want the welcome and the update", len(texts), number)
		}
		for _, m := range texts {
			if m.Account != merchantTwilioSID || m.From != merchantNumber {
				t.Fatalf("text %+v; want it sent on the merchant's account from the merchant's number", m)
			}
		}

		// Replies to the merchant's number are signed with the merchant's token.
		stop := inboundSMS(number, "STOP")
		stop.Set("AccountSid", merchantTwilioSID)
		stop.Set("To", merchantNumber)
		if code, body := apptest.PostTwilio(t, e.base, "/webhooks/messaging/twilio/inbound", merchantTwilioToken, stop); code != http.StatusOK {
			t.Fatalf("STOP to the merchant's number: %d %s; want 200", code, body)
		}
		if sms := byChannel(e.notify(t, ship, "delayed"), "sms"); sms.Status != storage.NotificationSkipped {
			t.Fatalf("SMS after STOP: %s; want skipped", sms.Status)
		}

		body := []byte(`{"id":954889,"name":"Kaffee Haus","myshopify_domain":"shop-a.myshopify.com"}`)
		if code := apptest.PostShopifyWebhook(t, e.base, shopA, "app/uninstalled", "wh-uninstall-twilio", body, testSecret); code != http.StatusOK {
			t.Fatalf("app/uninstalled: status %d", code)
		}
		apptest.WaitUntil(t, "the merchant's Twilio account forgotten on uninstall", func() bool {
			_, ok, err := e.a.db.TwilioAccount(ctx, e.shop.ID)
			return err == nil && !ok
		})
	})
}

// installAlso installs domain on e's app, as the first shop was installed,
// and returns its environment: the same app, Shopify and providers.
func (e *shopifyChannelsEnv) installAlso(t *testing.T, domain string, info shopifytest.ShopInfo) *shopifyChannelsEnv {
	t.Helper()
	e.fake.SetShopInfo(domain, info)
	state, ck := startInstall(t, e.base, domain)
	e.fake.AddCode(domain, "code-"+domain)
	cb := callbackURL(e.base, testSecret, url.Values{"shop": {domain}, "code": {"code-" + domain}, "state": {state}}, time.Now())
	if res, _ := apptest.Fetch(t, cb, nil, ck); res.StatusCode != http.StatusFound {
		t.Fatalf("install callback for %s: status %d; want 302", domain, res.StatusCode)
	}
	other := &shopifyChannelsEnv{a: e.a, base: e.base, fake: e.fake, sent: e.sent, domain: domain}
	apptest.WaitUntil(t, "the identity of "+domain, func() bool {
		s, err := e.a.db.ShopByDomain(context.Background(), storage.Shopify, domain)
		if err != nil || s.Plan == "" {
			return false
		}
		other.shop = s
		return true
	})
	return other
}

func TestStopToTheSharedSenderStopsEveryShopOnIt(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a := installShopify(t, dbURL, shopA, kaffeeHaus)
		b := a.installAlso(t, shopB, shopifytest.ShopInfo{Name: "Tee Stube", Email: "owner@tee.example", Timezone: "America/New_York", Currency: "USD", PrimaryLocale: "en", Plan: "Basic"})
		const number = "+14155550181"
		shipA := a.order(t, 8201, "(415) 555-0181", "US")
		a.optIn(t, shipA, "(415) 555-0181", "sms")
		apptest.WaitUntil(t, "shop A's welcome text", func() bool { return len(a.sent.TextsTo(number)) == 1 })

		// The shopper answers shop A's text with STOP, to the shared number.
		stop := inboundSMS(number, "STOP")
		if code, body := apptest.PostTwilio(t, a.base, "/webhooks/messaging/twilio/inbound", apptest.TwilioToken, stop); code != http.StatusOK {
			t.Fatalf("STOP: %d %s", code, body)
		}
		// Shop B, on the same shared sender, never texted them before.
		shipB := b.order(t, 8202, "(415) 555-0181", "US")
		b.optIn(t, shipB, "(415) 555-0181", "sms")
		ns := b.notify(t, shipB, "out_for_delivery")
		if sms := byChannel(ns, "sms"); sms.Status != storage.NotificationSkipped || !strings.Contains(sms.Error, "STOP to the shared sender") {
			t.Fatalf("shop B's SMS after a STOP to the shared sender: %s %q; want skipped, saying why", sms.Status, sms.Error)
		}
		if email := byChannel(ns, "email"); email.Status != storage.NotificationSent {
			t.Fatalf("shop B's email instead: %s %q; want sent", email.Status, email.Error)
		}
		admin := signIn(t, b.a, b.base, b.shop.ID)
		if _, page := admin.get(b.base + "/admin/settings/twilio"); !strings.Contains(page, "texts STOP to a shared number stops messages from every shop on it") {
			t.Fatalf("the Twilio settings do not say what a STOP to the shared sender does:\n%s", page)
		}

		start := inboundSMS(number, "START")
		if code, body := apptest.PostTwilio(t, a.base, "/webhooks/messaging/twilio/inbound", apptest.TwilioToken, start); code != http.StatusOK {
			t.Fatalf("START: %d %s", code, body)
		}
		if sms := byChannel(b.notify(t, shipB, "delayed"), "sms"); sms.Status != storage.NotificationSent {
			t.Fatalf("shop B's SMS after START: %s %q; want sent", sms.Status, sms.Error)
		}
	})
}

func TestShopperEmailsComeFromTheMerchantOnlyOnAnAuthenticatedDomain(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		e.sent.SetAuthenticatedDomains("kaffee.example")
		ctx := context.Background()
		admin := signIn(t, e.a, e.base, e.shop.ID)
		for i, tc := range []struct {
			sender, wantFrom, note string
		}{
			{"post@kaffee.example", "post@kaffee.example", "Shopper emails come from post@kaffee.example."},
			{"post@kaffee-haus.example", "updates@ordertrack.test", "kaffee-haus.example is not authenticated"},
		} {
			s, err := e.a.db.ShopByID(ctx, e.shop.ID)
			if err != nil {
				t.Fatal(err)
			}
			st := s.Settings.V
			st.SenderEmail = tc.sender
			if err := e.a.db.SaveSettings(ctx, e.shop.ID, st); err != nil {
				t.Fatal(err)
			}
			ship := e.order(t, int64(8301+i), "", "DE")
			before := len(e.sent.Mails())
			if email := byChannel(e.notify(t, ship, "shipped"), "email"); email.Status != storage.NotificationSent {
				t.Fatalf("%s: shipped email %s %q; want sent", tc.sender, email.Status, email.Error)
			}
			mails := e.sent.Mails()
			if len(mails) != before+1 {
				t.Fatalf("%s: SendGrid got %d new mails; want 1", tc.sender, len(mails)-before)
			}
			if m := mails[len(mails)-1]; m.From != tc.wantFrom || m.FromName != "Kaffee Haus" || m.ReplyTo != tc.sender {
				t.Fatalf("%s: mail from %q <%s>, reply to %q; want %q <%s>, reply to the merchant", tc.sender, m.FromName, m.From, m.ReplyTo, "Kaffee Haus", tc.wantFrom)
			}
			if _, page := admin.get(e.base + "/admin/settings"); !strings.Contains(page, tc.note) {
				t.Fatalf("%s: the settings page does not say %q", tc.sender, tc.note)
			}
		}
	})
}

func TestACompletedCallCountsItsMinutesTowardTheMonthlyCap(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, twilioConfig())
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "")
		n := logMessage(t, a, fx.ships[0], "action_required", "voice", storage.NotificationSent, shopperPhone, 0)
		form := url.Values{"AccountSid": {apptest.TwilioSID}, "CallSid": {"CA77"}, "CallStatus": {"completed"}, "CallDuration": {"125"}}
		if code, _ := apptest.PostTwilio(t, base, fmt.Sprintf("/webhooks/messaging/twilio/status?message_id=%d", n.ID), apptest.TwilioToken, form); code/100 != 2 {
			t.Fatalf("call status callback: %d", code)
		}
		now := time.Now().UTC()
		used, err := a.db.UsageSince(context.Background(), fx.shop.ID, time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC))
		if err != nil || used.CallMinutes != 3 {
			t.Fatalf("call minutes this month = %d, %v; want 3 (a 2 min 5 s call, billed by started minute)", used.CallMinutes, err)
		}
	})
}

func TestWhatsAppWhoseSessionClosedBeforeSendingGoesByEmail(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		ctx := context.Background()
		ship := e.order(t, 8401, "+34 612 345 690", "ES")
		e.optIn(t, ship, "612 345 690", "whatsapp")
		// Planned as free text inside the session, it waited out quiet
		// hours; the shopper's last message is now more than 24 h old.
		n := &storage.Notification{ShopID: e.shop.ID, ShipmentID: &ship.ID, Trigger: "delayed", Channel: "whatsapp", Recipient: "+34612345690",
			DedupeKey: fmt.Sprintf("%d:delayed:whatsapp", ship.ID), Status: storage.NotificationScheduled}
		if _, err := e.a.db.CreateNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
		if _, err := e.a.jobs.Insert(ctx, jobs.SendArgs{NotificationID: n.ID}, nil); err != nil {
			t.Fatal(err)
		}
		var email storage.Notification
		apptest.WaitUntil(t, "the email sent instead", func() bool {
			return e.a.db.Gorm.Where("shipment_id = ? AND trigger = ? AND channel = ? AND status = ?", ship.ID, "delayed", "email", storage.NotificationSent).Take(&email).Error == nil
		})
		// The email's job may finish before the WhatsApp row is saved.
		var wa *storage.Notification
		apptest.WaitUntil(t, "the WhatsApp message logged", func() bool {
			wa = reload(t, e.a, n.ID)
			return wa.Status != storage.NotificationScheduled
		})
		if wa.Status != storage.NotificationSkipped || !strings.Contains(wa.Error, "no approved template") || !strings.Contains(wa.Error, "sent by email instead") {
			t.Fatalf("the WhatsApp message: %s %q; want skipped, saying why and that email went instead", wa.Status, wa.Error)
		}
		if email.Recipient != "ana@example.com" {
			t.Fatalf("email went to %q; want the order's address", email.Recipient)
		}
		if n := len(e.sent.TextsTo("+34612345690")); n != 0 {
			t.Fatalf("Twilio got %d WhatsApp messages; want none", n)
		}
	})
}
