package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/secure"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

const httpsAppURL = "https://track.example"

// TestShopperPagesSendStrictSecurityHeaders reads the headers of every
// shopper page, and of their error pages, over HTTP: a CSP that allows no
// script but the copy button's (by its hash), no framing and forms only to the app, a Referrer-Policy that
// keeps the token in the URL on our site, and HSTS since APP_URL is https.
// The embedded admin keeps the frame-ancestors Shopify needs.
func TestShopperPagesSendStrictSecurityHeaders(t *testing.T) {
	t.Parallel()
	fake := shopifytest.NewServer(t, testAPIKey, testSecret)
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{ShopifyAPIKey: testAPIKey, ShopifyScopes: defaultShopifyScopes, AppURL: httpsAppURL}, withShopify(fake.BaseURL))
	installTestShop(t, a, fake, shopA, time.Hour)
	fx := seedShopper(t, a, "headers.myshopify.com", shopperPhone, "failed_attempt")
	token := fx.ships[0].PublicToken
	html := http.Header{"Accept": {"text/html"}}

	tests := []struct {
		name     string
		res      func() *http.Response
		wantCode int
	}{
		{"tracking page", func() *http.Response { res, _ := apptest.Fetch(t, base+"/t/"+token, html); return res }, http.StatusOK},
		{"lookup form", func() *http.Response { res, _ := apptest.Fetch(t, base+"/track", html); return res }, http.StatusOK},
		{"lookup answer", func() *http.Response {
			res, _ := apptest.PostForm(t, base+"/track", url.Values{"order": {"#nope"}, "contact": {"x@example.com"}})
			return res
		}, http.StatusOK},
		{"unsubscribe page", func() *http.Response {
			res, _ := apptest.Fetch(t, base+"/t/"+token+"/unsubscribe?channel=email", html)
			return res
		}, http.StatusOK},
		{"unknown link (error page)", func() *http.Response { res, _ := apptest.Fetch(t, base+"/t/no-such-token", html); return res }, http.StatusNotFound},
		{"expired action form (error page)", func() *http.Response {
			res, _ := apptest.PostForm(t, base+"/t/"+token+"/actions", url.Values{"kind": {"reschedule"}, "_csrf": {"stale"}})
			return res
		}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.res()
			h := res.Header
			if res.StatusCode != tt.wantCode {
				t.Errorf("status %d, want %d", res.StatusCode, tt.wantCode)
			}
			if csp := h.Get("Content-Security-Policy"); csp != secure.ShopperPolicy(httpsAppURL) {
				t.Errorf("Content-Security-Policy = %q, want %q", csp, secure.ShopperPolicy(httpsAppURL))
			}
			for _, want := range []string{"default-src 'none'", "script-src 'sha256-", "frame-ancestors 'none'", "form-action 'self' " + httpsAppURL} {
				if !strings.Contains(h.Get("Content-Security-Policy"), want) {
					t.Errorf("Content-Security-Policy lacks %q", want)
				}
			}
			if rp := h.Get("Referrer-Policy"); rp != "same-origin" {
				t.Errorf("Referrer-Policy = %q, want same-origin", rp)
			}
			if hsts := h.Get("Strict-Transport-Security"); hsts != secure.HSTSValue {
				t.Errorf("Strict-Transport-Security = %q, want %q", hsts, secure.HSTSValue)
			}
		})
	}

	t.Run("embedded admin", func(t *testing.T) {
		res, _ := apptest.Fetch(t, base+"/admin/shipments", bearer(shopA, time.Now()))
		if csp := res.Header.Get("Content-Security-Policy"); res.StatusCode != http.StatusOK || csp != "frame-ancestors https://"+shopA+" https://admin.shopify.com;" {
			t.Errorf("status %d, CSP %q; want 200 with Shopify's frame-ancestors only", res.StatusCode, csp)
		}
		if hsts := res.Header.Get("Strict-Transport-Security"); hsts != secure.HSTSValue {
			t.Errorf("Strict-Transport-Security = %q, want %q", hsts, secure.HSTSValue)
		}
	})
	t.Run("unmatched path (error page)", func(t *testing.T) {
		res, _ := apptest.Fetch(t, base+"/nowhere", html)
		if csp := res.Header.Get("Content-Security-Policy"); res.StatusCode != http.StatusNotFound || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("status %d, CSP %q; want 404 with a policy that allows no script", res.StatusCode, csp)
		}
	})
}

func TestNoHSTSWhenAppURLIsHTTP(t *testing.T) {
	t.Parallel()
	_, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{AppURL: "http://localhost:8080"})
	for _, path := range []string{"/track", "/healthz"} {
		res, _ := apptest.Fetch(t, base+path, nil)
		if hsts := res.Header.Get("Strict-Transport-Security"); hsts != "" {
			t.Errorf("%s: Strict-Transport-Security = %q with an http APP_URL; want none", path, hsts)
		}
	}
}

// TestTrackPageDoneShowsOnlyOurOwnThanks follows the redirect a shopper's
// action lands on, and links someone else crafted.
func TestTrackPageDoneShowsOnlyOurOwnThanks(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	fx := seedShopper(t, a, "done.myshopify.com", shopperPhone, "failed_attempt")
	page := func(done string) string {
		t.Helper()
		_, page := apptest.Fetch(t, base+"/t/"+fx.ships[0].PublicToken+"?done="+url.QueryEscape(done), http.Header{"Accept-Language": {"es"}})
		return page
	}
	if p := page("reschedule"); !strings.Contains(p, `<p class="ot-flash" role="status">`) || !strings.Contains(p, "Gracias") {
		t.Errorf("?done=reschedule lacks the Spanish thanks:\n%.3000s", p)
	}
	for _, done := range []string{"<script>alert(1)</script>", "Call 0800 666 999 to pay the customs fee"} {
		if p := page(done); strings.Contains(p, `class="ot-flash"`) || strings.Contains(p, "alert(1)") || strings.Contains(p, "666 999") {
			t.Errorf("?done=%q reached the page:\n%.3000s", done, p)
		}
	}
}
