package dhl

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carrierhttp"
)

// Shipment Tracking – Unified – Push: a subscription per tracking number
// (POST /tracking/push/v1/subscription) names the hook's URI and an API-key
// authentication, a header and token of ours that DHL sends with every
// push; the pushed body is the Unified API's own shipments answer.
const PushHeader = "Ordertrack-Push-Token"

// ErrMalformedPush is a push body that is not a shipments answer.
var ErrMalformedPush = errors.New("malformed dhl push")

// VerifyPush reports whether h carries token in PushHeader, in constant
// time; an empty token verifies nothing.
func VerifyPush(token string, h http.Header) bool {
	got := h.Get(PushHeader)
	return token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// Subscribe subscribes each number in turn and returns those DHL accepted,
// with their subscription ids, and those it refused.
func (c *Client) Subscribe(ctx context.Context, numbers []string, hook tracking.PushHook) ([]tracking.Subscription, []string, error) {
	return carrierhttp.SubscribeEach(ctx, "dhl", numbers, func(ctx context.Context, n string) (string, error) { return c.subscribe(ctx, n, hook) })
}

type hook struct {
	URI            string `json:"uri"`
	Authentication struct {
		Type   string `json:"type"`
		Header string `json:"header"`
		Token  string `json:"token"`
	} `json:"authentication"`
}

func (c *Client) subscribe(ctx context.Context, number string, h tracking.PushHook) (string, error) {
	var body struct {
		Hook           hook     `json:"hook"`
		Format         string   `json:"format"`
		Type           string   `json:"type"`
		TrackingNumber string   `json:"trackingNumber"`
		Service        string   `json:"service,omitempty"`
		Events         []string `json:"events"`
	}
	body.Hook.URI = h.URL
	body.Hook.Authentication.Type, body.Hook.Authentication.Header, body.Hook.Authentication.Token = "ApiKeyAuthentication", PushHeader, h.Secret
	body.Format, body.Type, body.TrackingNumber, body.Service = "Default", "TrackingID", number, c.cfg.Service
	body.Events = []string{"Pre-Transit", "Transit", "Delivered", "Failure", "Unknown"}
	req, err := carrierhttp.NewJSONRequest(ctx, http.MethodPost, c.cfg.BaseURL+"/tracking/push/v1/subscription", body)
	if err != nil {
		return "", err
	}
	req.Header.Set("DHL-API-Key", c.cfg.APIKey)
	resp, err := carrierhttp.Send(c.cfg.HTTPClient, req)
	if err != nil {
		return "", err
	}
	if err := carrierhttp.StatusError(resp, c.cfg.Now(), problemDetail); err != nil {
		return "", err
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return "", fmt.Errorf("decode: %w", err)
	}
	return out.ID, nil
}

// Unsubscribe deletes a subscription by its id; one DHL no longer knows is
// gone already.
func (c *Client) Unsubscribe(ctx context.Context, sub tracking.Subscription) error {
	if sub.ID == "" {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.cfg.BaseURL+"/tracking/push/v1/subscription/"+url.PathEscape(sub.ID), nil)
	if err != nil {
		return fmt.Errorf("dhl: %w", err)
	}
	req.Header.Set("DHL-API-Key", c.cfg.APIKey)
	resp, err := carrierhttp.Send(c.cfg.HTTPClient, req)
	if err != nil {
		return err
	}
	if resp.Status == http.StatusNotFound {
		return nil
	}
	if err := carrierhttp.StatusError(resp, c.cfg.Now(), problemDetail); err != nil {
		return fmt.Errorf("dhl: unsubscribe %s: %w", sub.Number, err)
	}
	return nil
}

// ParsePush decodes a push (the Unified API's shipments answer) into one
// Result per shipment, as Track gives them.
func (c *Client) ParsePush(body []byte) ([]tracking.Result, error) {
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedPush, err)
	}
	var out []tracking.Result
	for _, s := range r.Shipments {
		if s.ID == "" {
			continue
		}
		out = append(out, c.result(s.ID, response{Shipments: []shipment{s}}))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no shipment", ErrMalformedPush)
	}
	return out, nil
}
