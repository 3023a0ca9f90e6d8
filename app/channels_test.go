package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// channelsConfig sends email and every Twilio channel to the fake at base.
func channelsConfig(base string) Config {
	cfg := twilioConfig()
	cfg.TwilioBaseURL = base
	cfg.SendGridAPIKey, cfg.SendGridBaseURL, cfg.EmailFrom = "SG.test", base, "updates@ordertrack.test"
	return cfg
}

// shopifyChannelsEnv is a Shopify shop installed the way a merchant
// installs it (OAuth callback, code exchanged with the fake Shopify), with
// every channel's provider faked.
type shopifyChannelsEnv struct {
	a      *App
	base   string
	fake   *shopifytest.Server
	sent   *apptest.Providers
	shop   *storage.Shop
	domain string
}

// installShopify runs the standalone install for domain against the fake
// Shopify, which says info about the shop, and waits for the identity the
// install reads.
func installShopify(t *testing.T, dbURL, domain string, info shopifytest.ShopInfo) *shopifyChannelsEnv {
	t.Helper()
	sent := apptest.NewProviders(t)
	fake := shopifytest.NewServer(t, testAPIKey, testSecret)
	fake.SetShopInfo(domain, info)
	cfg := channelsConfig(sent.URL)
	cfg.ShopifyAPIKey, cfg.ShopifyScopes = testAPIKey, defaultShopifyScopes
	a, base := startApp(t, dbURL, cfg, withShopify(fake.BaseURL))
	state, ck := startInstall(t, base, domain)
	fake.AddCode(domain, "code-"+domain)
	cb := callbackURL(base, testSecret, url.Values{"shop": {domain}, "code": {"code-" + domain}, "state": {state}}, time.Now())
	if res, _ := apptest.Fetch(t, cb, nil, ck); res.StatusCode != http.StatusFound {
		t.Fatalf("install callback: status %d; want 302", res.StatusCode)
	}
	e := &shopifyChannelsEnv{a: a, base: base, fake: fake, sent: sent, domain: domain}
	apptest.WaitUntil(t, "the shop's identity read from Shopify", func() bool {
		s, err := a.db.ShopByDomain(context.Background(), storage.Shopify, domain)
		if err != nil || s.Plan == "" {
			return false
		}
		e.shop = s
		return true
	})
	return e
}

var kaffeeHaus = shopifytest.ShopInfo{
	Name: "Kaffee Haus", Email: "inhaber@kaffee.example", ContactEmail: "hallo@kaffee.example",
	Timezone: "Europe/Berlin", Currency: "EUR", PrimaryLocale: "de", Plan: "Basic",
}

func TestShopifyInstallReadsWhoTheMerchantIs(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		s := e.shop
		got := fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s", s.Name, s.Email, s.Timezone, s.Currency, s.Locale, s.Plan, s.Settings.V.SupportEmail)
		if want := "Kaffee Haus|inhaber@kaffee.example|Europe/Berlin|EUR|de|Basic|hallo@kaffee.example"; got != want {
			t.Fatalf("installed shop = %s; want %s", got, want)
		}

		body := []byte(`{"id":548380009,"name":"Kaffee Haus Berlin","email":"chef@kaffee.example","customer_email":null,` +
			`"iana_timezone":"Europe/Vienna","currency":"EUR","primary_locale":"de","plan_display_name":"Shopify",` +
			`"myshopify_domain":"shop-a.myshopify.com"}`)
		if code := apptest.PostShopifyWebhook(t, e.base, shopA, "shop/update", "wh-shop-update", body, testSecret); code != http.StatusOK {
			t.Fatalf("shop/update: status %d; want 200", code)
		}
		apptest.WaitUntil(t, "the shop/update applied", func() bool {
			s, err := e.a.db.ShopByID(context.Background(), e.shop.ID)
			return err == nil && s.Name == "Kaffee Haus Berlin" && s.Email == "chef@kaffee.example" && s.Timezone == "Europe/Vienna" && s.Plan == "Shopify"
		})
	})
}

