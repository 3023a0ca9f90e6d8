package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/orders"
	"github.com/ordertrack/ordertrack/storage"
)

func TestCustomerAccountExtensionSeesOnlyTheCustomersOwnOrder(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{ShopifyAPIKey: "app-key"})
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.Shopify, Domain: "shop-a.myshopify.com", Name: "Shop A"}
		if err := a.db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		o := &storage.Order{PlatformID: "gid://shopify/Order/5001", Name: "#1001", CustomerID: "gid://shopify/Customer/7", Locale: "en"}
		if err := a.orders.SyncOrder(ctx, shop, o, []orders.Parcel{{Company: "UPS", Number: "1Z999AA10123456784"}}); err != nil {
			t.Fatal(err)
		}
		token := func(customer string) string {
			tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
				"aud": "app-key", "dest": "shop-a.myshopify.com", "sub": customer,
				"exp": time.Now().Add(time.Minute).Unix(), "nbf": time.Now().Add(-time.Minute).Unix(),
			}).SignedString([]byte(testSecret))
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		call := func(method, path, tok string) (*http.Response, []byte) {
			req, _ := http.NewRequest(method, base+path, nil)
			if tok != "" {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res, b
		}
		res, body := call(http.MethodGet, "/api/track/orders/5001?locale=fr", token("gid://shopify/Customer/7"))
		var sum struct {
			Order, Locale, Headline string
			Shipments               []struct{ Number string }
		}
		if res.StatusCode != http.StatusOK || json.Unmarshal(body, &sum) != nil || sum.Order != "#1001" || sum.Locale != "fr" || len(sum.Shipments) != 1 {
			t.Fatalf("own order = %d %s; want the French summary of #1001", res.StatusCode, body)
		}
		if res.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatal("extension responses must allow cross-origin reads")
		}
		for _, tt := range []struct {
			name, tok string
			want      int
		}{
			{"another customer", token("gid://shopify/Customer/8"), http.StatusNotFound},
			{"signed-out visitor", token(""), http.StatusNotFound},
			{"no token", "", http.StatusUnauthorized},
			{"forged token", "eyJhbGciOiJIUzI1NiJ9.e30.forged", http.StatusUnauthorized},
		} {
			if res, _ := call(http.MethodGet, "/api/track/orders/5001", tt.tok); res.StatusCode != tt.want {
				t.Errorf("%s: status %d; want %d", tt.name, res.StatusCode, tt.want)
			}
		}
		if res, _ := call(http.MethodOptions, "/api/track/orders/5001", ""); res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Headers") == "" {
			t.Fatalf("preflight = %d; want 204 with allowed headers", res.StatusCode)
		}
	})
}
