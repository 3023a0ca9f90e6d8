// Package woocommerce is the wire layer for WooCommerce stores: the
// /wc-auth/v1/authorize connect flow, the wc/v3 REST client, webhook
// verification and the decoding of orders and their tracking numbers into
// plain structs. It does no persistence; the app stores what it returns.
package woocommerce

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/idna"
)

// Scope is the only key permission the app asks for: read-only keys cannot
// create webhooks and write-only keys cannot read orders.
const Scope = "read_write"

// Errors returned by the connect flow.
var (
	ErrInvalidStoreURL   = errors.New("invalid store URL")
	ErrInvalidCallback   = errors.New("invalid authorization callback")
	ErrInsufficientScope = errors.New("keys lack read_write permission")
	ErrUserIDMismatch    = errors.New("callback user_id does not match the pending connection")
	ErrConnectionExpired = errors.New("pending connection expired")
	ErrInvalidAuthorize  = errors.New("invalid authorize parameters")
	// ErrShopifyHost means the address is a Shopify store's: those install
	// the Shopify app and are never WooCommerce shops here.
	ErrShopifyHost = errors.New("a myshopify.com address is a Shopify store")
)

// NormalizeStoreURL validates a merchant-entered store address and returns it
// in canonical form: lower-case scheme, the host in IDNA ASCII form
// (punycode; full-width letters mapped), no default port in any spelling
// (":0443"), no trailing dot, a cleaned path without trailing slash, the
// WordPress sub-directory kept
// ("https://example.com/shop"), so every spelling of one store names one
// shop. A bare host gets https. Plain http is refused except for loopback
// hosts (tests, local dev): WooCommerce accepts Basic auth only over HTTPS
// and would demand OAuth 1.0a otherwise. Credentials, query strings,
// fragments and *.myshopify.com hosts are refused. Where the host may point
// is not checked here (DNS can change): the Client's HTTP client does that on
// every connection (see package egress).
func NormalizeStoreURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalidStoreURL)
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalidStoreURL, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("%w: scheme %q is not http(s)", ErrInvalidStoreURL, u.Scheme)
	case u.User != nil:
		return "", fmt.Errorf("%w: credentials in URL", ErrInvalidStoreURL)
	case u.Fragment != "" || strings.Contains(s, "#"):
		return "", fmt.Errorf("%w: fragment in URL", ErrInvalidStoreURL)
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Errorf("%w: query in URL", ErrInvalidStoreURL)
	case u.Hostname() == "" || u.Opaque != "":
		return "", fmt.Errorf("%w: no host", ErrInvalidStoreURL)
	}
	host, err := canonicalHost(u.Hostname())
	if err != nil {
		return "", err
	}
	if u.Scheme == "http" && !isLoopback(host) {
		return "", fmt.Errorf("%w: https is required", ErrInvalidStoreURL)
	}
	if host == "myshopify.com" || strings.HasSuffix(host, ".myshopify.com") {
		return "", fmt.Errorf("%w: %w: %s", ErrInvalidStoreURL, ErrShopifyHost, host)
	}
	port := ""
	if p := u.Port(); p != "" {
		n, err := strconv.ParseUint(p, 10, 16)
		if err != nil || n == 0 {
			return "", fmt.Errorf("%w: port %q", ErrInvalidStoreURL, p)
		}
		if !(u.Scheme == "https" && n == 443) && !(u.Scheme == "http" && n == 80) {
			port = strconv.FormatUint(n, 10)
		}
	}
	u.Host = host
	if strings.Contains(host, ":") {
		u.Host = "[" + host + "]"
	}
	if port != "" {
		u.Host += ":" + port
	}
	u.Path = cleanPath(u.Path)
	u.RawPath = ""
	return u.String(), nil
}

// canonicalHost is the one spelling of a host: an IP literal as Go prints
// it, a name mapped by IDNA's lookup profile (full-width letters to ASCII,
// lower case, Unicode to punycode) without a trailing dot, so it is the
// name the HTTP client would resolve.
func canonicalHost(h string) (string, error) {
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip.String(), nil
	}
	a, err := hostProfile.ToASCII(strings.TrimSuffix(h, "."))
	if err != nil {
		return "", fmt.Errorf("%w: host %q: %v", ErrInvalidStoreURL, h, err)
	}
	a = strings.TrimSuffix(a, ".")
	if a == "" {
		return "", fmt.Errorf("%w: no host", ErrInvalidStoreURL)
	}
	return a, nil
}

// hostProfile is IDNA's lookup profile (what an HTTP client resolves)
// that also refuses empty and over-long labels.
var hostProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.CheckHyphens(true), idna.CheckJoiners(true),
	idna.Transitional(false), idna.VerifyDNSLength(true))

