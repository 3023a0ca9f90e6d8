package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/integrations/woocommerce/wootest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// installedShop is a shop installed the way a merchant installs it, never
// seeded, with every channel's provider faked over HTTP.
type installedShop struct {
	a      *App
	base   string
	public string // the URL the app's links and Twilio's signatures name
	sent   *apptest.Providers
	shop   *storage.Shop
	// order creates an order the platform's way (its webhook) for a
	// shopper with the phone as typed, shipping to country, and returns
	// its shipment.
	order func(t *testing.T, id int64, phone, country string) *storage.Shipment
	woo   *wooEnv             // the connected store, on WooCommerce
	fake  *shopifytest.Server // the store, on Shopify
}

// installShopifyByTokenExchange installs shopA the way an embedded app is
// installed: the first admin load carries a session token of a shop we do
// not know, exchanged with the fake Shopify for an access token.
func installShopifyByTokenExchange(t *testing.T, dbURL string) *installedShop {
	t.Helper()
	sent := apptest.NewProviders(t)
	fake := shopifytest.NewServer(t, testAPIKey, testSecret)
	fake.SetShopInfo(shopA, kaffeeHaus)
	cfg := channelsConfig(sent.URL)
	cfg.ShopifyAPIKey, cfg.ShopifyScopes = testAPIKey, defaultShopifyScopes
	a, base := startApp(t, dbURL, cfg, withShopify(fake.BaseURL))
	if res, _ := apptest.Fetch(t, base+"/admin", bearer(shopA, time.Now())); res.StatusCode != http.StatusOK {
		t.Fatalf("first embedded load: status %d; want 200", res.StatusCode)
	}
	if n := fake.Stats(shopA).TokenExchanges; n != 1 {
		t.Fatalf("%d token exchanges; want 1", n)
	}
	e := &installedShop{a: a, base: base, public: base, sent: sent, fake: fake}
	apptest.WaitUntil(t, "the shop's identity read from Shopify", func() bool {
		s, err := a.db.ShopByDomain(context.Background(), storage.Shopify, shopA)
		if err != nil || s.Plan == "" {
			return false
		}
		e.shop = s
		return true
	})
	env := &shopifyChannelsEnv{a: a, base: base, fake: fake, sent: sent, shop: e.shop, domain: shopA}
	e.order = env.order
	return e
}

// connectWooForChannels connects a fake WooCommerce store through the
// connect flow (keys posted back by the store, webhooks created) and
// returns it with its orders delivered by signed webhooks.
func connectWooForChannels(t *testing.T, dbURL string) *installedShop {
	t.Helper()
	sent := apptest.NewProviders(t)
	store := wootest.NewTLSServer(t, wooKey, wooSecret)
	cfg := channelsConfig(sent.URL)
	cfg.AppURL = wooAppURL
	a, base := startApp(t, dbURL, cfg, withOutbound(trusting(store)))
	loc, _ := beginConnect(t, base, store.URL)
	if code := postKeys(t, base, loc.Query().Get("user_id")); code != http.StatusOK {
		t.Fatalf("key callback: status %d; want exactly 200", code)
	}
	apptest.WaitUntil(t, "the webhooks on the store", func() bool { return len(store.Webhooks()) == len(woocommerce.Topics) })
	ctx := context.Background()
	shop, err := a.db.ShopByDomain(ctx, storage.WooCommerce, storeDomain(store))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := a.db.WooStore(ctx, shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	sec, err := a.db.Secrets(shop)
	if err != nil {
		t.Fatal(err)
	}
	w := &wooEnv{a: a, base: base, store: store, shop: shop, ws: ws, hookSecret: sec.WebhookSecret}
	e := &installedShop{a: a, base: base, public: wooAppURL, sent: sent, woo: w}
	apptest.WaitUntil(t, "the store's identity", func() bool {
		s, err := a.db.ShopByID(ctx, shop.ID)
		if err != nil || s.Currency == "" {
			return false
		}
		e.shop = s
		return true
	})
	e.order = func(t *testing.T, id int64, phone, country string) *storage.Shipment {
		t.Helper()
		number := fmt.Sprintf("1ZWOOCHAN%09d", id)
		o := astOrder(id, time.Now().UTC().Add(-time.Hour), "UPS", number)
		o.Billing.Phone, o.Billing.Country, o.Shipping.Country, o.Shipping.State = phone, country, country, ""
		w.waitProcessed(t, w.deliver(t, woocommerce.TopicOrderCreated, o.JSON()))
		s := w.waitShipment(t, number)
		return &s
	}
	return e
}

// optIn submits the tracking page's opt-in form for channel, with its
// "also call me" box ticked when calls.
func (e *installedShop) optIn(t *testing.T, s *storage.Shipment, number, channel string, calls bool) string {
	t.Helper()
	_, body := apptest.Fetch(t, e.base+"/t/"+s.PublicToken, nil)
	if !strings.Contains(body, "/t/"+s.PublicToken+`/consent"`) || !strings.Contains(body, `name="voice" value="1"`) {
		t.Fatalf("tracking page offers no opt-in form with a box for calls:\n%s", body)
	}
	form := url.Values{"_csrf": {e.a.shopper.CSRFToken(s.PublicToken)}, "phone": {number}, "channel": {channel}, "locale": {"en"}}
	if calls {
		form.Set("voice", "1")
	}
	res, _ := apptest.PostForm(t, e.base+"/t/"+s.PublicToken+"/consent", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("opt-in to %s: status %d; want 303", channel, res.StatusCode)
	}
	return res.Header.Get("Location")
}

// twilio posts form to path as Twilio does, signed for the public URL.
func (e *installedShop) twilio(t *testing.T, path string, form url.Values) string {
	t.Helper()
	res, body := apptest.Do(t, apptest.Request(t, http.MethodPost, e.base+path, strings.NewReader(form.Encode()), http.Header{
		"Content-Type":       {"application/x-www-form-urlencoded"},
		"X-Twilio-Signature": {apptest.TwilioSignature(apptest.TwilioToken, e.public+path, form)},
	}))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("Twilio %s: status %d %s; want 200", path, res.StatusCode, body)
	}
	return body
}

