package shopify

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ErrSessionToken means an App Bridge session token failed verification. For
// an XHR the app answers 401 with X-Shopify-Retry-Invalid-Session-Request: 1
// so App Bridge fetches a fresh token and retries.
var ErrSessionToken = errors.New("shopify: invalid session token")

// SessionLeeway is the clock skew allowed on exp and nbf, as in Shopify's
// Node and Ruby libraries. Tokens live one minute, so more would weaken them.
const SessionLeeway = 10 * time.Second

// Session is a verified App Bridge session token (an "ID token").
type Session struct {
	Shop      string    // from dest: "name.myshopify.com"
	UserID    string    // sub: the staff member's numeric ID, empty for non-admin surfaces
	SessionID string    // sid
	TokenID   string    // jti
	ExpiresAt time.Time // exp
}

type sessionClaims struct {
	Dest string `json:"dest"`
	Sid  string `json:"sid"`
	jwt.RegisteredClaims
}

// VerifySessionToken checks an admin session token the way Shopify's libraries
// do: HS256 signed with the API secret (no other algorithm), aud equal to the
// API key, exp and nbf within SessionLeeway of now, dest "https://{shop}" with
// a valid shop, and iss equal to dest + "/admin". Errors wrap ErrSessionToken.
func VerifySessionToken(apiKey, apiSecret, token string, now time.Time) (Session, error) {
	c, err := parseSessionClaims(apiKey, apiSecret, token, now)
	if err != nil {
		return Session{}, fmt.Errorf("verify session token: %w", err)
	}
	shop, err := shopFromDest(c.Dest)
	if err != nil {
		return Session{}, fmt.Errorf("verify session token: %w", err)
	}
	if c.Issuer != "https://"+shop+"/admin" {
		return Session{}, fmt.Errorf("verify session token: iss %q does not match dest %q: %w", c.Issuer, c.Dest, ErrSessionToken)
	}
	return Session{
		Shop:      shop,
		UserID:    c.Subject,
		SessionID: c.Sid,
		TokenID:   c.ID,
		ExpiresAt: c.ExpiresAt.Time,
	}, nil
}

func shopFromDest(dest string) (string, error) {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "https" || u.User != nil || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("dest %q: %w", dest, ErrSessionToken)
	}
	if !ValidShop(u.Host) {
		return "", fmt.Errorf("dest %q: %w: %w", dest, ErrSessionToken, ErrInvalidShop)
	}
	return u.Host, nil
}

// BearerToken returns the token from an "Authorization: Bearer <token>"
// header value, as App Bridge sends it on fetch calls.
func BearerToken(authorization string) (string, bool) {
	scheme, token, ok := strings.Cut(authorization, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// ExtensionSession is what a checkout or customer-account UI extension's
// session token proves: the shop, and the signed-in customer when there is
// one (a Customer GID in sub).
type ExtensionSession struct {
	Shop        string
	CustomerGID string
}

// VerifyExtensionToken checks a UI extension's session token: HS256 with the
// API secret, aud equal to the API key, exp/nbf within SessionLeeway, and a
// dest naming a valid shop ("shop.myshopify.com", with or without https://).
// Unlike admin tokens these carry no iss. Errors wrap ErrSessionToken.
func VerifyExtensionToken(apiKey, apiSecret, token string, now time.Time) (ExtensionSession, error) {
	c, err := parseSessionClaims(apiKey, apiSecret, token, now)
	if err != nil {
		return ExtensionSession{}, fmt.Errorf("verify extension token: %w", err)
	}
	dest := c.Dest
	if !strings.Contains(dest, "://") {
		dest = "https://" + dest
	}
	shop, err := shopFromDest(dest)
	if err != nil {
		return ExtensionSession{}, fmt.Errorf("verify extension token: %w", err)
	}
	return ExtensionSession{Shop: shop, CustomerGID: c.Subject}, nil
}

// parseSessionClaims checks what every Shopify session token shares: HS256
// with the API secret (no other algorithm), aud equal to the API key, and
// exp/nbf within SessionLeeway of now. Errors wrap ErrSessionToken.
func parseSessionClaims(apiKey, apiSecret, token string, now time.Time) (sessionClaims, error) {
	if apiKey == "" || apiSecret == "" {
		return sessionClaims{}, fmt.Errorf("missing API key or secret: %w", ErrSessionToken)
	}
	var c sessionClaims
	_, err := jwt.ParseWithClaims(token, &c,
		func(*jwt.Token) (any, error) { return []byte(apiSecret), nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithAudience(apiKey),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(SessionLeeway),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	if err != nil {
		return sessionClaims{}, fmt.Errorf("%w: %w", ErrSessionToken, err)
	}
	return c, nil
}
