package app

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/install"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
)

const appBridgeScript = `<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>`

// embeddedURL is an admin page as Shopify admin's iframe loads it.
func embeddedURL(base, path, shop string, at time.Time) string {
	q := url.Values{"embedded": {"1"}, "shop": {shop}, "host": {"YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvc2hvcC1h"},
		"id_token": {shopifytest.SessionToken(testAPIKey, testSecret, shop, "42", at)}}
	return base + path + "?" + q.Encode()
}

// failedDelivery stores a webhook delivery that failed for shop, as the
// webhook endpoint keeps one for replay.
func failedDelivery(t *testing.T, a *App, shop *storage.Shop, payload []byte) int64 {
	t.Helper()
	d := &storage.WebhookDelivery{ShopID: &shop.ID, Platform: storage.Shopify, DeliveryID: "wh-" + shop.Domain, Topic: "orders/create",
		ShopDomain: shop.Domain, Payload: payload, Status: storage.DeliveryFailed, Error: "boom", ReceivedAt: time.Now().UTC()}
	if err := a.db.Gorm.Create(d).Error; err != nil {
		t.Fatalf("store failed delivery: %v", err)
	}
	return d.ID
}

func deliveryStatus(t *testing.T, a *App, id int64) string {
	t.Helper()
	d, err := a.db.Delivery(context.Background(), id)
	if err != nil {
		t.Fatalf("delivery %d: %v", id, err)
	}
	return d.Status
}

// embeddedTitles are the admin pages and the title App Bridge's title bar
// shows on each.
var embeddedTitles = map[string]string{"/admin": "Overview", "/admin/shipments": "Shipments", "/admin/webhooks": "Webhooks",
	"/admin/templates": "Message templates", "/admin/templates/shipped/sms/en": "Tracking started · SMS · English",
	"/admin/settings": "Settings", "/admin/analytics": "Analytics", "/admin/settings/whatsapp": "WhatsApp templates",
	"/admin/settings/twilio": "Your Twilio account", "/admin/consents": "Consents"}

// saveBarForms are the forms that show App Bridge's save bar when changed.
var saveBarForms = map[string]string{"/admin/settings": `<form method="post" action="/admin/settings" novalidate`,
	"/admin/settings/whatsapp": `<form method="post" action="/admin/settings/whatsapp" novalidate`, "/admin/settings/twilio": `<form method="post" action="/admin/settings/twilio" novalidate`,
	"/admin/templates/shipped/sms/en": `<form method="post" action="/admin/templates/shipped/sms/en" id="ed-form" class="card"`}

// TestEmbeddedAdminPagesLoadAppBridgeAndItsNav: inside Shopify admin every
// page loads App Bridge, its nav, title bar and save bar; standalone
// (WooCommerce, the demo) the same pages carry Polaris's look inline and
// nothing from Shopify's CDN.
func TestEmbeddedAdminPagesLoadAppBridgeAndItsNav(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		shop := installTestShop(t, a, fake, shopA, time.Hour)
		for path := range embeddedTitles {
			res, page := apptest.Fetch(t, embeddedURL(base, path, shopA, time.Now()), nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("embedded %s: status %d; want 200", path, res.StatusCode)
			}
			for _, want := range []string{`<meta name="shopify-api-key" content="` + testAPIKey + `">`, appBridgeScript,
				`<ui-nav-menu>`, `<a href="/admin" rel="home">`, `shopify.idToken()`, `shop:"` + shopA + `"`} {
				if !strings.Contains(page, want) {
					t.Errorf("embedded %s lacks %s", path, want)
				}
			}
			if title := embeddedTitles[path]; !strings.Contains(page, `<ui-title-bar title="`+title+`">`) {
				t.Errorf("embedded %s lacks App Bridge's title bar reading %q", path, title)
			}
			if form := saveBarForms[path]; form != "" && !strings.Contains(page, form+` data-save-bar data-discard-confirmation>`) {
				t.Errorf("embedded %s: %s has no App Bridge save bar", path, form)
			}
			if strings.Contains(page, `<header class="topbar">`) {
				t.Errorf("embedded %s shows the standalone header nav; Shopify's left nav replaces it", path)
			}
			if csp := res.Header.Get("Content-Security-Policy"); csp != "frame-ancestors https://"+shopA+" https://admin.shopify.com;" {
				t.Errorf("embedded %s: CSP = %q; want frame-ancestors limited to the shop and admin.shopify.com", path, csp)
			}
			if xfo := res.Header.Get("X-Frame-Options"); xfo != "" {
				t.Errorf("embedded %s: X-Frame-Options = %q; want none", path, xfo)
			}
		}

		ck, _ := signInCookie(t, a, base, shop.ID)
		for path := range embeddedTitles {
			res, page := apptest.Fetch(t, base+path, nil, ck)
			if res.StatusCode != http.StatusOK || strings.Contains(page, "cdn.shopify.com") || strings.Contains(page, "ui-nav-menu") || strings.Contains(page, "ui-title-bar") ||
				strings.Contains(page, "data-save-bar") || strings.Contains(page, "shopify-api-key") || !strings.Contains(page, `<header class="topbar">`) {
				t.Fatalf("standalone %s: status %d; want 200 with the header nav and nothing from Shopify's CDN\n%s", path, res.StatusCode, page)
			}
			// Polaris's look comes with the page, not from a CDN.
			for _, want := range []string{"--p-color-bg-surface:#fff", `<div class="page-header">`} {
				if !strings.Contains(page, want) {
					t.Errorf("standalone %s lacks %s", path, want)
				}
			}
		}
		res, _ := apptest.Fetch(t, base+"/admin/shipments", nil, ck)
		if xfo := res.Header.Get("X-Frame-Options"); xfo != "DENY" {
			t.Fatalf("standalone X-Frame-Options = %q; want DENY", xfo)
		}
	})
}