// notify fires trigger for s and returns its messages once none is still
// scheduled.
func (e *installedShop) notify(t *testing.T, s *storage.Shipment, trigger string) []storage.Notification {
	t.Helper()
	env := &shopifyChannelsEnv{a: e.a}
	return env.notify(t, s, trigger)
}

// everyChannel takes one shopper of an installed shop through every
// channel: email without asking, WhatsApp after an opt-in (an approved
// template outside the 24 h session window, free text inside it), SMS after
// an opt-in, and the call for an action.
func everyChannel(t *testing.T, e *installedShop, id int64) {
	// The merchant maps WhatsApp's approved templates in the admin.
	e.sent.SetApproval("HX00000000000000000000000000000011", "approved")
	e.sent.SetApproval("HX00000000000000000000000000000012", "approved")
	admin := signIn(t, e.a, e.base, e.shop.ID)
	if code, page := admin.post("/admin/settings/whatsapp", url.Values{
		"trigger": {"consent_confirmation", "out_for_delivery"}, "language": {"en", "en"},
		"content_sid": {"HX00000000000000000000000000000011", "HX00000000000000000000000000000012"},
		"variables":   {"shop.name", "tracking_url"},
	}); code != http.StatusSeeOther {
		t.Fatalf("saving the WhatsApp templates: status %d:\n%s", code, page)
	}
	apptest.WaitUntil(t, "WhatsApp's verdicts read from Twilio", func() bool {
		s, err := e.a.db.ShopByID(context.Background(), e.shop.ID)
		return err == nil && s.Settings.V.WhatsAppTemplates["out_for_delivery:en"].Status == storage.TemplateApproved &&
			s.Settings.V.WhatsAppTemplates["consent_confirmation:en"].Status == storage.TemplateApproved
	})
	const typed, number = "(415) 555-0177", "+14155550177"
	ship := e.order(t, id, typed, "US")

	// Email needs no consent; the phone channels wait for one.
	ns := e.notify(t, ship, "shipped")
	if email := byChannel(ns, "email"); email.Status != storage.NotificationSent || mailsTo(e.sent, "ana@example.com") != 1 {
		t.Fatalf("shipped by email: %s %q, SendGrid got %d mails to the shopper; want sent, one mail", email.Status, email.Error, mailsTo(e.sent, "ana@example.com"))
	}
	if n := len(e.sent.TextsTo(number)); n != 0 {
		t.Fatalf("Twilio got %d messages before any opt-in; want none", n)
	}

	// WhatsApp: the opt-in's welcome and the first update are approved
	// templates (nothing was written to us in 24 h).
	e.optIn(t, ship, typed, "whatsapp", false)
	apptest.WaitUntil(t, "the WhatsApp welcome", func() bool { return len(e.sent.TextsTo(number)) == 1 })
	if w := e.sent.TextsTo(number)[0]; w.ContentSID != "HX00000000000000000000000000000011" || w.Body != "" || !strings.HasPrefix(w.To, "whatsapp:") {
		t.Fatalf("WhatsApp welcome = %+v; want the approved template", w)
	}
	if wa := byChannel(e.notify(t, ship, "out_for_delivery"), "whatsapp"); wa.Status != storage.NotificationSent {
		t.Fatalf("WhatsApp out for delivery: %s %q; want sent", wa.Status, wa.Error)
	}
	got := e.sent.TextsTo(number)
	if last := got[len(got)-1]; len(got) != 2 || last.ContentSID != "HX00000000000000000000000000000012" || !strings.Contains(last.ContentVariables, "/t/"+ship.PublicToken) {
		t.Fatalf("out for delivery outside the session = %+v; want the template with the tracking link", got)
	}
	// The shopper writes: inside the 24 h window the update is free text.
	e.twilio(t, "/webhooks/messaging/twilio/inbound", inboundWhatsApp(number, "When does it come?"))
	if wa := byChannel(e.notify(t, ship, "delayed"), "whatsapp"); wa.Status != storage.NotificationSent {
		t.Fatalf("WhatsApp delayed inside the session: %s %q; want sent", wa.Status, wa.Error)
	}
	got = e.sent.TextsTo(number)
	if last := got[len(got)-1]; len(got) != 3 || last.ContentSID != "" || last.Body == "" {
		t.Fatalf("delayed inside the session = %+v; want free text", got)
	}

	// A call only with consent to calls.
	ns = e.notify(t, ship, "failed_attempt")
	if v := byChannel(ns, "voice"); v.ID != 0 {
		t.Fatalf("failed attempt planned a call: %+v; want none (calls are for action required)", v)
	}

	// SMS, and calls: the opt-in's welcome says how to stop, then updates
	// go by SMS.
	e.optIn(t, ship, typed, "sms", true)
	apptest.WaitUntil(t, "the SMS welcome", func() bool { return len(smsTo(e.sent, number)) == 1 })
	if w := smsTo(e.sent, number)[0]; !strings.Contains(w.Body, e.shop.Name) || !strings.Contains(w.Body, "STOP") {
		t.Fatalf("SMS welcome %q; want the shop's name and how to stop", w.Body)
	}
	ns = e.notify(t, ship, "available_for_pickup")
	if sms := byChannel(ns, "sms"); sms.Status != storage.NotificationSent || sms.Recipient != number {
		t.Fatalf("SMS pickup: %s %q to %q; want sent to %s", sms.Status, sms.Error, sms.Recipient, number)
	}
	if n := len(smsTo(e.sent, number)); n != 2 {
		t.Fatalf("Twilio got %d SMS; want the welcome and the update", n)
	}

	cons, err := e.a.db.Consents(context.Background(), e.shop.ID, number)
	if err != nil {
		t.Fatal(err)
	}
	var call storage.Consent
	for _, c := range cons {
		if c.Channel == "voice" {
			call = c
		}
	}
	if call.Status != storage.ConsentConfirmed || call.Source != storage.ConsentSourceTrackingPage || call.IP == "" ||
		!strings.Contains(call.Wording, "call this number") || call.ConfirmedAt == nil {
		t.Fatalf("consent to calls = %+v; want confirmed from the page with its own words and the IP", call)
	}

	// The action-required news calls the shopper, with the text and email.
	ns = e.notify(t, ship, "action_required")
	if v := byChannel(ns, "voice"); v.Status != storage.NotificationSent || v.Recipient != number {
		t.Fatalf("call for action required: %s %q to %q; want sent to %s", v.Status, v.Error, v.Recipient, number)
	}
	if calls := e.sent.Calls(); len(calls) != 1 || calls[0].To != number || !strings.Contains(calls[0].Twiml, `input="dtmf speech"`) {
		t.Fatalf("Twilio calls = %+v; want one to %s that listens for keys and speech", calls, number)
	}
}

