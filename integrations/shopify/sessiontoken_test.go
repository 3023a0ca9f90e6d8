package shopify

import (
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
)

const (
	testKey  = "app-client-id"
	testShop = "demo.myshopify.com"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func sessionClaimsFor(shop string, now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"iss": "https://" + shop + "/admin", "dest": "https://" + shop, "aud": testKey, "sub": "42",
		"exp": now.Add(time.Minute).Unix(), "nbf": now.Unix(), "iat": now.Unix(), "jti": "j-1", "sid": "s-1",
	}
}

func mint(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("mint token: %v", err)
	}
	return s
}

func TestVerifySessionTokenReturnsShopAndUser(t *testing.T) {
	tok := shopifytest.SessionToken(testKey, testSecret, testShop, "42", testNow)
	s, err := VerifySessionToken(testKey, testSecret, tok, testNow.Add(30*time.Second))
	if err != nil {
		t.Fatalf("VerifySessionToken: %v", err)
	}
	if s.Shop != testShop || s.UserID != "42" || s.SessionID == "" || !s.ExpiresAt.Equal(testNow.Add(time.Minute)) {
		t.Fatalf("session = %+v, want shop %s, user 42, a session ID, expiry %s", s, testShop, testNow.Add(time.Minute))
	}
}

func TestVerifySessionTokenAllowsTenSecondsOfSkew(t *testing.T) {
	tok := shopifytest.SessionToken(testKey, testSecret, testShop, "42", testNow)
	for _, now := range []time.Time{testNow.Add(-9 * time.Second), testNow.Add(time.Minute + 9*time.Second)} {
		if _, err := VerifySessionToken(testKey, testSecret, tok, now); err != nil {
			t.Errorf("at %s: %v, want accepted within leeway", now, err)
		}
	}
}

func TestVerifySessionTokenRejectsBadTokens(t *testing.T) {
	with := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := sessionClaimsFor(testShop, testNow)
		mod(c)
		return c
	}
	hs := func(c jwt.MapClaims) string { return mint(t, jwt.SigningMethodHS256, []byte(testSecret), c) }
	good := sessionClaimsFor(testShop, testNow)
	tests := []struct {
		name  string
		token string
		now   time.Time
	}{
		{"wrong aud", hs(with(func(c jwt.MapClaims) { c["aud"] = "other-app" })), testNow},
		{"no aud", hs(with(func(c jwt.MapClaims) { delete(c, "aud") })), testNow},
		{"expired beyond leeway", hs(good), testNow.Add(time.Minute + 11*time.Second)},
		{"not yet valid", hs(good), testNow.Add(-11 * time.Second)},
		{"no exp", hs(with(func(c jwt.MapClaims) { delete(c, "exp") })), testNow},
		{"signed with another secret", mint(t, jwt.SigningMethodHS256, []byte("other"), good), testNow},
		{"alg none", mint(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good), testNow},
		{"alg HS512", mint(t, jwt.SigningMethodHS512, []byte(testSecret), good), testNow},
		{"dest not a shop", hs(with(func(c jwt.MapClaims) { c["dest"] = "https://evil.com"; c["iss"] = "https://evil.com/admin" })), testNow},
		{"dest lookalike", hs(with(func(c jwt.MapClaims) {
			c["dest"] = "https://demo.myshopify.com.evil.com"
			c["iss"] = "https://demo.myshopify.com.evil.com/admin"
		})), testNow},
		{"dest over http", hs(with(func(c jwt.MapClaims) { c["dest"] = "http://" + testShop; c["iss"] = "http://" + testShop + "/admin" })), testNow},
		{"dest with path", hs(with(func(c jwt.MapClaims) { c["dest"] = "https://" + testShop + "/x" })), testNow},
		{"iss of another shop", hs(with(func(c jwt.MapClaims) { c["iss"] = "https://other.myshopify.com/admin" })), testNow},
		{"iss not admin", hs(with(func(c jwt.MapClaims) { c["iss"] = "https://" + testShop })), testNow},
		{"garbage", "not.a.jwt", testNow},
		{"empty", "", testNow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := VerifySessionToken(testKey, testSecret, tt.token, tt.now)
			if !errors.Is(err, ErrSessionToken) {
				t.Fatalf("VerifySessionToken = %+v, %v; want ErrSessionToken", s, err)
			}
		})
	}
}

func TestBearerTokenParsesAuthorizationHeader(t *testing.T) {
	tests := []struct {
		header, want string
		ok           bool
	}{
		{"Bearer abc.def.ghi", "abc.def.ghi", true},
		{"bearer abc", "abc", true},
		{"Basic abc", "", false},
		{"Bearer ", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := BearerToken(tt.header)
		if got != tt.want || ok != tt.ok {
			t.Errorf("BearerToken(%q) = %q, %v; want %q, %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
}