func TestWooConnectReadsWhoTheMerchantIs(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := connectWoo(t, dbURL)
		apptest.WaitUntil(t, "the store's identity", func() bool {
			s, err := e.a.db.ShopByID(context.Background(), e.shop.ID)
			if err != nil {
				return false
			}
			e.shop = s
			return s.Currency != ""
		})
		s := e.shop
		got := fmt.Sprintf("%s|%s|%s|%s|%s", s.Name, s.Email, s.Timezone, s.Currency, s.Locale)
		if want := "Shop Example|owner@shop.example|Europe/Berlin|EUR|de_DE"; got != want {
			t.Fatalf("connected shop = %s; want %s (the site's timezone_string, not the system status's UTC)", got, want)
		}
	})
}

// shopperRequestReachesTheNotifyAddress is checked on both platforms.
func TestShopperRequestGoesToTheMerchantsNotificationAddress(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		ctx := context.Background()
		st := e.shop.Settings.V
		st.NotifyEmail = "bestellungen@kaffee.example"
		if err := e.a.db.SaveSettings(ctx, e.shop.ID, st); err != nil {
			t.Fatal(err)
		}
		ship := e.order(t, 7001, "+4915112345678", "DE")
		e.postAction(t, ship, url.Values{"kind": {"contact_support"}, "message": {"Bitte vor die Tür stellen."}})
		apptest.WaitUntil(t, "the request emailed to the notification address", func() bool {
			for _, m := range e.sent.Mails() {
				if m.To == "bestellungen@kaffee.example" && strings.Contains(m.Text, "Bitte vor die Tür stellen.") {
					return true
				}
			}
			return false
		})
	})
}

// order posts an orders/create webhook (signed as Shopify signs it) for a
// shopper with phone, shipping to country, and returns its shipment.
func (e *shopifyChannelsEnv) order(t *testing.T, id int64, phone, country string) *storage.Shipment {
	t.Helper()
	o := shopifytest.SampleOrder(id, time.Now().UTC().Add(-time.Hour))
	o.Locale = "en"
	o.Gateways = nil
	o.Phone, o.Address.Phone, o.Address.CountryCode, o.Address.ProvinceCode = phone, phone, country, ""
	o.Fulfillments[0].Numbers = []string{fmt.Sprintf("1ZCHANNEL%09d", id)}
	o.Fulfillments[0].URLs = nil
	if code := apptest.PostShopifyWebhook(t, e.base, e.domain, "orders/create", fmt.Sprintf("wh-order-%s-%d", e.domain, id), o.WebhookJSON(), testSecret); code != http.StatusOK {
		t.Fatalf("orders/create: status %d; want 200", code)
	}
	var s storage.Shipment
	apptest.WaitUntil(t, "the order's shipment", func() bool {
		return e.a.db.Gorm.Where("shop_id = ? AND tracking_number = ?", e.shop.ID, o.Fulfillments[0].Numbers[0]).Take(&s).Error == nil
	})
	return &s
}

// postAction posts the tracking page's action form.
func (e *shopifyChannelsEnv) postAction(t *testing.T, s *storage.Shipment, form url.Values) {
	t.Helper()
	form.Set("_csrf", e.a.shopper.CSRFToken(s.PublicToken))
	res, _ := apptest.PostForm(t, e.base+"/t/"+s.PublicToken+"/actions", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("action %v: status %d; want 303", form, res.StatusCode)
	}
}

// optIn submits the page's "text me shipping updates" form.
func (e *shopifyChannelsEnv) optIn(t *testing.T, s *storage.Shipment, number, channel string) string {
	t.Helper()
	_, body := apptest.Fetch(t, e.base+"/t/"+s.PublicToken, nil)
	if !strings.Contains(body, `action="`+e.base+"/t/"+s.PublicToken+`/consent"`) {
		t.Fatalf("tracking page offers no opt-in form:\n%s", body)
	}
	form := url.Values{"_csrf": {e.a.shopper.CSRFToken(s.PublicToken)}, "phone": {number}, "channel": {channel}, "locale": {"en"}}
	res, _ := apptest.PostForm(t, e.base+"/t/"+s.PublicToken+"/consent", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("opt-in: status %d; want 303", res.StatusCode)
	}
	return res.Header.Get("Location")
}

// notify fires trigger for s and waits until its messages are planned.
func (e *shopifyChannelsEnv) notify(t *testing.T, s *storage.Shipment, trigger string) []storage.Notification {
	t.Helper()
	if _, err := e.a.jobs.Insert(context.Background(), jobsNotify(s.ID, trigger), nil); err != nil {
		t.Fatal(err)
	}
	var ns []storage.Notification
	apptest.WaitUntil(t, trigger+" planned and no longer scheduled", func() bool {
		ns = nil
		e.a.db.Gorm.Where("shipment_id = ? AND trigger = ?", s.ID, trigger).Order("id").Find(&ns)
		for _, n := range ns {
			if n.Status == storage.NotificationScheduled {
				return false
			}
		}
		return len(ns) > 0
	})
	return ns
}