func TestGermanShopperConfirmsCallsWithTheTextsYES(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopifyByTokenExchange(t, dbURL)
		ship := e.order(t, 8301, "0151 12345679", "DE")
		const number = "+4915112345679"
		if loc := e.optIn(t, ship, "0151 12345679", "sms", true); !strings.Contains(loc, "optin=pending") {
			t.Fatalf("opt-in redirected to %q; want optin=pending", loc)
		}
		apptest.WaitUntil(t, "the one confirmation question", func() bool { return len(e.sent.TextsTo(number)) == 1 })
		if v := byChannel(e.notify(t, ship, "action_required"), "voice"); v.Status != storage.NotificationSkipped || len(e.sent.Calls()) != 0 {
			t.Fatalf("call before the YES: %s %q, %d calls; want skipped, none", v.Status, v.Error, len(e.sent.Calls()))
		}
		e.twilio(t, "/webhooks/messaging/twilio/inbound", inboundSMS(number, "JA"))
		if v := byChannel(e.notify(t, ship, "failed_attempt"), "sms"); v.Status != storage.NotificationSent {
			t.Fatalf("SMS after the YES: %s %q; want sent", v.Status, v.Error)
		}
		cons, err := e.a.db.Consents(context.Background(), e.shop.ID, number)
		if err != nil || len(cons) != 2 || cons[0].Status != storage.ConsentConfirmed || cons[1].Status != storage.ConsentConfirmed {
			t.Fatalf("consents after the YES = %+v, %v; want the text and the call consent confirmed", cons, err)
		}
	})
}

