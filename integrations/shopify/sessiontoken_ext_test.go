package shopify

import (
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func extToken(t *testing.T, secret string, claims jwt.MapClaims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestVerifyExtensionToken(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	base := func() jwt.MapClaims {
		return jwt.MapClaims{"aud": "key", "dest": "shop-a.myshopify.com", "sub": "gid://shopify/Customer/7", "exp": now.Add(time.Minute).Unix(), "nbf": now.Add(-time.Minute).Unix()}
	}
	good, err := VerifyExtensionToken("key", "secret", extToken(t, "secret", base()), now)
	if err != nil || good.Shop != "shop-a.myshopify.com" || good.CustomerGID != "gid://shopify/Customer/7" {
		t.Fatalf("valid token = %+v, %v", good, err)
	}
	tests := []struct {
		name   string
		secret string
		change func(jwt.MapClaims)
	}{
		{"another secret", "other", func(jwt.MapClaims) {}},
		{"another app", "secret", func(c jwt.MapClaims) { c["aud"] = "other-key" }},
		{"expired", "secret", func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() }},
		{"attacker dest", "secret", func(c jwt.MapClaims) { c["dest"] = "evil.com" }},
		{"no exp", "secret", func(c jwt.MapClaims) { delete(c, "exp") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.change(c)
			if _, err := VerifyExtensionToken("key", "secret", extToken(t, tt.secret, c), now); !errors.Is(err, ErrSessionToken) {
				t.Fatalf("err = %v; want ErrSessionToken", err)
			}
		})
	}
}