func byChannel(ns []storage.Notification, ch string) storage.Notification {
	for _, n := range ns {
		if n.Channel == ch {
			return n
		}
	}
	return storage.Notification{}
}

func TestInstalledShopTextsAShopperWhoOptedInOnThePage(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		ship := e.order(t, 7101, "(415) 555-0142", "US")
		const number = "+14155550142"

		ns := e.notify(t, ship, "out_for_delivery")
		if sms := byChannel(ns, "sms"); sms.Status != storage.NotificationSkipped || sms.Error != "no consent for this channel" || sms.Recipient != number {
			t.Fatalf("SMS before any opt-in: %s %q to %q; want skipped for no consent, to the E.164 number", sms.Status, sms.Error, sms.Recipient)
		}

		if loc := e.optIn(t, ship, "(415) 555-0142", "sms"); !strings.Contains(loc, "optin=confirmed") {
			t.Fatalf("opt-in redirected to %q; want optin=confirmed (no double opt-in in the US)", loc)
		}
		apptest.WaitUntil(t, "the welcome text", func() bool { return len(e.sent.TextsTo(number)) == 1 })
		if w := e.sent.TextsTo(number)[0]; !strings.Contains(w.Body, "Kaffee Haus") || !strings.Contains(w.Body, "STOP") {
			t.Fatalf("welcome text %q; want the shop's name and how to stop", w.Body)
		}
		cons, err := e.a.db.Consents(context.Background(), e.shop.ID, number)
		if err != nil || len(cons) != 1 {
			t.Fatalf("consents = %+v, %v; want one", cons, err)
		}
		if c := cons[0]; c.Status != storage.ConsentConfirmed || c.Source != storage.ConsentSourceTrackingPage || c.IP == "" ||
			!strings.Contains(c.Wording, "Kaffee Haus may send you shipping updates") || c.Channel != "sms" || c.ConfirmedAt == nil {
			t.Fatalf("consent = %+v; want confirmed, from the tracking page, with the words shown and the IP", c)
		}

		ns = e.notify(t, ship, "delayed")
		if sms := byChannel(ns, "sms"); sms.Status != storage.NotificationSent || sms.Recipient != number {
			t.Fatalf("SMS after the opt-in: %s %q to %q; want sent to %s", sms.Status, sms.Error, sms.Recipient, number)
		}
		if got := len(e.sent.TextsTo(number)); got != 2 {
			t.Fatalf("Twilio got %d texts to %s; want the welcome and the update", got, number)
		}
	})
}

func TestGermanShopperConfirmsByReplyBeforeTheFirstUpdate(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		ship := e.order(t, 7201, "0151 12345678", "DE")
		const number = "+4915112345678"
		if loc := e.optIn(t, ship, "0151 12345678", "sms"); !strings.Contains(loc, "optin=pending") {
			t.Fatalf("opt-in redirected to %q; want optin=pending (Germany asks for a double opt-in)", loc)
		}
		apptest.WaitUntil(t, "the confirmation question", func() bool { return len(e.sent.TextsTo(number)) == 1 })
		if q := e.sent.TextsTo(number)[0]; !strings.Contains(q.Body, "YES") {
			t.Fatalf("confirmation text %q; want it to ask for YES", q.Body)
		}
		if sms := byChannel(e.notify(t, ship, "out_for_delivery"), "sms"); sms.Status != storage.NotificationSkipped {
			t.Fatalf("SMS before the YES: %s; want skipped", sms.Status)
		}
		code, body := apptest.PostTwilio(t, e.base, "/webhooks/messaging/twilio/inbound", apptest.TwilioToken, inboundSMS(number, "Yes"))
		if code != http.StatusOK || !strings.Contains(body, "shipping updates are on") {
			t.Fatalf("YES reply: %d %s; want the opt-in confirmed", code, body)
		}
		if sms := byChannel(e.notify(t, ship, "delayed"), "sms"); sms.Status != storage.NotificationSent {
			t.Fatalf("SMS after the YES: %s %q; want sent", sms.Status, sms.Error)
		}
	})
}