// mailsTo counts what SendGrid accepted for to.
func mailsTo(p *apptest.Providers, to string) int {
	n := 0
	for _, m := range p.Mails() {
		if m.To == to {
			n++
		}
	}
	return n
}

// smsTo is what Twilio accepted by SMS (not WhatsApp) for number.
func smsTo(p *apptest.Providers, number string) []apptest.Text {
	var out []apptest.Text
	for _, m := range p.TextsTo(number) {
		if !strings.HasPrefix(m.To, "whatsapp:") {
			out = append(out, m)
		}
	}
	return out
}

func TestInstalledShopifyShopReachesTheShopperOnEveryChannel(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		everyChannel(t, installShopifyByTokenExchange(t, dbURL), 8101)
	})
}

func TestConnectedWooShopReachesTheShopperOnEveryChannel(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		everyChannel(t, connectWooForChannels(t, dbURL), 8201)
	})
}

// extensionToken is the session token Shopify gives the order status
// extension of a signed-in customer (empty: a signed-out visitor).
func extensionToken(t *testing.T, customer string) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"aud": testAPIKey, "dest": shopA, "sub": customer,
		"exp": time.Now().Add(time.Minute).Unix(), "nbf": time.Now().Add(-time.Minute).Unix(),
	}).SignedString([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestOrderStatusExtensionOptsTheShopperIn(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopifyByTokenExchange(t, dbURL)
		ship := e.order(t, 8401, "(415) 555-0178", "US")
		const number = "+14155550178"
		call := func(method, path, tok, body string) (*http.Response, string) {
			h := http.Header{"Authorization": {"Bearer " + tok}, "Content-Type": {"application/json"}}
			return apptest.Do(t, apptest.Request(t, method, e.base+path, strings.NewReader(body), h))
		}
		owner := extensionToken(t, "gid://shopify/Customer/7001")
		res, body := call(http.MethodGet, "/api/track/orders/8401?locale=en", owner, "")
		var sum struct {
			OptIn struct {
				Wording      string `json:"wording"`
				VoiceWording string `json:"voice_wording"`
			} `json:"opt_in"`
		}
		if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &sum) != nil || sum.OptIn.Wording == "" || sum.OptIn.VoiceWording == "" {
			t.Fatalf("summary = %d %s; want the opt-in's words", res.StatusCode, body)
		}
		optIn := `{"phone":"(415) 555-0178","channel":"sms","calls":true,"locale":"en"}`
		for _, tt := range []struct {
			name, tok string
			want      int
		}{
			{"another customer", extensionToken(t, "gid://shopify/Customer/8"), http.StatusNotFound},
			{"signed-out visitor", extensionToken(t, ""), http.StatusNotFound},
			{"forged token", "eyJhbGciOiJIUzI1NiJ9.e30.forged", http.StatusUnauthorized},
		} {
			if res, _ := call(http.MethodPost, "/api/track/orders/8401/consent", tt.tok, optIn); res.StatusCode != tt.want {
				t.Errorf("%s: status %d; want %d", tt.name, res.StatusCode, tt.want)
			}
		}
		if res, _ := call(http.MethodOptions, "/api/track/orders/8401/consent", "", ""); res.StatusCode != http.StatusNoContent ||
			!strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "POST") || !strings.Contains(res.Header.Get("Access-Control-Allow-Headers"), "Content-Type") {
			t.Fatalf("preflight = %d %v; want 204 allowing POST with a JSON body", res.StatusCode, res.Header)
		}
		if res, body := call(http.MethodPost, "/api/track/orders/8401/consent", owner, optIn); res.StatusCode != http.StatusOK || !strings.Contains(body, `"confirmed"`) {
			t.Fatalf("opt-in from the extension = %d %s; want confirmed", res.StatusCode, body)
		}
		apptest.WaitUntil(t, "the welcome text", func() bool { return len(smsTo(e.sent, number)) == 1 })
		cons, err := e.a.db.Consents(context.Background(), e.shop.ID, number)
		if err != nil || len(cons) != 2 {
			t.Fatalf("consents = %+v, %v; want texts and calls", cons, err)
		}
		for _, c := range cons {
			want := sum.OptIn.Wording
			if c.Channel == "voice" {
				want = sum.OptIn.VoiceWording
			}
			if c.Source != storage.ConsentSourceOrderStatus || c.Status != storage.ConsentConfirmed || c.Wording != want || c.IP == "" || c.OrderID == nil {
				t.Fatalf("consent = %+v; want confirmed from the order status page with the words the extension showed (%q) and the IP", c, want)
			}
		}
		if v := byChannel(e.notify(t, ship, "action_required"), "voice"); v.Status != storage.NotificationSent || len(e.sent.Calls()) != 1 {
			t.Fatalf("call after the extension's opt-in: %s %q; want sent", v.Status, v.Error)
		}
	})
}

