package woocommerce_test

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/woocommerce"
)

func TestNormalizeStoreURLCanonicalises(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://shop.example/", "https://shop.example"},
		{"  HTTPS://Shop.Example  ", "https://shop.example"},
		{"shop.example", "https://shop.example"},
		{"https://example.com/store/", "https://example.com/store"},
		{"https://example.com:8443/wp//", "https://example.com:8443/wp"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080"},
		{"http://localhost:9000", "http://localhost:9000"},
		{"http://[::1]:9000", "http://[::1]:9000"},
		{"https://shop.example:443/", "https://shop.example"},
		{"http://localhost:80", "http://localhost"},
		{"https://Shop.Example.:443/Wp/", "https://shop.example/Wp"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := woocommerce.NormalizeStoreURL(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("NormalizeStoreURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestNormalizeStoreURLHasOneSpellingPerStore: every spelling the HTTP
// client would send to the same store names the same shop.
func TestNormalizeStoreURLHasOneSpellingPerStore(t *testing.T) {
	tests := []struct {
		want string
		ins  []string
	}{
		{"https://xn--bcher-kva.example", []string{
			"https://Bücher.example", "https://xn--bcher-kva.example", "https://XN--BCHER-KVA.example/", "https://BÜCHER.EXAMPLE.",
		}},
		{"https://shop.example", []string{
			"https://ｓｈｏｐ.example", "https://ＳＨＯＰ．ｅｘａｍｐｌｅ", "https://shop.example:0443", "https://shop.example:443",
			"https://shop.example/.", "https://shop.example/./", "https://shop.example//", "https://shop.example/wp/..",
		}},
		{"http://localhost", []string{"http://localhost:80", "http://localhost:080", "http://LOCALHOST:0080/", "http://ｌｏｃａｌｈｏｓｔ"}},
		{"https://shop.example/wp", []string{
			"https://shop.example/wp", "https://shop.example//wp", "https://shop.example/./wp/", "https://shop.example/wp/.", "https://shop.example:00443/wp//",
		}},
		{"https://shop.example:8443", []string{"https://shop.example:08443", "https://shop.example:8443/"}},
	}
	for _, tt := range tests {
		for _, in := range tt.ins {
			if got, err := woocommerce.NormalizeStoreURL(in); err != nil || got != tt.want {
				t.Errorf("NormalizeStoreURL(%q) = %q, %v; want %q", in, got, err, tt.want)
			}
		}
	}
}

func TestNormalizeStoreURLRefusesBadPortsAndHosts(t *testing.T) {
	for _, in := range []string{"https://shop.example:0", "https://shop.example:65536", "https://shop.example:x1", "https://xn--.example", "https://a..example"} {
		if got, err := woocommerce.NormalizeStoreURL(in); !errors.Is(err, woocommerce.ErrInvalidStoreURL) {
			t.Errorf("NormalizeStoreURL(%q) = %q, %v; want ErrInvalidStoreURL", in, got, err)
		}
	}
}

func TestNormalizeStoreURLKeepsTheSubDirectory(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://shop.example/store/", "https://shop.example/store"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := woocommerce.NormalizeStoreURL(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("NormalizeStoreURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestNormalizeStoreURLRejectsUnsafeURLs(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"plain http to a public host", "http://shop.example"},
		{"ftp scheme", "ftp://shop.example"},
		{"javascript scheme", "javascript:alert(1)"},
		{"credentials", "https://admin:pw@shop.example"},
		{"fragment", "https://shop.example/#x"},
		{"empty fragment", "https://shop.example/#"},
		{"query", "https://shop.example/?rest_route=/"},
		{"no host", "https:///path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := woocommerce.NormalizeStoreURL(tt.in); !errors.Is(err, woocommerce.ErrInvalidStoreURL) {
				t.Errorf("NormalizeStoreURL(%q) = %q, %v; want ErrInvalidStoreURL", tt.in, got, err)
			}
		})
	}
}

func TestNormalizeStoreURLRefusesShopifyStores(t *testing.T) {
	for _, in := range []string{
		"https://demo.myshopify.com", "DEMO.MYSHOPIFY.COM", "https://demo.myshopify.com.:443/", "https://myshopify.com/shop",
		"https://victim.ｍｙｓｈｏｐｉｆｙ.com", "https://demo.myshopify.com:0443", "https://DEMO.ＭＹＳＨＯＰＩＦＹ．ＣＯＭ",
	} {
		t.Run(in, func(t *testing.T) {
			if got, err := woocommerce.NormalizeStoreURL(in); !errors.Is(err, woocommerce.ErrShopifyHost) || !errors.Is(err, woocommerce.ErrInvalidStoreURL) {
				t.Errorf("NormalizeStoreURL(%q) = %q, %v; want ErrShopifyHost", in, got, err)
			}
		})
	}
}

func TestAuthorizeURLCarriesWooCommerceParameters(t *testing.T) {
	got, err := woocommerce.AuthorizeURL("https://Shop.Example/wp/", woocommerce.AuthorizeParams{
		AppName: "ordertrack", UserID: "n0nce",
		ReturnURL: "https://app.example/auth/woocommerce/return", CallbackURL: "https://app.example/auth/woocommerce/callback",
	})
	if err != nil {
		t.Fatalf("AuthorizeURL: %v", err)
	}
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if base := u.Scheme + "://" + u.Host + u.Path; base != "https://shop.example/wp/wc-auth/v1/authorize" {
		t.Errorf("endpoint = %s, want https://shop.example/wp/wc-auth/v1/authorize", base)
	}
	want := url.Values{
		"app_name": {"ordertrack"}, "scope": {"read_write"}, "user_id": {"n0nce"},
		"return_url":   {"https://app.example/auth/woocommerce/return"},
		"callback_url": {"https://app.example/auth/woocommerce/callback"},
	}
	if u.Query().Encode() != want.Encode() {
		t.Errorf("query = %s, want %s", u.Query().Encode(), want.Encode())
	}
}

func TestAuthorizeURLRejectsWhatWooCommerceWouldRefuse(t *testing.T) {
	ok := woocommerce.AuthorizeParams{AppName: "ordertrack", UserID: "n", ReturnURL: "https://app.example/r", CallbackURL: "https://app.example/c"}
	tests := []struct {
		name   string
		mutate func(*woocommerce.AuthorizeParams)
	}{
		{"http callback", func(p *woocommerce.AuthorizeParams) { p.CallbackURL = "http://app.example/c" }},
		{"relative callback", func(p *woocommerce.AuthorizeParams) { p.CallbackURL = "/c" }},
		{"missing user id", func(p *woocommerce.AuthorizeParams) { p.UserID = "" }},
		{"missing app name", func(p *woocommerce.AuthorizeParams) { p.AppName = " " }},
		{"relative return", func(p *woocommerce.AuthorizeParams) { p.ReturnURL = "/r" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			tt.mutate(&p)
			if _, err := woocommerce.AuthorizeURL("https://shop.example", p); !errors.Is(err, woocommerce.ErrInvalidAuthorize) {
				t.Errorf("AuthorizeURL error = %v, want ErrInvalidAuthorize", err)
			}
		})
	}
	if _, err := woocommerce.AuthorizeURL("http://shop.example", ok); !errors.Is(err, woocommerce.ErrInvalidStoreURL) {
		t.Errorf("AuthorizeURL on an http store: error = %v, want ErrInvalidStoreURL", err)
	}
}

func TestNewNonceIsUnguessableAndSanitizeSafe(t *testing.T) {
	a, err := woocommerce.NewNonce()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := woocommerce.NewNonce()
	if len(a) != 64 || a == b {
		t.Fatalf("NewNonce gave %q and %q, want two different 64-char nonces", a, b)
	}
	for _, r := range a {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			t.Fatalf("nonce %q has %q, want hex only", a, r)
		}
	}
}

// callbackBody is what WC_Auth::post_consumer_data sends.
const callbackBody = `{"key_id":12,"user_id":"9f2c","consumer_key":"ck_4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a","consumer_secret":"cs_0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b","key_permissions":"read_write"}`

func TestParseCallbackReadsKeys(t *testing.T) {
	tests := []struct{ name, body string }{
		{"as WooCommerce sends it", callbackBody},
		{"key_id as a string", `{"key_id":"12","user_id":"9f2c","consumer_key":"ck_4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a","consumer_secret":"cs_0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b","key_permissions":"read_write"}`},
	}
	want := woocommerce.Keys{KeyID: 12, UserID: "9f2c", ConsumerKey: "ck_4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a",
		ConsumerSecret: "cs_0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b", Permissions: "read_write"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := woocommerce.ParseCallback([]byte(tt.body))
			if err != nil || got != want {
				t.Errorf("ParseCallback = %+v, %v; want %+v", got, err, want)
			}
		})
	}
}

