package usps

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carrierhttp"
)

// Subscriptions – Tracking (v3): a subscription per tracking number with a
// listener URL and a secret; USPS posts a notification in the Tracking
// API's own format on every update, with an HMAC-SHA256 of the body under
// the secret in the X-HMAC header. A subscription lasts until deleted.
const PushHeader = "X-HMAC"

// ErrMalformedPush is a notification body that is not a tracking record.
var ErrMalformedPush = errors.New("malformed usps tracking notification")

// VerifyPush reports whether h signs body under secret (the HMAC-SHA256,
// base64 or hex), in constant time; an empty secret verifies nothing.
func VerifyPush(secret string, h http.Header, body []byte) bool {
	sig := strings.TrimSpace(h.Get(PushHeader))
	if secret == "" || sig == "" {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	want := m.Sum(nil)
	if got, err := base64.StdEncoding.DecodeString(sig); err == nil && hmac.Equal(got, want) {
		return true
	}
	got, err := hex.DecodeString(sig)
	return err == nil && hmac.Equal(got, want)
}

// Subscribe subscribes each number in turn (the API takes one filter per
// subscription) and returns those USPS accepted, with the ids to delete
// them by, and those it refused with a 4xx.
func (c *Client) Subscribe(ctx context.Context, numbers []string, hook tracking.PushHook) ([]tracking.Subscription, []string, error) {
	return carrierhttp.SubscribeEach(ctx, "usps", numbers, func(ctx context.Context, n string) (string, error) { return c.subscribe(ctx, n, hook) })
}

func (c *Client) subscribe(ctx context.Context, number string, hook tracking.PushHook) (string, error) {
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return "", err
	}
	var body struct {
		ListenerURL      string   `json:"listenerURL"`
		Secret           string   `json:"secret,omitempty"`
		NotifyEventTypes []string `json:"notifyEventTypes"`
		FilterProperties struct {
			TrackingNumber string `json:"trackingNumber"`
		} `json:"filterProperties"`
	}
	body.ListenerURL, body.Secret, body.NotifyEventTypes = hook.URL, hook.Secret, []string{"TRACKING_EVENTS"}
	body.FilterProperties.TrackingNumber = number
	req, err := carrierhttp.NewJSONRequest(ctx, http.MethodPost, c.cfg.BaseURL+"/subscriptions-tracking/v3/subscriptions", body)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := carrierhttp.Send(c.cfg.HTTPClient, req)
	if err != nil {
		return "", err
	}
	if err := c.tokens.StatusError(resp, c.cfg.Now(), errorDetail); err != nil {
		return "", err
	}
	var out struct {
		SubscriptionID string `json:"subscriptionId"`
	}
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return "", fmt.Errorf("decode: %w", err)
	}
	return out.SubscriptionID, nil
}

// Unsubscribe deletes a subscription by its id; one USPS no longer knows
// is gone already.
func (c *Client) Unsubscribe(ctx context.Context, sub tracking.Subscription) error {
	if sub.ID == "" {
		return nil
	}
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.cfg.BaseURL+"/subscriptions-tracking/v3/subscriptions/"+url.PathEscape(sub.ID), nil)
	if err != nil {
		return fmt.Errorf("usps: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := carrierhttp.Send(c.cfg.HTTPClient, req)
	if err != nil {
		return err
	}
	if resp.Status == http.StatusNotFound {
		return nil
	}
	if err := c.tokens.StatusError(resp, c.cfg.Now(), errorDetail); err != nil {
		return fmt.Errorf("usps: unsubscribe %s: %w", sub.Number, err)
	}
	return nil
}

// ParsePush decodes a notification (a Tracking API record) into the Result
// Track gives for it.
func (c *Client) ParsePush(body []byte) ([]tracking.Result, error) {
	var d details
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedPush, err)
	}
	if d.TrackingNumber == "" {
		return nil, fmt.Errorf("%w: no tracking number", ErrMalformedPush)
	}
	return []tracking.Result{c.result(d.TrackingNumber, d)}, nil
}
