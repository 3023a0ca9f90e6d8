package shopify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrSignature means a webhook, OAuth redirect or app proxy request was not
// signed with our client secret. Handlers answer 401 (Shopify's compliance
// review checks that for webhooks).
var ErrSignature = errors.New("shopify: bad signature")

// ErrStale means a signed query carries a timestamp outside QueryMaxSkew,
// so it may be a replay.
var ErrStale = errors.New("shopify: signed request timestamp out of range")

// QueryMaxSkew is how far a signed query's timestamp may be from our clock,
// the window Shopify's own Node library enforces.
const QueryMaxSkew = 90 * time.Second

// VerifyWebhook reports whether header (X-Shopify-Hmac-Sha256) is the
// base64 HMAC-SHA256 of the raw body under secret. The comparison is
// constant-time. During a secret rotation call it once per secret: Shopify
// may take an hour to switch.
func VerifyWebhook(secret string, body []byte, header string) bool {
	if secret == "" || header == "" {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(header)
	if err != nil {
		return false
	}
	return hmac.Equal(got, macSum(secret, body))
}

// VerifyOAuthQuery checks the query Shopify adds when it sends a merchant to
// the app URL or the OAuth callback (shop, timestamp, hmac, and code, host,
// state ... ): the hex HMAC-SHA256 over the other parameters sorted by key
// and joined as k=v&k=v, a timestamp within QueryMaxSkew of now, and a valid
// shop. It returns the shop. The caller still checks the OAuth state nonce.
func VerifyOAuthQuery(secret string, query url.Values, now time.Time) (string, error) {
	if err := singleValued(query, "hmac", "shop", "timestamp"); err != nil {
		return "", err
	}
	got, err := hex.DecodeString(query.Get("hmac"))
	if err != nil || secret == "" {
		return "", fmt.Errorf("oauth query: %w", ErrSignature)
	}
	rest := url.Values{}
	for k, v := range query {
		if k != "hmac" && k != "signature" {
			rest[k] = v
		}
	}
	// Shopify's libraries sign the form-encoded query; go-shopify signs it
	// unescaped. They differ only for values with reserved characters, so
	// accept either: both are keyed with our secret.
	encoded := rest.Encode()
	unescaped, _ := url.QueryUnescape(encoded)
	if !hmac.Equal(got, macSum(secret, []byte(encoded))) && !hmac.Equal(got, macSum(secret, []byte(unescaped))) {
		return "", fmt.Errorf("oauth query: %w", ErrSignature)
	}
	return checkSignedQuery(query, now)
}

// VerifyProxyQuery checks an app proxy request (https://{shop}/apps/track/…
// forwarded to us): the hex HMAC-SHA256 in "signature" over every other
// parameter as k=v, repeated values joined by ",", sorted and concatenated
// with no separator; a timestamp within QueryMaxSkew; a valid shop. It
// returns the shop. logged_in_customer_id is signed too, so it can be trusted.
func VerifyProxyQuery(secret string, query url.Values, now time.Time) (string, error) {
	if err := singleValued(query, "signature", "shop", "timestamp"); err != nil {
		return "", err
	}
	got, err := hex.DecodeString(query.Get("signature"))
	if err != nil || secret == "" {
		return "", fmt.Errorf("app proxy query: %w", ErrSignature)
	}
	if !hmac.Equal(got, macSum(secret, []byte(proxyMessage(query)))) {
		return "", fmt.Errorf("app proxy query: %w", ErrSignature)
	}
	return checkSignedQuery(query, now)
}

// proxyMessage is the string Shopify signs for an app proxy request.
func proxyMessage(query url.Values) string {
	parts := make([]string, 0, len(query))
	for k, v := range query {
		if k == "signature" {
			continue
		}
		parts = append(parts, k+"="+strings.Join(v, ","))
	}
	sort.Strings(parts)
	return strings.Join(parts, "")
}

// singleValued rejects a query that repeats a parameter the signature check
// relies on: a duplicate could make our reading differ from what was signed.
func singleValued(query url.Values, keys ...string) error {
	for _, k := range keys {
		if n := len(query[k]); n != 1 {
			return fmt.Errorf("signed query has %d %q parameters: %w", n, k, ErrSignature)
		}
	}
	return nil
}

func checkSignedQuery(query url.Values, now time.Time) (string, error) {
	ts, err := strconv.ParseInt(query.Get("timestamp"), 10, 64)
	if err != nil {
		return "", fmt.Errorf("signed query timestamp %q: %w", query.Get("timestamp"), ErrStale)
	}
	if skew := now.Sub(time.Unix(ts, 0)); skew > QueryMaxSkew || skew < -QueryMaxSkew {
		return "", fmt.Errorf("signed query is %s off our clock: %w", skew.Round(time.Second), ErrStale)
	}
	shop := query.Get("shop")
	if err := checkShop(shop); err != nil {
		return "", fmt.Errorf("signed query: %w", err)
	}
	return shop, nil
}

func macSum(secret string, msg []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(msg)
	return m.Sum(nil)
}
