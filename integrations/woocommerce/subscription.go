package woocommerce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Webhook statuses.
const (
	WebhookActive = "active"
	WebhookPaused = "paused" // set by the merchant
	// WebhookDisabled is set by WooCommerce after more than 5 consecutive
	// failed deliveries; it never re-enables the webhook on its own.
	WebhookDisabled = "disabled"
)

// Webhook is a webhook subscription on the store.
type Webhook struct {
	ID           int64
	Name         string
	Status       string
	Topic        string
	DeliveryURL  string
	DateModified time.Time // UTC
}

// Disabled reports whether WooCommerce turned the webhook off after failures.
func (w Webhook) Disabled() bool { return w.Status == WebhookDisabled }

type wireWebhook struct {
	ID              json.RawMessage `json:"id"`
	Name            string          `json:"name"`
	Status          string          `json:"status"`
	Topic           string          `json:"topic"`
	DeliveryURL     string          `json:"delivery_url"`
	DateModified    *string         `json:"date_modified"`
	DateModifiedGMT *string         `json:"date_modified_gmt"`
}

func (w wireWebhook) webhook() (Webhook, error) {
	id, err := flexInt(w.ID)
	if err != nil {
		return Webhook{}, fmt.Errorf("%w: webhook id: %v", ErrMalformedPayload, err)
	}
	mod, err := restDate(w.DateModifiedGMT, w.DateModified)
	if err != nil {
		return Webhook{}, fmt.Errorf("%w: webhook %d: %v", ErrMalformedPayload, id, err)
	}
	return Webhook{ID: id, Name: w.Name, Status: w.Status, Topic: w.Topic, DeliveryURL: w.DeliveryURL, DateModified: mod}, nil
}

// ListWebhooks returns every webhook on the store, all pages.
func (c *Client) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	var all []Webhook
	for page := 1; page <= maxPages; page++ {
		var ws []wireWebhook
		q := url.Values{"page": {strconv.Itoa(page)}, "per_page": {"100"}}
		h, err := c.do(ctx, http.MethodGet, "/webhooks", q, nil, &ws)
		if err != nil {
			return nil, fmt.Errorf("list webhooks page %d: %w", page, err)
		}
		for _, w := range ws {
			hook, err := w.webhook()
			if err != nil {
				return nil, fmt.Errorf("list webhooks: %w", err)
			}
			all = append(all, hook)
		}
		total, _ := strconv.Atoi(h.Get("X-WP-TotalPages"))
		if page >= total || len(ws) == 0 {
			return all, nil
		}
	}
	return nil, fmt.Errorf("list webhooks: more than %d pages", maxPages)
}

// WebhookSpec describes a webhook to create.
type WebhookSpec struct {
	Name        string
	Topic       string
	DeliveryURL string
	// Secret signs deliveries. Use NewSecret: one secret per shop, stored by
	// the app to verify X-WC-Webhook-Signature.
	Secret string
}

// CreateWebhook creates an active webhook. WooCommerce pings the delivery
// URL synchronously before answering (see IsPing).
func (c *Client) CreateWebhook(ctx context.Context, s WebhookSpec) (Webhook, error) {
	in := map[string]any{
		"name":         s.Name,
		"status":       WebhookActive,
		"topic":        s.Topic,
		"delivery_url": s.DeliveryURL,
		"secret":       s.Secret,
	}
	var w wireWebhook
	if _, err := c.do(ctx, http.MethodPost, "/webhooks", nil, in, &w); err != nil {
		return Webhook{}, fmt.Errorf("create webhook %s: %w", s.Topic, err)
	}
	hook, err := w.webhook()
	if err != nil {
		return Webhook{}, fmt.Errorf("create webhook %s: %w", s.Topic, err)
	}
	return hook, nil
}

// EnableWebhook sets a webhook's status back to active.
func (c *Client) EnableWebhook(ctx context.Context, id int64) (Webhook, error) {
	var w wireWebhook
	path := "/webhooks/" + strconv.FormatInt(id, 10)
	if _, err := c.do(ctx, http.MethodPut, path, nil, map[string]any{"status": WebhookActive}, &w); err != nil {
		return Webhook{}, fmt.Errorf("enable webhook %d: %w", id, err)
	}
	hook, err := w.webhook()
	if err != nil {
		return Webhook{}, fmt.Errorf("enable webhook %d: %w", id, err)
	}
	return hook, nil
}

// DeleteWebhook deletes a webhook for good (WooCommerce has no trash for them).
func (c *Client) DeleteWebhook(ctx context.Context, id int64) error {
	q := url.Values{"force": {"true"}}
	if _, err := c.do(ctx, http.MethodDelete, "/webhooks/"+strconv.FormatInt(id, 10), q, nil, nil); err != nil {
		return fmt.Errorf("delete webhook %d: %w", id, err)
	}
	return nil
}

// WebhookSync reports what EnsureWebhooks did.
type WebhookSync struct {
	Created   []Webhook
	Reenabled []Webhook
	// Paused webhooks were paused by the merchant; they are left alone and
	// reported so the app can tell the merchant updates are not arriving.
	Paused []Webhook
	Active []Webhook // already active and untouched
}

// EnsureWebhooks makes sure each topic in Topics has a webhook pointing at
// deliveryURL: missing ones are created with secret, disabled ones are
// re-enabled. Run it after connecting and periodically, because WooCommerce
// disables a webhook after repeated failures and never retries. A webhook
// that exists keeps the secret it was created with.
func (c *Client) EnsureWebhooks(ctx context.Context, name, deliveryURL, secret string) (WebhookSync, error) {
	existing, err := c.ListWebhooks(ctx)
	if err != nil {
		return WebhookSync{}, fmt.Errorf("ensure webhooks: %w", err)
	}
	var sync WebhookSync
	for _, topic := range Topics {
		hook, found := findWebhook(existing, topic, deliveryURL)
		switch {
		case !found:
			created, err := c.CreateWebhook(ctx, WebhookSpec{Name: name, Topic: topic, DeliveryURL: deliveryURL, Secret: secret})
			if err != nil {
				return sync, fmt.Errorf("ensure webhooks: %w", err)
			}
			sync.Created = append(sync.Created, created)
		case hook.Disabled():
			enabled, err := c.EnableWebhook(ctx, hook.ID)
			if err != nil {
				return sync, fmt.Errorf("ensure webhooks: %w", err)
			}
			sync.Reenabled = append(sync.Reenabled, enabled)
		case hook.Status == WebhookPaused:
			sync.Paused = append(sync.Paused, hook)
		default:
			sync.Active = append(sync.Active, hook)
		}
	}
	return sync, nil
}

// findWebhook prefers an active webhook when duplicates exist for a topic.
func findWebhook(ws []Webhook, topic, deliveryURL string) (Webhook, bool) {
	var match Webhook
	found := false
	for _, w := range ws {
		if w.Topic != topic || w.DeliveryURL != deliveryURL {
			continue
		}
		if !found || w.Status == WebhookActive {
			match, found = w, true
		}
	}
	return match, found
}
