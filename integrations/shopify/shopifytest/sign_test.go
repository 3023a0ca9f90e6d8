package shopifytest

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	goshopify "github.com/bold-commerce/go-shopify/v4"
	"github.com/golang-jwt/jwt/v5"
)

// go-shopify is an independent implementation of Shopify's webhook check, so
// agreeing with it shows SignWebhook signs as Shopify does.
func TestSignWebhookMatchesIndependentVerifier(t *testing.T) {
	body := SampleOrder(1, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)).WebhookJSON()
	r := NewWebhookRequest("https://app.example/webhooks/shopify", "orders/create", "demo.myshopify.com", "hush", body)
	ok, err := (goshopify.App{ApiSecret: "hush"}).VerifyWebhookRequestVerbose(r)
	if !ok || err != nil {
		t.Fatalf("go-shopify rejects SignWebhook: %v", err)
	}
	bad := NewWebhookRequest("https://app.example/webhooks/shopify", "orders/create", "demo.myshopify.com", "other", body)
	if (goshopify.App{ApiSecret: "hush"}).VerifyWebhookRequest(bad) {
		t.Fatal("go-shopify accepts a body signed with another secret")
	}
}

func TestSessionTokenCarriesShopifyClaims(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tok := SessionToken("key", "secret", "demo.myshopify.com", "42", now)
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return []byte("secret"), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(func() time.Time { return now }))
	if err != nil {
		t.Fatalf("parse minted token: %v", err)
	}
	want := map[string]any{
		"iss": "https://demo.myshopify.com/admin", "dest": "https://demo.myshopify.com", "aud": "key", "sub": "42",
		"exp": float64(now.Add(time.Minute).Unix()), "nbf": float64(now.Unix()),
	}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
}

func TestServerRejectsWrongClientSecret(t *testing.T) {
	s := NewServer(t, "key", "secret")
	s.AddCode("demo.myshopify.com", "c")
	resp, err := http.Post(s.BaseURL("demo.myshopify.com")+"/admin/oauth/access_token", "application/json",
		bytes.NewReader([]byte(`{"client_id":"key","client_secret":"wrong","code":"c"}`)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 || s.Stats("demo.myshopify.com").CodeExchanges != 0 {
		t.Fatalf("status %d, exchanges %d; want 400 and none", resp.StatusCode, s.Stats("demo.myshopify.com").CodeExchanges)
	}
}
