package woocommerce

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The companion plugin (extensions/woocommerce/ordertrack) asks the app for an
// order's tracking with
//
//	GET {app}/api/track/woocommerce/orders/{order_id}
//	X-Ordertrack-Shop:      shop key (identifies the shop in the app)
//	X-Ordertrack-Timestamp: Unix seconds
//	X-Ordertrack-Signature: hex(HMAC-SHA256(shop secret, timestamp + "." + order_id))
//
// after it has checked, inside WordPress, that the visitor may see the order
// (logged-in owner, or order number + billing email). The app answers with a
// StorefrontView as JSON.
const (
	HeaderStorefrontShop      = "X-Ordertrack-Shop"
	HeaderStorefrontTimestamp = "X-Ordertrack-Timestamp"
	HeaderStorefrontSignature = "X-Ordertrack-Signature"
)

// StorefrontSkew is how far a storefront request's timestamp may be from now.
const StorefrontSkew = 5 * time.Minute

// Storefront request errors.
var (
	ErrStorefrontSignature = errors.New("storefront request signature invalid")
	ErrStorefrontStale     = errors.New("storefront request timestamp outside the allowed window")
)

// SignStorefront computes the plugin's signature for an order id at ts.
func SignStorefront(secret string, ts time.Time, orderID string) string {
	return signStorefront(secret, strconv.FormatInt(ts.Unix(), 10), orderID)
}

func signStorefront(secret, timestamp, orderID string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "." + orderID))
	return hex.EncodeToString(mac.Sum(nil))
}

// StorefrontRequest is a parsed, not yet verified, plugin request.
type StorefrontRequest struct {
	ShopKey   string
	Timestamp string
	Signature string
}

// ParseStorefront reads the plugin's headers; the app looks the shop up by
// ShopKey, then calls Verify with its secret.
func ParseStorefront(h http.Header) (StorefrontRequest, error) {
	r := StorefrontRequest{
		ShopKey:   strings.TrimSpace(h.Get(HeaderStorefrontShop)),
		Timestamp: strings.TrimSpace(h.Get(HeaderStorefrontTimestamp)),
		Signature: strings.TrimSpace(h.Get(HeaderStorefrontSignature)),
	}
	if r.ShopKey == "" || r.Timestamp == "" || r.Signature == "" {
		return StorefrontRequest{}, fmt.Errorf("%w: missing headers", ErrStorefrontSignature)
	}
	return r, nil
}

// Verify checks the signature over orderID (constant time) and that the
// timestamp is within StorefrontSkew of now.
func (r StorefrontRequest) Verify(secret, orderID string, now time.Time) error {
	sec, err := strconv.ParseInt(r.Timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: bad timestamp", ErrStorefrontSignature)
	}
	want := signStorefront(secret, r.Timestamp, orderID)
	if secret == "" || !hmac.Equal([]byte(want), []byte(strings.ToLower(r.Signature))) {
		return ErrStorefrontSignature
	}
	if d := now.Sub(time.Unix(sec, 0)); d > StorefrontSkew || d < -StorefrontSkew {
		return ErrStorefrontStale
	}
	return nil
}

// StorefrontView is the JSON the app returns to the plugin. The plugin
// escapes every field; it renders no HTML from the app.
type StorefrontView struct {
	OrderID     string               `json:"order_id"`
	StatusLabel string               `json:"status_label"`        // "In transit"
	Stage       string               `json:"stage"`               // tracking.Stage
	ETA         string               `json:"eta,omitempty"`       // human text, already localised
	TrackingURL string               `json:"tracking_url"`        // the app's tracking page for this order
	Shipments   []StorefrontShipment `json:"shipments,omitempty"` // newest first
}

// StorefrontShipment is one parcel in a StorefrontView.
type StorefrontShipment struct {
	Carrier     string            `json:"carrier"`
	Number      string            `json:"number"`
	URL         string            `json:"url,omitempty"`
	StatusLabel string            `json:"status_label"`
	Events      []StorefrontEvent `json:"events,omitempty"` // newest first
}

// StorefrontEvent is one timeline line in a StorefrontView.
type StorefrontEvent struct {
	Time        string `json:"time"` // formatted for the shopper
	Description string `json:"description"`
	Location    string `json:"location,omitempty"`
}
