package shopify

import (
	"errors"
	"net/url"
	"testing"
	"time"

	goshopify "github.com/bold-commerce/go-shopify/v4"

	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
)

const testSecret = "hush"

func TestVerifyWebhookAcceptsShopifySignature(t *testing.T) {
	body := []byte(`{"id":820982911946154508,"email":"jon@example.com"}`)
	if !VerifyWebhook(testSecret, body, shopifytest.SignWebhook(testSecret, body)) {
		t.Fatal("VerifyWebhook rejected a correctly signed body")
	}
}

func TestVerifyWebhookRejectsBadSignatures(t *testing.T) {
	body := []byte(`{"id":820982911946154508,"email":"jon@example.com"}`)
	good := shopifytest.SignWebhook(testSecret, body)
	tests := []struct {
		name   string
		secret string
		body   []byte
		header string
	}{
		{"tampered body", testSecret, []byte(`{"id":820982911946154508,"email":"eve@example.com"}`), good},
		{"body with trailing newline", testSecret, append(append([]byte(nil), body...), '\n'), good},
		{"other secret", "not-hush", body, good},
		{"missing header", testSecret, body, ""},
		{"header not base64", testSecret, body, "%%%not-base64%%%"},
		{"hex instead of base64", testSecret, body, "4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20"},
		{"truncated header", testSecret, body, good[:20]},
		{"empty secret", "", body, shopifytest.SignWebhook("", body)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if VerifyWebhook(tt.secret, tt.body, tt.header) {
				t.Fatal("VerifyWebhook accepted a bad signature")
			}
		})
	}
}

// The query and hmac below are Shopify's documented OAuth example (secret
// "hush"), as also used in go-shopify's tests.
var docOAuthQuery = "code=0907a61c0c8d55e99db179b68161bc00&hmac=4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20&shop=some-shop.myshopify.com&timestamp=1337178173"

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	q, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("parse query %q: %v", raw, err)
	}
	return q
}

func TestVerifyOAuthQueryAcceptsShopifyExample(t *testing.T) {
	shop, err := VerifyOAuthQuery(testSecret, mustQuery(t, docOAuthQuery), time.Unix(1337178173+30, 0))
	if err != nil || shop != "some-shop.myshopify.com" {
		t.Fatalf("VerifyOAuthQuery = %q, %v; want some-shop.myshopify.com, nil", shop, err)
	}
}

func TestVerifyOAuthQueryAcceptsFakeSignedCallbackThatGoShopifyAlsoAccepts(t *testing.T) {
	now := time.Unix(1_790_000_000, 0)
	q := shopifytest.SignOAuthQuery(testSecret, url.Values{
		"code": {"abc"}, "shop": {"demo.myshopify.com"}, "state": {"n0nce"},
		"host": {"YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZGVtbw"},
	}, now)
	if shop, err := VerifyOAuthQuery(testSecret, q, now); err != nil || shop != "demo.myshopify.com" {
		t.Fatalf("VerifyOAuthQuery = %q, %v", shop, err)
	}
	// An independent implementation agrees, so the fake signs like Shopify.
	u := &url.URL{RawQuery: q.Encode()}
	if ok, err := (goshopify.App{ApiSecret: testSecret}).VerifyAuthorizationURL(u); !ok || err != nil {
		t.Fatalf("go-shopify rejects the fake's signature: %v, %v", ok, err)
	}
}