func TestParseCallbackRejectsBadBodies(t *testing.T) {
	tests := []struct {
		name, body string
		want       error
	}{
		{"malformed JSON", `{"key_id":12,`, woocommerce.ErrInvalidCallback},
		{"form body", `key_id=12&user_id=x`, woocommerce.ErrInvalidCallback},
		{"missing user id", `{"key_id":1,"consumer_key":"ck_a","consumer_secret":"cs_b","key_permissions":"read_write"}`, woocommerce.ErrInvalidCallback},
		{"key without ck_ prefix", `{"key_id":1,"user_id":"u","consumer_key":"a","consumer_secret":"cs_b","key_permissions":"read_write"}`, woocommerce.ErrInvalidCallback},
		{"secret without cs_ prefix", `{"key_id":1,"user_id":"u","consumer_key":"ck_a","consumer_secret":"b","key_permissions":"read_write"}`, woocommerce.ErrInvalidCallback},
		{"read-only keys", `{"key_id":1,"user_id":"u","consumer_key":"ck_a","consumer_secret":"cs_b","key_permissions":"read"}`, woocommerce.ErrInsufficientScope},
		{"write-only keys", `{"key_id":1,"user_id":"u","consumer_key":"ck_a","consumer_secret":"cs_b","key_permissions":"write"}`, woocommerce.ErrInsufficientScope},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := woocommerce.ParseCallback([]byte(tt.body)); !errors.Is(err, tt.want) {
				t.Errorf("ParseCallback error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestPendingCheckMatchesOnlyItsOwnCallback(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	keys, err := woocommerce.ParseCallback([]byte(callbackBody))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		pending woocommerce.Pending
		want    error
	}{
		{"same nonce, not expired", woocommerce.Pending{UserID: "9f2c", ExpiresAt: now.Add(time.Minute)}, nil},
		{"different nonce", woocommerce.Pending{UserID: "9f2d", ExpiresAt: now.Add(time.Minute)}, woocommerce.ErrUserIDMismatch},
		{"empty pending nonce", woocommerce.Pending{ExpiresAt: now.Add(time.Minute)}, woocommerce.ErrUserIDMismatch},
		{"expired", woocommerce.Pending{UserID: "9f2c", ExpiresAt: now}, woocommerce.ErrConnectionExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.pending.Check(keys, now); !errors.Is(err, tt.want) {
				t.Errorf("Check = %v, want %v", err, tt.want)
			}
		})
	}
}