func TestWooCheckoutConsentTextsAndCallsTheShopper(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := connectWooForChannels(t, dbURL)
		const number = "+14155550179"
		placed := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Second)
		o := astOrder(8501, time.Now().UTC().Add(-time.Hour), "UPS", "1ZWOOCONSENT00008501")
		o.Billing.Phone = "(415) 555-0179"
		o.Meta = append(o.Meta, wootest.Meta{ID: 56, Key: woocommerce.ConsentMetaKey, Value: map[string]any{
			"time": placed.Format(time.RFC3339), "ip": "198.51.100.23", "locale": "en_US",
			"channels": []map[string]string{
				{"channel": "sms", "wording": "Text me shipping updates: Shop Example may send shipping updates for this order by text message."},
				{"channel": "voice", "wording": "Call me when I must act: Shop Example may call my billing phone about this order."},
			},
		}})
		e.woo.waitProcessed(t, e.woo.deliver(t, woocommerce.TopicOrderCreated, o.JSON()))
		apptest.WaitUntil(t, "the welcome text", func() bool { return len(smsTo(e.sent, number)) == 1 })
		if w := smsTo(e.sent, number)[0]; !strings.Contains(w.Body, "STOP") {
			t.Fatalf("welcome %q; want how to stop", w.Body)
		}
		// The store sends the order again and again: one consent per box.
		e.woo.waitProcessed(t, e.woo.deliver(t, woocommerce.TopicOrderUpdated, o.JSON()))
		cons, err := e.a.db.Consents(context.Background(), e.shop.ID, number)
		if err != nil || len(cons) != 2 {
			t.Fatalf("consents = %+v, %v; want the two ticked boxes, once", cons, err)
		}
		for _, c := range cons {
			if c.Source != storage.ConsentSourceWooCheckout || c.Status != storage.ConsentConfirmed || c.IP != "198.51.100.23" ||
				!c.CreatedAt.Equal(placed) || !strings.Contains(c.Wording, "Shop Example may") || c.OrderID == nil {
				t.Fatalf("consent = %+v; want confirmed from the checkout with its words, IP and time %s", c, placed)
			}
		}
		ship := e.woo.waitShipment(t, "1ZWOOCONSENT00008501")
		ns := e.notify(t, &ship, "action_required")
		if sms, call := byChannel(ns, "sms"), byChannel(ns, "voice"); sms.Status != storage.NotificationSent || call.Status != storage.NotificationSent {
			t.Fatalf("action required: SMS %s %q, call %s %q; want both sent", sms.Status, sms.Error, call.Status, call.Error)
		}
		if calls := e.sent.Calls(); len(calls) != 1 || calls[0].To != number || len(smsTo(e.sent, number)) != 2 {
			t.Fatalf("Twilio calls %+v, %d texts; want one call to %s and the welcome and the update", calls, len(smsTo(e.sent, number)), number)
		}
	})
}