func TestVerifyOAuthQueryRejectsBadQueries(t *testing.T) {
	now := time.Unix(1_790_000_000, 0)
	sign := func(q url.Values) url.Values { return shopifytest.SignOAuthQuery(testSecret, q, now) }
	base := url.Values{"code": {"abc"}, "shop": {"demo.myshopify.com"}, "state": {"n"}}
	tampered := sign(base)
	tampered.Set("code", "other")
	wrongHMAC := sign(base)
	wrongHMAC.Set("hmac", "00"+wrongHMAC.Get("hmac")[2:])
	dupHMAC := sign(base)
	dupHMAC.Add("hmac", dupHMAC.Get("hmac"))
	noHMAC := sign(base)
	noHMAC.Del("hmac")
	badShop := sign(url.Values{"code": {"abc"}, "shop": {"demo.myshopify.com.evil.com"}})
	tests := []struct {
		name   string
		secret string
		q      url.Values
		now    time.Time
		want   error
	}{
		{"hmac wrong", testSecret, wrongHMAC, now, ErrSignature},
		{"parameter changed after signing", testSecret, tampered, now, ErrSignature},
		{"other secret", "other", sign(base), now, ErrSignature},
		{"hmac missing", testSecret, noHMAC, now, ErrSignature},
		{"hmac repeated", testSecret, dupHMAC, now, ErrSignature},
		{"timestamp too old", testSecret, sign(base), now.Add(QueryMaxSkew + time.Second), ErrStale},
		{"timestamp in the future", testSecret, sign(base), now.Add(-QueryMaxSkew - time.Second), ErrStale},
		{"documented example long expired", testSecret, mustQuery(t, docOAuthQuery), now, ErrStale},
		{"signed but shop invalid", testSecret, badShop, now, ErrInvalidShop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shop, err := VerifyOAuthQuery(tt.secret, tt.q, tt.now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("VerifyOAuthQuery = %q, %v; want %v", shop, err, tt.want)
			}
		})
	}
}

// Shopify's documented app proxy example (secret "hush").
var docProxyQuery = "extra=1&extra=2&shop=shop-name.myshopify.com&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555&signature=a9718877bea71c2484f91608a7eaea1532bdf71f5c56825065fa4ccabe549ef3"

func TestVerifyProxyQueryAcceptsShopifyExample(t *testing.T) {
	shop, err := VerifyProxyQuery(testSecret, mustQuery(t, docProxyQuery), time.Unix(1317327555, 0))
	if err != nil || shop != "shop-name.myshopify.com" {
		t.Fatalf("VerifyProxyQuery = %q, %v; want shop-name.myshopify.com, nil", shop, err)
	}
}

func TestVerifyProxyQueryAcceptsFakeSignedRequestThatGoShopifyAlsoAccepts(t *testing.T) {
	now := time.Unix(1_790_000_000, 0)
	q := shopifytest.SignProxyQuery(testSecret, url.Values{
		"shop": {"demo.myshopify.com"}, "logged_in_customer_id": {""}, "path_prefix": {"/apps/track"},
		"order": {"#1001"}, "tag": {"a", "b"},
	}, now)
	if shop, err := VerifyProxyQuery(testSecret, q, now); err != nil || shop != "demo.myshopify.com" {
		t.Fatalf("VerifyProxyQuery = %q, %v", shop, err)
	}
	if !(goshopify.App{ApiSecret: testSecret}).VerifySignature(&url.URL{RawQuery: q.Encode()}) {
		t.Fatal("go-shopify rejects the fake's proxy signature")
	}
}

func TestVerifyProxyQueryRejectsBadQueries(t *testing.T) {
	now := time.Unix(1317327555, 0)
	doc := func() url.Values { return mustQuery(t, docProxyQuery) }
	wrong := doc()
	wrong.Set("signature", "a9718877bea71c2484f91608a7eaea1532bdf71f5c56825065fa4ccabe549ef4")
	added := doc()
	added.Set("logged_in_customer_id", "42")
	reordered := doc()
	reordered["extra"] = []string{"2", "1"}
	oauthStyle := doc()
	oauthStyle.Del("signature")
	oauthStyle = shopifytest.SignOAuthQuery(testSecret, oauthStyle, now)
	oauthStyle.Set("signature", oauthStyle.Get("hmac"))
	oauthStyle.Del("hmac")
	dupShop := doc()
	dupShop.Add("shop", "evil.myshopify.com")
	tests := []struct {
		name string
		q    url.Values
		now  time.Time
		want error
	}{
		{"signature wrong", wrong, now, ErrSignature},
		{"customer id injected", added, now, ErrSignature},
		{"repeated values reordered", reordered, now, ErrSignature},
		{"signed like an OAuth query", oauthStyle, now, ErrSignature},
		{"shop repeated", dupShop, now, ErrSignature},
		{"timestamp too old", doc(), now.Add(QueryMaxSkew + time.Second), ErrStale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shop, err := VerifyProxyQuery(testSecret, tt.q, tt.now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("VerifyProxyQuery = %q, %v; want %v", shop, err, tt.want)
			}
		})
	}
}
