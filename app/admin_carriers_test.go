package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/apptest"
)

func TestMerchantConnectsTheirOwnCarrierAccount(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		shop := ownerShop(t, a)
		s := signIn(t, a, base, shop.ID)
		tests := []struct {
			name string
			form url.Values
			want int
		}{
			{"unknown carrier", url.Values{"carrier": {"pigeon"}, "api_key": {"k"}}, http.StatusUnprocessableEntity},
			{"ups without its secret", url.Values{"carrier": {"ups"}, "client_id": {"id"}}, http.StatusUnprocessableEntity},
			{"forged form token", url.Values{"carrier": {"dhl"}, "api_key": {"k"}, "_csrf": {"forged"}}, http.StatusForbidden},
			{"ups with client credentials", url.Values{"carrier": {"ups"}, "client_id": {"merchant-id"}, "client_secret": {"merchant-secret"}}, http.StatusSeeOther},
		}
		for _, tt := range tests {
			if code, _ := s.post("/admin/settings/carriers", tt.form); code != tt.want {
				t.Errorf("%s: status %d; want %d", tt.name, code, tt.want)
			}
		}
		creds, err := a.db.CarrierAccountCredentials(context.Background(), shop.ID, "ups")
		if err != nil || creds["client_secret"] != "merchant-secret" {
			t.Fatalf("stored UPS account = %v, %v", creds, err)
		}
		if _, err := a.db.CarrierAccountCredentials(context.Background(), shop.ID, "dhl"); err == nil {
			t.Fatal("a rejected form stored a DHL account")
		}
		_, page := s.get(base + "/admin/settings")
		if !strings.Contains(page, "Connected: ups") || strings.Contains(page, "merchant-secret") {
			t.Fatal("settings page must list the connected carrier and never show its secret")
		}
	})
}