// cleanPath keeps a WordPress sub-directory in one spelling: "/shop/",
// "//shop" and "/./shop" are "/shop", and the root is "".
func cleanPath(p string) string {
	p = path.Clean("/" + p)
	if p == "/" {
		return ""
	}
	return p
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// AuthorizeParams are the inputs of the /wc-auth/v1/authorize screen.
type AuthorizeParams struct {
	// AppName is shown to the merchant on the grant screen.
	AppName string
	// UserID is echoed back in the callback and on the return URL: use an
	// unguessable nonce naming the pending connection (see NewNonce).
	UserID string
	// ReturnURL is where the merchant's browser lands afterwards, with
	// success=1|0 and user_id appended by WooCommerce.
	ReturnURL string
	// CallbackURL receives the keys as a JSON POST; WooCommerce requires https.
	CallbackURL string
}

// AuthorizeURL builds the URL that sends the merchant to their store to grant
// the app read_write REST keys.
func AuthorizeURL(storeURL string, p AuthorizeParams) (string, error) {
	base, err := NormalizeStoreURL(storeURL)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(p.AppName) == "" || strings.TrimSpace(p.UserID) == "" {
		return "", fmt.Errorf("%w: app name and user id are required", ErrInvalidAuthorize)
	}
	cb, err := url.Parse(p.CallbackURL)
	if err != nil || cb.Scheme != "https" || cb.Host == "" {
		return "", fmt.Errorf("%w: callback URL must be absolute https", ErrInvalidAuthorize)
	}
	ret, err := url.Parse(p.ReturnURL)
	if err != nil || (ret.Scheme != "https" && ret.Scheme != "http") || ret.Host == "" {
		return "", fmt.Errorf("%w: return URL must be absolute http(s)", ErrInvalidAuthorize)
	}
	q := url.Values{}
	q.Set("app_name", p.AppName)
	q.Set("scope", Scope)
	q.Set("user_id", p.UserID)
	q.Set("return_url", p.ReturnURL)
	q.Set("callback_url", p.CallbackURL)
	return base + "/wc-auth/v1/authorize?" + q.Encode(), nil
}

// NewNonce returns 32 random bytes in hex: unguessable, and made only of
// characters WooCommerce's sanitize_text_field leaves untouched.
func NewNonce() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("read random nonce: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// Keys are the REST credentials WooCommerce posts to the callback URL.
//
// The callback handler must answer exactly HTTP 200 (any other status makes
// WooCommerce delete the key and show "Access denied"), within WooCommerce's
// 60 s timeout. The request is unauthenticated and anyone may post it: look
// the pending connection up by UserID, check it with Pending.Check, then
// prove the keys with Client.VerifyKeys against the pending connection's
// store (never a URL from the request) before storing anything.
type Keys struct {
	KeyID          int64  `json:"key_id"`
	UserID         string `json:"user_id"`
	ConsumerKey    string `json:"consumer_key"`
	ConsumerSecret string `json:"consumer_secret"`
	Permissions    string `json:"key_permissions"`
}

// ParseCallback decodes and validates the JSON body of the authorize callback.
func ParseCallback(body []byte) (Keys, error) {
	var raw struct {
		KeyID          json.RawMessage `json:"key_id"`
		UserID         json.RawMessage `json:"user_id"`
		ConsumerKey    string          `json:"consumer_key"`
		ConsumerSecret string          `json:"consumer_secret"`
		Permissions    string          `json:"key_permissions"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return Keys{}, fmt.Errorf("%w: decode body: %v", ErrInvalidCallback, err)
	}
	keyID, err := flexInt(raw.KeyID)
	if err != nil {
		return Keys{}, fmt.Errorf("%w: key_id: %v", ErrInvalidCallback, err)
	}
	userID, err := flexString(raw.UserID)
	if err != nil {
		return Keys{}, fmt.Errorf("%w: user_id: %v", ErrInvalidCallback, err)
	}
	k := Keys{
		KeyID:          keyID,
		UserID:         userID,
		ConsumerKey:    raw.ConsumerKey,
		ConsumerSecret: raw.ConsumerSecret,
		Permissions:    raw.Permissions,
	}
	switch {
	case k.UserID == "":
		return Keys{}, fmt.Errorf("%w: missing user_id", ErrInvalidCallback)
	case !strings.HasPrefix(k.ConsumerKey, "ck_") || len(k.ConsumerKey) < 4:
		return Keys{}, fmt.Errorf("%w: consumer_key is not a ck_ key", ErrInvalidCallback)
	case !strings.HasPrefix(k.ConsumerSecret, "cs_") || len(k.ConsumerSecret) < 4:
		return Keys{}, fmt.Errorf("%w: consumer_secret is not a cs_ secret", ErrInvalidCallback)
	case k.Permissions != Scope:
		return Keys{}, fmt.Errorf("%w: got %q", ErrInsufficientScope, k.Permissions)
	}
	return k, nil
}

// Pending is the app's record of a connection started with AuthorizeURL and
// not yet completed.
type Pending struct {
	UserID    string // the nonce sent as user_id
	StoreURL  string // normalized store URL the merchant entered
	ExpiresAt time.Time
}

// Check reports whether the callback keys complete this pending connection:
// same user_id (compared in constant time) and not expired.
func (p Pending) Check(k Keys, now time.Time) error {
	if p.UserID == "" || subtle.ConstantTimeCompare([]byte(p.UserID), []byte(k.UserID)) != 1 {
		return ErrUserIDMismatch
	}
	if !p.ExpiresAt.IsZero() && !now.Before(p.ExpiresAt) {
		return ErrConnectionExpired
	}
	return nil
}

// flexInt accepts a JSON number or a numeric string; PHP code is loose about both.
func flexInt(b json.RawMessage) (int64, error) {
	if len(b) == 0 || string(b) == "null" {
		return 0, nil
	}
	var n json.Number
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, err
		}
		if s == "" {
			return 0, nil
		}
		n = json.Number(s)
	} else if err := json.Unmarshal(b, &n); err != nil {
		return 0, err
	}
	v, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not an integer: %s", b)
	}
	return v, nil
}

// flexString accepts a JSON string or number and returns it as text.
func flexString(b json.RawMessage) (string, error) {
	if len(b) == 0 || string(b) == "null" {
		return "", nil
	}
	if b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return "", err
	}
	return n.String(), nil
}
