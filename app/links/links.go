// Package links builds the app's public addresses (tracking pages,
// unsubscribe forms, admin sign-in) and the HMAC-signed values that travel
// in them: each value is bound to a purpose, so one signed for a session
// cookie never passes as a sign-in link.
package links

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/trackpage"
)

// Links signs values with the app's key and builds addresses under its URL.
type Links struct {
	base string
	key  []byte
	now  func() time.Time
}

// New returns Links for the app served at base (no trailing slash),
// signing with key and reading expiry against now.
func New(base string, key []byte, now func() time.Time) *Links {
	return &Links{base: strings.TrimRight(base, "/"), key: key, now: now}
}

// Base is the app's public origin.
func (l *Links) Base() string { return l.base }

// Sign is the hex HMAC-SHA256 of payload bound to purpose.
func (l *Links) Sign(purpose, payload string) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(purpose + ":" + payload))
	return hex.EncodeToString(m.Sum(nil))
}

// SignedID is "id.expiryUnix.signature", valid for ttl.
func (l *Links) SignedID(purpose string, id int64, ttl time.Duration) string {
	payload := fmt.Sprintf("%d.%d", id, l.now().Add(ttl).Unix())
	return payload + "." + l.Sign(purpose, payload)
}

// VerifyID returns the id of a SignedID value signed for purpose and not
// yet expired.
func (l *Links) VerifyID(purpose, v string) (int64, bool) {
	i := strings.LastIndexByte(v, '.')
	if i < 0 {
		return 0, false
	}
	payload, sig := v[:i], v[i+1:]
	if !hmac.Equal([]byte(sig), []byte(l.Sign(purpose, payload))) {
		return 0, false
	}
	idS, expS, ok := strings.Cut(payload, ".")
	id, err1 := strconv.ParseInt(idS, 10, 64)
	exp, err2 := strconv.ParseInt(expS, 10, 64)
	if !ok || err1 != nil || err2 != nil || l.now().Unix() > exp {
		return 0, false
	}
	return id, true
}

// Tracking is a shipment's public tracking page.
func (l *Links) Tracking(publicToken string) string { return l.base + "/t/" + publicToken }

// Actions is the part of the tracking page where the shopper answers.
func (l *Links) Actions(publicToken string) string { return l.Tracking(publicToken) + "#actions" }

// Unsubscribe is the form that stops a shipment's messages on channel.
func (l *Links) Unsubscribe(publicToken, channel string) string {
	return l.Tracking(publicToken) + "/unsubscribe?" + url.Values{trackpage.FieldChannel: {channel}}.Encode()
}

// AdminLogin is the admin sign-in address carrying token.
func (l *Links) AdminLogin(token string) string {
	return l.base + "/admin/login?t=" + url.QueryEscape(token)
}
