package app

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestAdminConnectsKlaviyoWithASealedKeyAndHandsTriggersOver(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		shop := ownerShop(t, a)
		s := signIn(t, a, base, shop.ID)
		for _, tc := range []struct {
			name      string
			form      url.Values
			status    int
			connected bool
			handed    []string
		}{
			{"not a private key", url.Values{"klaviyo_key": {"abc123"}}, http.StatusUnprocessableEntity, false, nil},
			{"connect, hand delivered over", url.Values{"klaviyo_key": {"pk_0123456789abcdef"}, "klaviyo_delivered": {"klaviyo"}, "klaviyo_shipped": {"ordertrack"}}, http.StatusSeeOther, true, []string{"delivered"}},
			{"empty key keeps it", url.Values{"klaviyo_delayed": {"klaviyo"}}, http.StatusSeeOther, true, []string{"delayed"}},
			{"disconnect", url.Values{"klaviyo_remove": {"1"}}, http.StatusSeeOther, false, nil},
		} {
			code, page := s.post("/admin/settings/integrations", tc.form)
			if code != tc.status {
				t.Fatalf("%s: status %d, want %d:\n%s", tc.name, code, tc.status, page)
			}
			got, err := a.db.ShopByID(context.Background(), shop.ID)
			if err != nil {
				t.Fatal(err)
			}
			if (len(got.KlaviyoKey) > 0) != tc.connected || !slices.Equal(got.Settings.V.Klaviyo, tc.handed) {
				t.Fatalf("%s: connected %v, handed %q; want %v, %q", tc.name, len(got.KlaviyoKey) > 0, got.Settings.V.Klaviyo, tc.connected, tc.handed)
			}
			if bytes.Contains(got.KlaviyoKey, []byte("pk_")) {
				t.Fatalf("%s: the Klaviyo key is stored in the clear", tc.name)
			}
			if key, _ := a.db.KlaviyoKey(got); tc.connected && key != "pk_0123456789abcdef" {
				t.Fatalf("%s: key opens to %q", tc.name, key)
			}
			if _, page := s.get(base + "/admin/settings"); strings.Contains(page, "pk_0123456789abcdef") {
				t.Fatalf("%s: the settings page shows the Klaviyo key", tc.name)
			}
		}
	})
}

func TestAdminMakesAHelpdeskKeyThatAnswers(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	shop := ownerShop(t, a)
	s := signIn(t, a, base, shop.ID)
	if code, _ := s.post("/admin/settings/helpdesk-key", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("create helpdesk key: status %d", code)
	}
	_, page := s.get(base + "/admin/settings")
	m := regexp.MustCompile(`<code>(othd_[A-Za-z0-9_-]+)</code>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no helpdesk key on the settings page:\n%s", page)
	}
	res, _ := apptest.Fetch(t, base+"/api/helpdesk/customer?email=ana@example.com", http.Header{"Authorization": {"Bearer " + m[1]}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the shown key answered %d, want 200", res.StatusCode)
	}
}

func TestAdminWarnsAboutShopifyShippingEmailsWhileWritingBack(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		token bool
		warn  bool
	}{
		{"write-back on (a token)", true, true},
		{"no token, no write-back", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
			shop := ownerShop(t, a)
			if tc.token {
				exp := time.Now().Add(time.Hour)
				if err := a.db.SaveOAuthToken(context.Background(), shop.Domain, storage.OAuthToken{AccessToken: "shpat_x", ExpiresAt: &exp}); err != nil {
					t.Fatal(err)
				}
			}
			s := signIn(t, a, base, shop.ID)
			for _, p := range []string{"/admin", "/admin/settings"} {
				_, page := s.get(base + p)
				warned := strings.Contains(page, `id="shopify-emails"`) && strings.Contains(page, "Settings → Notifications") && strings.Contains(page, "Out for delivery")
				if warned != tc.warn {
					t.Errorf("%s warns about Shopify's shipping emails: %v, want %v", p, warned, tc.warn)
				}
			}
		})
	}
}
