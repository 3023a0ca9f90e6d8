package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/install"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
)

func TestSessionTokenShowsOnlyItsOwnShopsShipments(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		const numberA, numberB = "1ZSHOPA000000001", "1ZSHOPB000000002"
		for shop, number := range map[string]string{shopA: numberA, shopB: numberB} {
			s := installTestShop(t, a, fake, shop, time.Hour)
			o := shopifytest.SampleOrder(6001, time.Now())
			o.Fulfillments[0].Numbers = []string{number}
			seedShopifyOrder(t, a, s, o)
		}
		cases := []struct {
			shop         string
			sees, hidden string
		}{
			{shopA, numberA, numberB},
			{shopB, numberB, numberA},
		}
		for _, tc := range cases {
			res, page := apptest.Fetch(t, base+"/admin/shipments", bearer(tc.shop, time.Now()))
			if res.StatusCode != http.StatusOK || !strings.Contains(page, tc.sees) || strings.Contains(page, tc.hidden) {
				t.Fatalf("%s's session: status %d, sees own=%v other=%v; want 200 with only its own shipment",
					tc.shop, res.StatusCode, strings.Contains(page, tc.sees), strings.Contains(page, tc.hidden))
			}
			if csp := res.Header.Get("Content-Security-Policy"); csp != "frame-ancestors https://"+tc.shop+" https://admin.shopify.com;" {
				t.Fatalf("CSP = %q; want frame-ancestors limited to %s and admin.shopify.com", csp, tc.shop)
			}
			if xfo := res.Header.Get("X-Frame-Options"); xfo != "" {
				t.Fatalf("X-Frame-Options = %q on an embedded page; want none (it would block the admin frame)", xfo)
			}
		}
		if n := fake.Stats(shopA).TokenExchanges; n != 0 {
			t.Fatalf("%d token exchanges for an installed shop; want none", n)
		}
	})
}

func TestInvalidSessionTokenAsksAppBridgeToRetry(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		installTestShop(t, a, fake, shopA, time.Hour)
		forged := shopifytest.SessionToken(testAPIKey, "not-our-secret", shopA, "42", time.Now())
		otherApp := shopifytest.SessionToken("another-app", testSecret, shopA, "42", time.Now())
		for name, h := range map[string]http.Header{
			"expired":                 bearer(shopA, time.Now().Add(-5*time.Minute)),
			"signed with another key": {"Authorization": {"Bearer " + forged}},
			"for another app":         {"Authorization": {"Bearer " + otherApp}},
			"not a JWT":               {"Authorization": {"Bearer abc.def"}},
		} {
			res, _ := apptest.Fetch(t, base+"/admin/shipments", h)
			if res.StatusCode != http.StatusUnauthorized || res.Header.Get(install.RetryInvalidSession) != "1" {
				t.Errorf("%s session token: status %d, retry header %q; want 401 with %s: 1", name, res.StatusCode, res.Header.Get(install.RetryInvalidSession), install.RetryInvalidSession)
			}
		}
		if res, _ := apptest.Fetch(t, base+"/admin/shipments", nil); res.StatusCode != http.StatusUnauthorized || res.Header.Get(install.RetryInvalidSession) != "" {
			t.Errorf("no credentials: status %d, retry header %q; want the cookie login's plain 401", res.StatusCode, res.Header.Get(install.RetryInvalidSession))
		}
	})
}

func TestSessionTokenOfUnknownShopInstallsItByTokenExchange(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		const shop = "fresh-store.myshopify.com"
		res, _ := apptest.Fetch(t, base+"/admin", bearer(shop, time.Now()))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("first embedded load: status %d; want 200", res.StatusCode)
		}
		if n := fake.Stats(shop).TokenExchanges; n != 1 {
			t.Fatalf("%d token exchanges; want 1", n)
		}
		tok, err := a.db.OAuthToken(context.Background(), shop)
		if err != nil || tok.AccessToken != fake.AccessToken(shop) || tok.RefreshToken == "" {
			t.Fatalf("stored token = %+v, %v; want the exchanged expiring pair", tok, err)
		}
		apptest.Fetch(t, base+"/admin", bearer(shop, time.Now()))
		if n := fake.Stats(shop).TokenExchanges; n != 1 {
			t.Fatalf("%d token exchanges after a second request; want still 1", n)
		}
	})
}

func TestEmbeddedDocumentLoadBouncesThroughAppBridge(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		installTestShop(t, a, fake, shopA, time.Hour)
		res, _ := apptest.Fetch(t, base+"/admin/shipments?embedded=1&host=abc&shop="+shopA, nil)
		loc, err := url.Parse(res.Header.Get("Location"))
		if res.StatusCode != http.StatusFound || err != nil || loc.Path != "/auth/shopify/bounce" {
			t.Fatalf("embedded load without a token: %d to %q; want 302 to the bounce page", res.StatusCode, res.Header.Get("Location"))
		}
		reload := loc.Query().Get("shopify-reload")
		if !strings.HasPrefix(reload, "/admin/shipments?") || !strings.Contains(reload, "shop="+shopA) {
			t.Fatalf("shopify-reload = %q; want this admin page with its shop", reload)
		}
		res, page := apptest.Fetch(t, base+loc.RequestURI(), nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `<meta name="shopify-api-key" content="`+testAPIKey+`">`) ||
			!strings.Contains(page, `src="https://cdn.shopify.com/shopifycloud/app-bridge.js"`) {
			t.Fatalf("bounce page: status %d\n%s\nwant App Bridge with our API key", res.StatusCode, page)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors https://"+shopA+" https://admin.shopify.com") {
			t.Fatalf("bounce CSP = %q", csp)
		}
		token := shopifytest.SessionToken(testAPIKey, testSecret, shopA, "42", time.Now())
		res, _ = apptest.Fetch(t, base+reload+"&id_token="+url.QueryEscape(token), nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("reload with id_token: status %d; want 200", res.StatusCode)
		}
		if res, _ := apptest.Fetch(t, base+"/auth/shopify/bounce?shop="+shopA+"&shopify-reload="+url.QueryEscape("https://attacker.test/"), nil); res.StatusCode != http.StatusBadRequest {
			t.Fatalf("bounce to another origin: status %d; want 400", res.StatusCode)
		}
	})
}
