package fedex

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// Advanced Integrated Visibility webhooks: the merchant or operator sets up
// a webhook project in FedEx's developer portal (an eligible U.S. billing
// account, the destination URL and a security token of theirs); FedEx then
// pushes every shipment of the linked accounts, signing each body with
// HMAC-SHA256 under the token, base64, in the fdx-signature header.
const PushHeader = "fdx-signature"

// ErrMalformedPush is a push body with no tracking result.
var ErrMalformedPush = errors.New("malformed fedex push")

// VerifyPush reports whether h signs body under the project's security
// token, in constant time; an empty token verifies nothing.
func VerifyPush(token string, h http.Header, body []byte) bool {
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h.Get(PushHeader)))
	if err != nil || token == "" || len(sig) == 0 {
		return false
	}
	m := hmac.New(sha256.New, []byte(token))
	m.Write(body)
	return hmac.Equal(m.Sum(nil), sig)
}

// Subscribe makes no call: the subscription is the portal's webhook project,
// which covers every shipment of its accounts. Every number is taken as
// subscribed; one FedEx never pushes falls back to polling when the pushes
// go stale (tracking.PushSilence).
func (c *Client) Subscribe(_ context.Context, numbers []string, _ tracking.PushHook) ([]tracking.Subscription, []string, error) {
	subs := make([]tracking.Subscription, len(numbers))
	for i, n := range numbers {
		subs[i] = tracking.Subscription{Number: n}
	}
	return subs, nil, nil
}

// ParsePush decodes a push, which carries the Track API's tracking results
// (the full history or the event's), into one Result per number.
func (c *Client) ParsePush(body []byte) ([]tracking.Result, error) {
	var tr trackResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedPush, err)
	}
	var out []tracking.Result
	for _, cr := range tr.Output.CompleteTrackResults {
		if cr.TrackingNumber == "" {
			continue
		}
		res, err := c.result(cr.TrackingNumber, cr)
		if err != nil {
			continue // an error result is news of nothing
		}
		out = append(out, res)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no tracking result", ErrMalformedPush)
	}
	return out, nil
}
