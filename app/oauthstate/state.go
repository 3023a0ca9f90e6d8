// Package oauthstate makes the state values of Shopify's authorization-code
// install without storing anything: a state names its shop and expiry and
// is signed with the app's key, so starting an install (which anyone can
// do, as often as they like) creates no server-side row. The browser keeps
// the state in a cookie, which binds it to the browser that started; the
// server records a state only when a Shopify-signed callback uses it, to
// make it single-use.
package oauthstate

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrInvalid means a state was not issued by this key for this shop, or has
// expired.
var ErrInvalid = errors.New("oauth state is forged, for another shop or expired")

// New returns a state for an install of shop that expires at exp:
// "{exp unix}.{random nonce}.{HMAC-SHA256}".
func New(key []byte, shop string, exp time.Time) (string, error) {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("oauth state nonce: %w", err)
	}
	body := strconv.FormatInt(exp.Unix(), 10) + "." + hex.EncodeToString(nonce)
	return body + "." + sign(key, shop, body), nil
}

// Check verifies that state was made by New with key for shop and has not
// expired at now, and returns its expiry.
func Check(key []byte, state, shop string, now time.Time) (time.Time, error) {
	i := strings.LastIndexByte(state, '.')
	if i < 0 || !hmac.Equal([]byte(state[i+1:]), []byte(sign(key, shop, state[:i]))) {
		return time.Time{}, ErrInvalid
	}
	secs, _, _ := strings.Cut(state[:i], ".")
	unix, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return time.Time{}, ErrInvalid
	}
	exp := time.Unix(unix, 0)
	if !now.Before(exp) {
		return time.Time{}, ErrInvalid
	}
	return exp, nil
}

// sign is the hex HMAC of a state's body for shop, apart from every other
// use of the key.
func sign(key []byte, shop, body string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("shopify-oauth-state\x00" + shop + "\x00" + body))
	return hex.EncodeToString(m.Sum(nil))
}