func TestConsentsAreShownExportedAndErasedWithTheShopper(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopifyByTokenExchange(t, dbURL)
		ship := e.order(t, 8601, "(415) 555-0181", "US")
		const number = "+14155550181"
		e.optIn(t, ship, "(415) 555-0181", "sms", true)
		apptest.WaitUntil(t, "the welcome text", func() bool { return len(smsTo(e.sent, number)) == 1 })

		admin := func() string {
			res, body := apptest.Fetch(t, e.base+"/admin/consents", bearer(shopA, time.Now()))
			if res.StatusCode != http.StatusOK {
				t.Fatalf("/admin/consents: status %d", res.StatusCode)
			}
			return body
		}
		page := admin()
		for _, want := range []string{number[1:], "Tracking page", "may call this number about this order", "may send you shipping updates", "127.0.0.1", "#1001", "Confirmed", ">Call<", ">SMS<"} {
			if !strings.Contains(page, want) {
				t.Errorf("consents page lacks %q", want)
			}
		}

		// The shopper's data request names no phone: the consents come by the order.
		req := []byte(`{"shop_id":954889,"shop_domain":"shop-a.myshopify.com","customer":{"id":7001,"email":"ana@example.com","phone":null},"orders_requested":[8601],"data_request":{"id":9999}}`)
		if code := apptest.PostShopifyWebhook(t, e.base, shopA, "customers/data_request", "wh-consent-data-req", req, testSecret); code != http.StatusOK {
			t.Fatalf("customers/data_request: status %d", code)
		}
		var export storage.Notification
		apptest.WaitUntil(t, "the data export", func() bool {
			return e.a.db.Gorm.Where("shop_id = ? AND trigger = ?", e.shop.ID, "data_request").Take(&export).Error == nil
		})
		var data storage.CustomerData
		if err := json.Unmarshal([]byte(export.Body), &data); err != nil || len(data.Consents) != 2 {
			t.Fatalf("export has %d consents (%v); want the texts' and the calls'", len(data.Consents), err)
		}
		for _, c := range data.Consents {
			if c.Address != number || c.IP == "" || c.Wording == "" || c.Source != storage.ConsentSourceTrackingPage {
				t.Fatalf("exported consent = %+v; want its number, IP, words and source", c)
			}
		}

		redact := []byte(`{"shop_id":954889,"shop_domain":"shop-a.myshopify.com","customer":{"id":7001,"email":"ana@example.com","phone":null},"orders_to_redact":[8601]}`)
		if code := apptest.PostShopifyWebhook(t, e.base, shopA, "customers/redact", "wh-consent-redact", redact, testSecret); code != http.StatusOK {
			t.Fatalf("customers/redact: status %d", code)
		}
		apptest.WaitUntil(t, "the consents erased", func() bool {
			return storagetest.Count(t, e.a.db, "consents", "shop_id = ? AND address = '' AND ip = '' AND wording = ''", e.shop.ID) == 2
		})
		if page := admin(); strings.Contains(page, number[1:]) || strings.Contains(page, "may call this number") || !strings.Contains(page, "erased") {
			t.Fatalf("consents page after the erasure still shows the shopper:\n%s", page)
		}
	})
}