func TestInvalidNumberIsRecordedAndNeverSent(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		ship := e.order(t, 7301, "555-01", "US")
		ns := e.notify(t, ship, "out_for_delivery")
		if sms := byChannel(ns, "sms"); sms.Status != storage.NotificationSkipped || sms.Error != "invalid phone number" {
			t.Fatalf("SMS to 555-01: %s %q; want skipped as an invalid phone number", sms.Status, sms.Error)
		}
		if email := byChannel(ns, "email"); email.Status != storage.NotificationSent {
			t.Fatalf("email instead: %s %q; want sent", email.Status, email.Error)
		}
		if n := len(e.sent.Texts()); n != 0 {
			t.Fatalf("Twilio got %d texts; want none", n)
		}
	})
}

func inboundWhatsApp(from, body string) url.Values {
	return url.Values{
		"MessageSid": {"SM" + strconv.FormatInt(time.Now().UnixNano(), 16)}, "AccountSid": {apptest.TwilioSID},
		"From": {"whatsapp:" + from}, "To": {"whatsapp:+15550009998"}, "Body": {body}, "NumMedia": {"0"},
	}
}

func TestWhatsAppUsesTemplatesOutsideTheSessionAndTextInside(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		e.sent.SetApproval("HX00000000000000000000000000000001", "approved")
		e.sent.SetApproval("HX00000000000000000000000000000002", "approved")
		e.sent.SetApproval("HX00000000000000000000000000000003", "pending")
		admin := signIn(t, e.a, e.base, e.shop.ID)
		code, page := admin.post("/admin/settings/whatsapp", url.Values{
			"trigger":     {"consent_confirmation", "out_for_delivery", "delayed", "shipped"},
			"language":    {"en", "en", "en", "en"},
			"content_sid": {"HX00000000000000000000000000000001", "HX00000000000000000000000000000002", "HX00000000000000000000000000000003", ""},
			"variables":   {"shop.name", "customer.first_name, tracking_url", "order.name", ""},
		})
		if code != http.StatusSeeOther {
			t.Fatalf("saving the templates: status %d:\n%s", code, page)
		}
		apptest.WaitUntil(t, "WhatsApp's verdicts read from Twilio's Content API", func() bool {
			s, err := e.a.db.ShopByID(context.Background(), e.shop.ID)
			tpls := s.Settings.V.WhatsAppTemplates
			return err == nil && len(tpls) == 3 && tpls["out_for_delivery:en"].Status == "approved" && tpls["delayed:en"].Status == "pending"
		})
		if _, page := admin.get(e.base + "/admin/settings/whatsapp"); !strings.Contains(page, `<span class="st-ok">approved</span>`) || !strings.Contains(page, ">pending</span>") {
			t.Fatalf("the WhatsApp settings page does not show the approval statuses:\n%s", page)
		}
		ship := e.order(t, 7401, "+34 612 345 678", "ES")
		const number = "+34612345678"
		e.optIn(t, ship, "612 345 678", "whatsapp")
		apptest.WaitUntil(t, "the welcome template", func() bool { return len(e.sent.TextsTo(number)) == 1 })
		if w := e.sent.TextsTo(number)[0]; w.ContentSID != "HX00000000000000000000000000000001" || w.ContentVariables != `{"1":"Kaffee Haus"}` || w.Body != "" {
			t.Fatalf("welcome = %+v; want the approved template with the shop's name, no free text", w)
		}

		if wa := byChannel(e.notify(t, ship, "out_for_delivery"), "whatsapp"); wa.Status != storage.NotificationSent {
			t.Fatalf("WhatsApp out for delivery: %s %q; want sent", wa.Status, wa.Error)
		}
		got := e.sent.TextsTo(number)
		if len(got) != 2 || got[1].ContentSID != "HX00000000000000000000000000000002" ||
			!strings.Contains(got[1].ContentVariables, `"1":"Ana"`) || !strings.Contains(got[1].ContentVariables, "/t/"+ship.PublicToken) {
			t.Fatalf("out for delivery = %+v; want the template with the first name and the tracking link", got)
		}
		ns := e.notify(t, ship, "delayed")
		if wa := byChannel(ns, "whatsapp"); wa.Status != storage.NotificationSkipped || !strings.Contains(wa.Error, "no approved template") {
			t.Fatalf("WhatsApp delayed with a pending template outside the session: %s %q; want skipped, saying why", wa.Status, wa.Error)
		}
		if email := byChannel(ns, "email"); email.Status != storage.NotificationSent {
			t.Fatalf("delayed by email instead: %s %q; want sent", email.Status, email.Error)
		}

		if code, _ := apptest.PostTwilio(t, e.base, "/webhooks/messaging/twilio/inbound", apptest.TwilioToken, inboundWhatsApp(number, "¿Cuándo llega?")); code != http.StatusOK {
			t.Fatalf("inbound WhatsApp: status %d", code)
		}
		if wa := byChannel(e.notify(t, ship, "failed_attempt"), "whatsapp"); wa.Status != storage.NotificationSent {
			t.Fatalf("WhatsApp delayed inside the session: %s %q; want sent", wa.Status, wa.Error)
		}
		got = e.sent.TextsTo(number)
		if last := got[len(got)-1]; last.ContentSID != "" || last.Body == "" {
			t.Fatalf("inside the 24 h session = %+v; want free text", last)
		}
	})
}

