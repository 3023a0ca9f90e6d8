package shopify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestValidShopAcceptsOnlyPlainMyshopifyDomains(t *testing.T) {
	tests := []struct {
		shop string
		want bool
	}{
		{"demo.myshopify.com", true},
		{"my-store-2.myshopify.com", true},
		{"0.myshopify.com", true},
		{"Demo.myshopify.com", false},
		{"-demo.myshopify.com", false},
		{"demo_store.myshopify.com", false},
		{"myshopify.com", false},
		{".myshopify.com", false},
		{"a.b.myshopify.com", false},
		{"a.myshopify.com.evil.com", false},
		{"evil.com/x", false},
		{"evil.com#.myshopify.com", false},
		{"evil.example#", false},
		{"demo.myshopify.com/", false},
		{"demo.myshopify.com:443", false},
		{"user@demo.myshopify.com", false},
		{"https://demo.myshopify.com", false},
		{"demo.myshopify.com\n", false},
		{"", false},
		{"a234567890123456789012345678901234567890123456789012345678901234.myshopify.com", false},
	}
	for _, tt := range tests {
		if got := ValidShop(tt.shop); got != tt.want {
			t.Errorf("ValidShop(%q) = %v, want %v", tt.shop, got, tt.want)
		}
	}
}

func TestNormalizeShopCanonicalisesMerchantInput(t *testing.T) {
	tests := []struct{ in, want string }{
		{"demo.myshopify.com", "demo.myshopify.com"},
		{"  Demo.MyShopify.com ", "demo.myshopify.com"},
		{"https://demo.myshopify.com/", "demo.myshopify.com"},
		{"demo", "demo.myshopify.com"},
		{"admin.shopify.com/store/demo", "demo.myshopify.com"},
		{"https://admin.shopify.com/store/demo/", "demo.myshopify.com"},
	}
	for _, tt := range tests {
		got, err := NormalizeShop(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeShop(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestNormalizeShopRejectsOtherHosts(t *testing.T) {
	for _, in := range []string{"evil.com", "evil.com/x", "a.myshopify.com.evil.com", "demo.myshopify.com/admin", "", "de mo", "admin.shopify.com/store/a/b"} {
		if got, err := NormalizeShop(in); !errors.Is(err, ErrInvalidShop) {
			t.Errorf("NormalizeShop(%q) = %q, %v; want ErrInvalidShop", in, got, err)
		}
	}
}

// TestCallsRefuseInvalidShopBeforeSendingSecrets points every shop at an
// "attacker" server: a call that skipped validation would send it the client
// secret or an access token.
func TestCallsRefuseInvalidShopBeforeSendingSecrets(t *testing.T) {
	var hits atomic.Int64
	attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte(`{"access_token":"stolen"}`))
	}))
	defer attacker.Close()
	app, err := NewApp(Config{APIKey: "key", APISecret: "s3cret", BaseURL: func(string) string { return attacker.URL }})
	if err != nil {
		t.Fatal(err)
	}
	store := &memStore{tokens: map[string]Token{}}
	ref := NewRefresher(app, store)
	client := NewClient(app, ref)
	ctx := context.Background()
	calls := map[string]func(shop string) error{
		"InstallURL":   func(s string) error { _, err := app.InstallURL(s, "https://app.example/cb", "n"); return err },
		"ExchangeCode": func(s string) error { _, err := app.ExchangeCode(ctx, s, "code"); return err },
		"ExchangeSessionToken": func(s string) error {
			_, err := app.ExchangeSessionToken(ctx, s, "jwt")
			return err
		},
		"Refresh":         func(s string) error { _, err := app.Refresh(ctx, s, "rt"); return err },
		"Refresher.Token": func(s string) error { _, err := ref.Token(ctx, s); return err },
		"Refresher.Rejected": func(s string) error {
			_, err := ref.Rejected(ctx, s, Token{AccessToken: "x"})
			return err
		},
		"Client.Do":    func(s string) error { return client.Do(ctx, s, "query Q { shop { id } }", nil, nil) },
		"Client.Order": func(s string) error { _, err := client.Order(ctx, s, "1"); return err },
		"Client.OrdersUpdatedSince": func(s string) error {
			_, err := client.OrdersUpdatedSince(ctx, s, time.Now(), "")
			return err
		},
		"Client.CreateFulfillmentEvent": func(s string) error {
			_, err := client.CreateFulfillmentEvent(ctx, s, FulfillmentEvent{FulfillmentID: "gid://shopify/Fulfillment/1", Status: EventInTransit})
			return err
		},
	}
	for _, shop := range []string{"evil.com/x", "a.myshopify.com.evil.com", "evil.example#", "EVIL.myshopify.com", ""} {
		// Even a stored token for the bad name must not be used.
		store.tokens[shop] = Token{AccessToken: "shpat_x", RefreshToken: "rt"}
		for name, call := range calls {
			if err := call(shop); !errors.Is(err, ErrInvalidShop) {
				t.Errorf("%s(%q) error = %v, want ErrInvalidShop", name, shop, err)
			}
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("attacker server got %d requests, want 0", n)
	}
}
