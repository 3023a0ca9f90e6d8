package woocommerce

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The companion plugin's "Open ordertrack admin" button signs the merchant
// in without a password: WordPress checks that the user may manage
// WooCommerce, then redirects to
//
//	GET {app}/admin/login/woocommerce?shop={shop key}&ts={unix seconds}&nonce={32 hex}&sig={signature}
//	signature = hex(HMAC-SHA256(shop secret, "admin-login." + shop key + "." + ts + "." + nonce))
//
// The app accepts a link within AdminLinkSkew of ts and each nonce once.
// The "admin-login." prefix keeps these signatures apart from the
// storefront's ("ts.order_id"), which use the same secret.
const AdminLinkSkew = 5 * time.Minute

// ErrAdminLink means a plugin sign-in link is malformed, wrongly signed or stale.
var ErrAdminLink = errors.New("plugin sign-in link invalid or expired")

// AdminLink is a parsed, not yet verified, plugin sign-in link.
type AdminLink struct {
	ShopKey   string
	Timestamp time.Time
	Nonce     string
	Signature string
}

// SignAdminLink computes the plugin's signature of a sign-in link.
func SignAdminLink(secret, shopKey string, ts time.Time, nonce string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("admin-login." + shopKey + "." + strconv.FormatInt(ts.Unix(), 10) + "." + nonce))
	return hex.EncodeToString(mac.Sum(nil))
}

// ParseAdminLink reads a sign-in link's query; the app then looks the shop
// up by ShopKey and calls Verify with its secret.
func ParseAdminLink(q url.Values) (AdminLink, error) {
	sec, err := strconv.ParseInt(q.Get("ts"), 10, 64)
	l := AdminLink{ShopKey: q.Get("shop"), Timestamp: time.Unix(sec, 0), Nonce: q.Get("nonce"), Signature: strings.ToLower(q.Get("sig"))}
	if err != nil || l.ShopKey == "" || len(l.Nonce) < 16 || len(l.Nonce) > 128 || l.Signature == "" {
		return AdminLink{}, fmt.Errorf("%w: missing or malformed parameters", ErrAdminLink)
	}
	return l, nil
}

// Verify checks the signature (constant time) and that the link is within
// AdminLinkSkew of now.
func (l AdminLink) Verify(secret string, now time.Time) error {
	want := SignAdminLink(secret, l.ShopKey, l.Timestamp, l.Nonce)
	if secret == "" || !hmac.Equal([]byte(want), []byte(l.Signature)) {
		return ErrAdminLink
	}
	if d := now.Sub(l.Timestamp); d > AdminLinkSkew || d < -AdminLinkSkew {
		return fmt.Errorf("%w: signed at %s", ErrAdminLink, l.Timestamp.UTC().Format(time.RFC3339))
	}
	return nil
}

// Expires is when the link stops being accepted, so its nonce need not be
// remembered after.
func (l AdminLink) Expires() time.Time { return l.Timestamp.Add(AdminLinkSkew) }
