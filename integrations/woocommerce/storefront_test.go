package woocommerce_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/woocommerce"
)

func storefrontHeaders(shop, secret string, ts time.Time, orderID string) http.Header {
	h := http.Header{}
	h.Set(woocommerce.HeaderStorefrontShop, shop)
	h.Set(woocommerce.HeaderStorefrontTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(woocommerce.HeaderStorefrontSignature, woocommerce.SignStorefront(secret, ts, orderID))
	return h
}

func TestStorefrontRequestVerifies(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		sent time.Time
	}{
		{"fresh", now},
		{"4 minutes old", now.Add(-4 * time.Minute)},
		{"store clock 4 minutes ahead", now.Add(4 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := woocommerce.ParseStorefront(storefrontHeaders("shop-1", "sek", tt.sent, "42"))
			if err != nil {
				t.Fatalf("ParseStorefront: %v", err)
			}
			if err := r.Verify("sek", "42", now); err != nil || r.ShopKey != "shop-1" {
				t.Errorf("Verify = %v (shop %q), want nil for shop-1", err, r.ShopKey)
			}
		})
	}
}

func TestStorefrontRequestRejectsForgeriesAndReplays(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		h       http.Header
		secret  string
		orderID string
		want    error
	}{
		{"other order", storefrontHeaders("s", "sek", now, "42"), "sek", "43", woocommerce.ErrStorefrontSignature},
		{"wrong secret", storefrontHeaders("s", "other", now, "42"), "sek", "42", woocommerce.ErrStorefrontSignature},
		{"empty secret", storefrontHeaders("s", "", now, "42"), "", "42", woocommerce.ErrStorefrontSignature},
		{"replayed after 6 minutes", storefrontHeaders("s", "sek", now.Add(-6*time.Minute), "42"), "sek", "42", woocommerce.ErrStorefrontStale},
		{"from the future", storefrontHeaders("s", "sek", now.Add(6*time.Minute), "42"), "sek", "42", woocommerce.ErrStorefrontStale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := woocommerce.ParseStorefront(tt.h)
			if err != nil {
				t.Fatalf("ParseStorefront: %v", err)
			}
			if err := r.Verify(tt.secret, tt.orderID, now); !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestStorefrontTimestampIsPartOfTheSignature(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	h := storefrontHeaders("s", "sek", now.Add(-time.Hour), "42")
	h.Set(woocommerce.HeaderStorefrontTimestamp, strconv.FormatInt(now.Unix(), 10)) // refreshed by an attacker
	r, err := woocommerce.ParseStorefront(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Verify("sek", "42", now); !errors.Is(err, woocommerce.ErrStorefrontSignature) {
		t.Errorf("Verify = %v, want ErrStorefrontSignature", err)
	}
}

func TestParseStorefrontRequiresAllHeaders(t *testing.T) {
	for _, drop := range []string{woocommerce.HeaderStorefrontShop, woocommerce.HeaderStorefrontTimestamp, woocommerce.HeaderStorefrontSignature} {
		h := storefrontHeaders("s", "sek", time.Unix(1, 0), "1")
		h.Del(drop)
		if _, err := woocommerce.ParseStorefront(h); !errors.Is(err, woocommerce.ErrStorefrontSignature) {
			t.Errorf("without %s: error = %v, want ErrStorefrontSignature", drop, err)
		}
	}
}