func TestGermanWooCheckoutConsentWaitsForTheShoppersYES(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := connectWooForChannels(t, dbURL)
		const number = "+4915112345670"
		o := astOrder(8701, time.Now().UTC().Add(-time.Hour), "UPS", "1ZWOOCONSENT00008701")
		o.Billing.Phone, o.Billing.Country, o.Shipping.Country, o.Shipping.State = "0151 12345670", "DE", "DE", ""
		o.Meta = append(o.Meta, wootest.Meta{ID: 57, Key: woocommerce.ConsentMetaKey, Value: map[string]any{
			"time": time.Now().UTC().Add(-time.Hour).Format(time.RFC3339), "ip": "198.51.100.24", "locale": "de_DE",
			"channels": []map[string]string{
				{"channel": "sms", "wording": "Schick mir Versand-Updates per SMS."},
				{"channel": "voice", "wording": "Ruft mich an, wenn ich handeln muss."},
			},
		}})
		e.woo.waitProcessed(t, e.woo.deliver(t, woocommerce.TopicOrderCreated, o.JSON()))
		apptest.WaitUntil(t, "the confirmation question", func() bool { return len(smsTo(e.sent, number)) == 1 })
		ship := e.woo.waitShipment(t, "1ZWOOCONSENT00008701")
		if ns := e.notify(t, &ship, "action_required"); byChannel(ns, "sms").Status != storage.NotificationSkipped || byChannel(ns, "voice").Status != storage.NotificationSkipped {
			t.Fatalf("before the YES: SMS %s, call %s; want both skipped", byChannel(ns, "sms").Status, byChannel(ns, "voice").Status)
		}
		e.twilio(t, "/webhooks/messaging/twilio/inbound", inboundSMS(number, "Ja"))
		cons, err := e.a.db.Consents(context.Background(), e.shop.ID, number)
		if err != nil || len(cons) != 2 {
			t.Fatalf("consents = %+v, %v; want two", cons, err)
		}
		for _, c := range cons {
			if c.Status != storage.ConsentConfirmed || !c.DoubleOptIn || c.Source != storage.ConsentSourceWooCheckout {
				t.Fatalf("consent after the YES = %+v; want confirmed, by double opt-in, from the checkout", c)
			}
		}
		if ns := e.notify(t, &ship, "failed_attempt"); byChannel(ns, "sms").Status != storage.NotificationSent {
			t.Fatalf("SMS after the YES: %s %q; want sent", byChannel(ns, "sms").Status, byChannel(ns, "sms").Error)
		}
	})
}

func TestGermanWooCheckoutConsentToCallsAloneIsAskedByText(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := connectWooForChannels(t, dbURL)
		const number = "+4915112345671"
		o := astOrder(8801, time.Now().UTC().Add(-time.Hour), "UPS", "1ZWOOCONSENT00008801")
		o.Billing.Phone, o.Billing.Country, o.Shipping.Country, o.Shipping.State = "0151 12345671", "DE", "DE", ""
		o.Meta = append(o.Meta, wootest.Meta{ID: 58, Key: woocommerce.ConsentMetaKey, Value: map[string]any{
			"time": time.Now().UTC().Add(-time.Hour).Format(time.RFC3339), "ip": "198.51.100.25", "locale": "de_DE",
			"channels": []map[string]string{{"channel": "voice", "wording": "Ruft mich an, wenn ich handeln muss."}},
		}})
		e.woo.waitProcessed(t, e.woo.deliver(t, woocommerce.TopicOrderCreated, o.JSON()))
		apptest.WaitUntil(t, "the question by text", func() bool { return len(smsTo(e.sent, number)) == 1 })
		if q := smsTo(e.sent, number)[0].Body; !strings.Contains(q, "anrufen") || !strings.Contains(q, "JA") {
			t.Fatalf("question %q; want it to ask, in German, for a YES to calls", q)
		}
		e.twilio(t, "/webhooks/messaging/twilio/inbound", inboundSMS(number, "Ja"))
		ship := e.woo.waitShipment(t, "1ZWOOCONSENT00008801")
		ns := e.notify(t, &ship, "action_required")
		if call := byChannel(ns, "voice"); call.Status != storage.NotificationSent || len(e.sent.Calls()) != 1 {
			t.Fatalf("call after the YES: %s %q; want sent", call.Status, call.Error)
		}
		if sms := byChannel(ns, "sms"); sms.Status == storage.NotificationSent {
			t.Fatalf("SMS sent with consent to calls only")
		}
	})
}