func TestWhatsAppWithoutATemplateOutsideTheSessionFallsBackToEmail(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		ship := e.order(t, 7501, "+34 612 345 679", "ES")
		e.optIn(t, ship, "612 345 679", "whatsapp")
		ns := e.notify(t, ship, "out_for_delivery")
		if wa := byChannel(ns, "whatsapp"); wa.Status != storage.NotificationSkipped || !strings.Contains(wa.Error, "24 h session window") {
			t.Fatalf("WhatsApp without a template: %s %q; want skipped, saying a template is needed", wa.Status, wa.Error)
		}
		if email := byChannel(ns, "email"); email.Status != storage.NotificationSent {
			t.Fatalf("email instead: %s %q; want sent", email.Status, email.Error)
		}
		if n := len(e.sent.TextsTo("+34612345679")); n != 0 {
			t.Fatalf("Twilio got %d WhatsApp messages; want none (WhatsApp refuses free text outside the window)", n)
		}
	})
}

func TestMonthlySMSCapFallsBackToEmail(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		st := e.shop.Settings.V
		st.SMSSegmentsMonthly = 1
		if err := e.a.db.SaveSettings(context.Background(), e.shop.ID, st); err != nil {
			t.Fatal(err)
		}
		ship := e.order(t, 7601, "(415) 555-0143", "US")
		e.optIn(t, ship, "(415) 555-0143", "sms")
		ns0 := e.notify(t, ship, "out_for_delivery")
		if sms := byChannel(ns0, "sms"); sms.Status != storage.NotificationSent || sms.Units < 1 {
			t.Fatalf("first SMS: %s units=%d; want sent and its segments counted", sms.Status, sms.Units)
		}
		ns := e.notify(t, ship, "delayed")
		if sms := byChannel(ns, "sms"); sms.Status != storage.NotificationSkipped || !strings.Contains(sms.Error, "monthly cap") {
			t.Fatalf("SMS over the cap: %s %q; want skipped for the monthly cap", sms.Status, sms.Error)
		}
		if email := byChannel(ns, "email"); email.Status != storage.NotificationSent {
			t.Fatalf("email fallback: %s %q; want sent", email.Status, email.Error)
		}
		admin := signIn(t, e.a, e.base, e.shop.ID)
		want := fmt.Sprintf("This month: %d SMS segments, 0 call minutes, paid by ordertrack", byChannel(ns0, "sms").Units)
		if _, page := admin.get(e.base + "/admin/settings"); !strings.Contains(page, want) {
			t.Fatalf("the settings page does not show the month's use and who pays (%q)", want)
		}
	})
}

func TestEmptyContactMessageIsRefused(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		ship := e.order(t, 7701, "(415) 555-0144", "US")
		form := url.Values{"_csrf": {e.a.shopper.CSRFToken(ship.PublicToken)}, "kind": {"contact_support"}, "message": {"  "}}
		res, _ := apptest.PostForm(t, e.base+"/t/"+ship.PublicToken+"/actions", form)
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("contact with no message: status %d; want 400", res.StatusCode)
		}
		if n := storagetest.Count(t, e.a.db, "customer_actions", ""); n != 0 {
			t.Fatalf("%d requests stored; want none", n)
		}
	})
}
