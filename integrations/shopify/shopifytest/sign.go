package shopifytest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// APIVersion is the version the fake stamps on webhooks it builds.
const APIVersion = "2026-10"

// SignWebhook returns the X-Shopify-Hmac-Sha256 value Shopify sends for body:
// base64 of HMAC-SHA256 over the raw bytes, keyed with the client secret.
func SignWebhook(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// NewWebhookRequest builds a delivery of body for topic from shop to target,
// signed with secret and carrying every header Shopify sends.
func NewWebhookRequest(target, topic, shop, secret string, body []byte) *http.Request {
	r, err := http.NewRequest(http.MethodPost, target, strings.NewReader(string(body)))
	if err != nil {
		panic("shopifytest: bad webhook target " + target + ": " + err.Error())
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Shopify-Topic", topic)
	r.Header.Set("X-Shopify-Shop-Domain", shop)
	r.Header.Set("X-Shopify-Api-Version", APIVersion)
	r.Header.Set("X-Shopify-Webhook-Id", randomID())
	r.Header.Set("X-Shopify-Event-Id", randomID())
	r.Header.Set("X-Shopify-Triggered-At", time.Now().UTC().Format(time.RFC3339Nano))
	r.Header.Set("X-Shopify-Hmac-Sha256", SignWebhook(secret, body))
	return r
}

// SignOAuthQuery adds timestamp (if absent) and hmac to q the way Shopify
// signs the install and OAuth callback redirects: hex HMAC-SHA256 over the
// other parameters, sorted, form-encoded and joined with "&".
func SignOAuthQuery(secret string, q url.Values, now time.Time) url.Values {
	out := url.Values{}
	for k, v := range q {
		if k != "hmac" && k != "signature" {
			out[k] = append([]string(nil), v...)
		}
	}
	if out.Get("timestamp") == "" {
		out.Set("timestamp", strconv.FormatInt(now.Unix(), 10))
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(out.Encode()))
	out.Set("hmac", hex.EncodeToString(m.Sum(nil)))
	return out
}

// SignProxyQuery adds timestamp (if absent) and signature to q the way
// Shopify signs app proxy requests: hex HMAC-SHA256 over "k=v" pairs
// (repeated values joined by ","), sorted and concatenated with nothing
// between them.
func SignProxyQuery(secret string, q url.Values, now time.Time) url.Values {
	out := url.Values{}
	for k, v := range q {
		if k != "signature" {
			out[k] = append([]string(nil), v...)
		}
	}
	if out.Get("timestamp") == "" {
		out.Set("timestamp", strconv.FormatInt(now.Unix(), 10))
	}
	pairs := make([]string, 0, len(out))
	for k, v := range out {
		pairs = append(pairs, k+"="+strings.Join(v, ","))
	}
	sort.Strings(pairs)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strings.Join(pairs, "")))
	out.Set("signature", hex.EncodeToString(m.Sum(nil)))
	return out
}

// SessionToken mints the App Bridge session token Shopify would give staff
// member userID of shop at now: HS256 with the client secret, one minute long.
func SessionToken(apiKey, apiSecret, shop, userID string, now time.Time) string {
	claims := jwt.MapClaims{
		"iss":  "https://" + shop + "/admin",
		"dest": "https://" + shop,
		"aud":  apiKey,
		"sub":  userID,
		"exp":  now.Add(time.Minute).Unix(),
		"nbf":  now.Unix(),
		"iat":  now.Unix(),
		"jti":  randomID(),
		"sid":  randomID(),
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(apiSecret))
	if err != nil {
		panic("shopifytest: sign session token: " + err.Error())
	}
	return s
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