// TestTextedSTOPAlsoEndsCalls: the calls box's question says "Reply STOP to
// stop", so a STOP by text withdraws the consent to calls of that number
// too; START brings back texts only, since calls need their own yes.
func TestTextedSTOPAlsoEndsCalls(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopifyByTokenExchange(t, dbURL)
		ship := e.order(t, 8401, "(415) 555-0142", "US")
		const number = "+14155550142"
		e.optIn(t, ship, "(415) 555-0142", "sms", true)
		if v := byChannel(e.notify(t, ship, "action_required"), "voice"); v.Status != storage.NotificationSent {
			t.Fatalf("call after the opt-in: %s %q; want sent", v.Status, v.Error)
		}
		calls := len(e.sent.Calls())
		e.twilio(t, "/webhooks/messaging/twilio/inbound", inboundSMS(number, "STOP"))
		e.twilio(t, "/webhooks/messaging/twilio/inbound", inboundSMS(number, "START"))
		if v := byChannel(e.notify(t, ship, "failed_attempt"), "sms"); v.Status != storage.NotificationSent {
			t.Fatalf("SMS after START: %s %q; want sent", v.Status, v.Error)
		}
		// A later order of the same shopper may not call either.
		next := e.order(t, 8402, "(415) 555-0142", "US")
		if v := byChannel(e.notify(t, next, "action_required"), "voice"); v.Status != storage.NotificationSkipped || !strings.Contains(v.Error, "opted out") || len(e.sent.Calls()) != calls {
			t.Fatalf("call after a texted STOP: %s %q, %d calls; want skipped as opted out, none past the %d before", v.Status, v.Error, len(e.sent.Calls()), calls)
		}
	})
}

// A shop without an approved WhatsApp template cannot send the welcome
// after a WhatsApp opt-in (the shopper has not written, so the 24 h session
// window is closed): the welcome goes to the order's email instead, and the
// outbox says why WhatsApp did not carry it.
func TestWhatsAppWelcomeWithoutATemplateGoesByEmail(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopifyByTokenExchange(t, dbURL)
		ship := e.order(t, 8401, "+34 612 345 671", "ES")
		const number = "+34612345671"
		ctx := context.Background()
		o, err := e.a.db.OrderByID(ctx, ship.OrderID)
		if err != nil || o.Email == "" {
			t.Fatalf("order = %+v, %v; want one with an email", o, err)
		}
		if loc := e.optIn(t, ship, "612 345 671", "whatsapp", false); !strings.Contains(loc, "optin=confirmed") {
			t.Fatalf("opt-in redirected to %q; want optin=confirmed", loc)
		}
		// The order's own emails (shipped) go too; the welcome is the one
		// about WhatsApp.
		var welcome apptest.Mail
		apptest.WaitUntil(t, "the welcome by email", func() bool {
			for _, m := range e.sent.Mails() {
				if m.To == o.Email && strings.Contains(m.Text, "WhatsApp") {
					welcome = m
					return true
				}
			}
			return false
		})
		if !strings.Contains(welcome.Subject, kaffeeHaus.Name) || !strings.Contains(welcome.Text, "STOP") {
			t.Fatalf("welcome email = %q / %q; want the shop and how to stop", welcome.Subject, welcome.Text)
		}
		if n := len(e.sent.TextsTo(number)); n != 0 {
			t.Fatalf("Twilio got %d WhatsApp messages; want none (WhatsApp refuses free text outside the window)", n)
		}
		cons, err := e.a.db.Consents(ctx, e.shop.ID, number)
		if err != nil || len(cons) != 1 {
			t.Fatalf("consents = %+v, %v; want one", cons, err)
		}
		// The WhatsApp welcome is logged once the email went (so a retry
		// retries the email): the test may see the email first.
		var wa *storage.Notification
		apptest.WaitUntil(t, "the WhatsApp welcome logged", func() bool {
			wa, err = e.a.db.NotificationByKey(ctx, e.shop.ID, "consent_confirmation:"+strconv.FormatInt(cons[0].ID, 10))
			return err == nil && wa.Status != storage.NotificationScheduled
		})
		if wa.Status != storage.NotificationSkipped || !strings.Contains(wa.Error, "24 h session window") || !strings.Contains(wa.Error, "by email instead") {
			t.Fatalf("WhatsApp welcome = %+v, %v; want skipped, saying a template is needed and that email carried it", wa, err)
		}
	})
}
