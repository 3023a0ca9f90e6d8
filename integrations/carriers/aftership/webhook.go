package aftership

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/nulfree"
)

// SignatureHeader carries AfterShip's webhook signature: base64 of the
// HMAC-SHA256 of the raw body with the webhook secret (AfterShip "Webhook
// Specifications").
const SignatureHeader = "aftership-hmac-sha256"

// ErrMalformedPush is a push body that is not an AfterShip tracking event.
var ErrMalformedPush = errors.New("malformed aftership webhook")

// VerifyWebhook reports whether signature matches body under secret, in
// constant time.
func VerifyWebhook(secret string, body []byte, signature string) bool {
	want, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || secret == "" {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(m.Sum(nil), want)
}

// Push is one AfterShip webhook event.
type Push struct {
	EventID string
	Event   string // tracking_update, edd_revise, …
	Result  tracking.Result
}

// ParseWebhook decodes a push into the same Result Track returns for the
// tracking it carries, so pushed and polled news merge alike.
func (c *Client) ParseWebhook(body []byte) (Push, error) {
	var v struct {
		EventID string      `json:"event_id"`
		Event   string      `json:"event"`
		Msg     trackingObj `json:"msg"`
	}
	if err := nulfree.Unmarshal(body, &v); err != nil {
		return Push{}, fmt.Errorf("%w: %w", ErrMalformedPush, err)
	}
	if v.EventID == "" || v.Msg.TrackingNumber == "" {
		return Push{}, fmt.Errorf("%w: no event_id or tracking number", ErrMalformedPush)
	}
	return Push{EventID: v.EventID, Event: v.Event, Result: c.result(v.Msg.TrackingNumber, v.Msg)}, nil
}