func TestEmbeddedFormPostAuthenticatesWithSessionTokenField(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		own := installTestShop(t, a, fake, shopA, time.Hour)
		other := installTestShop(t, a, fake, shopB, time.Hour)
		mine := failedDelivery(t, a, own, shopifytest.SampleOrder(7001, time.Now()).WebhookJSON())
		theirs := failedDelivery(t, a, other, []byte(`{"broken":`))
		replay := func(id int64) string { return base + "/admin/webhooks/" + strconv.FormatInt(id, 10) + "/replay" }
		token := func(secret string, at time.Time) string {
			return shopifytest.SessionToken(testAPIKey, secret, shopA, "42", at)
		}

		refused := []struct {
			name  string
			id    int64
			form  url.Values
			code  int
			retry string
		}{
			{"expired token", mine, url.Values{"id_token": {token(testSecret, time.Now().Add(-5*time.Minute))}}, http.StatusUnauthorized, "1"},
			{"forged token", mine, url.Values{"id_token": {token("not-our-secret", time.Now())}}, http.StatusUnauthorized, "1"},
			{"not a JWT", mine, url.Values{"id_token": {"abc.def"}}, http.StatusUnauthorized, "1"},
			{"no token and no cookie", mine, url.Values{}, http.StatusUnauthorized, ""},
			{"token in the query, not the form", mine, nil, http.StatusUnauthorized, ""},
			{"another shop's delivery", theirs, url.Values{"id_token": {token(testSecret, time.Now())}}, http.StatusNotFound, ""},
		}
		for _, tc := range refused {
			target := replay(tc.id)
			if tc.form == nil {
				target += "?shop=" + shopA + "&id_token=" + url.QueryEscape(token(testSecret, time.Now()))
			}
			res, _ := apptest.PostForm(t, target, tc.form)
			if res.StatusCode != tc.code || res.Header.Get(install.RetryInvalidSession) != tc.retry {
				t.Errorf("%s: status %d, retry header %q; want %d and %q", tc.name, res.StatusCode, res.Header.Get(install.RetryInvalidSession), tc.code, tc.retry)
			}
		}
		for _, id := range []int64{mine, theirs} {
			if st := deliveryStatus(t, a, id); st != storage.DeliveryFailed {
				t.Fatalf("delivery %d after refused replays: %s; want still failed", id, st)
			}
		}

		res, _ := apptest.PostForm(t, replay(mine), url.Values{"id_token": {token(testSecret, time.Now())}, "host": {"abc"}, "_csrf": {""}})
		loc, err := url.Parse(res.Header.Get("Location"))
		if res.StatusCode != http.StatusSeeOther || err != nil || loc.Path != "/admin/webhooks" {
			t.Fatalf("replay with a session token: %d to %q; want 303 to the webhooks page", res.StatusCode, res.Header.Get("Location"))
		}
		if q := loc.Query(); q.Get("shop") != shopA || q.Get("host") != "abc" || q.Get("embedded") != "1" || q.Get("id_token") == "" {
			t.Fatalf("redirect query = %v; want embedded=1, the shop, the host and a session token so the iframe stays signed in", q)
		}
		apptest.WaitUntil(t, "the replayed delivery processed", func() bool { return deliveryStatus(t, a, mine) == storage.DeliveryProcessed })

		if res, page := apptest.Fetch(t, base+loc.RequestURI(), nil); res.StatusCode != http.StatusOK || !strings.Contains(page, appBridgeScript) {
			t.Fatalf("page after the replay: status %d; want 200 embedded", res.StatusCode)
		}
	})
}

func TestStandaloneAdminPostsStillNeedTheCSRFToken(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		shop := installTestShop(t, a, fake, shopA, time.Hour)
		id := failedDelivery(t, a, shop, []byte(`{"broken":`))
		path := "/admin/webhooks/" + strconv.FormatInt(id, 10) + "/replay"
		s := signIn(t, a, base, shop.ID)
		for _, token := range []string{"", "0123456789abcdef0123456789abcdef"} {
			if code, _ := s.post(path, url.Values{"_csrf": {token}}); code != http.StatusForbidden {
				t.Fatalf("cookie replay with CSRF token %q: status %d; want 403", token, code)
			}
		}
		if st := deliveryStatus(t, a, id); st != storage.DeliveryFailed {
			t.Fatalf("delivery after refused replays: %s; want still failed", st)
		}
		res, err := s.c.PostForm(base+path, url.Values{"_csrf": {s.csrf}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if loc, _ := url.Parse(res.Header.Get("Location")); res.StatusCode != http.StatusSeeOther || loc == nil || loc.Path != "/admin/webhooks" || loc.Query().Get("replayed") == "" {
			t.Fatalf("cookie replay with the CSRF token: %d to %q; want 303 to /admin/webhooks saying what was replayed", res.StatusCode, res.Header.Get("Location"))
		}
	})
}
