// Package klaviyo sends events to Klaviyo's Events API (POST /api/events,
// JSON:API, private key), so merchants can build Klaviyo flows on
// ordertrack's shipment news. Each shop brings its own private key.
package klaviyo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// DefaultBaseURL is Klaviyo's API host.
const DefaultBaseURL = "https://a.klaviyo.com"

// Revision is the API revision every request names (Klaviyo requires the
// revision header and keeps each revision for two years).
const Revision = "2025-10-15"

// Client sends events. It is safe for concurrent use.
type Client struct {
	baseURL string
	http    *http.Client
	now     func() time.Time
}

// Config configures a Client; the zero value is production.
type Config struct {
	BaseURL    string // defaults to DefaultBaseURL
	HTTPClient *http.Client
	Now        func() time.Time // turns an HTTP-date Retry-After into a wait
}

// New returns a Client.
func New(cfg Config) *Client {
	c := &Client{baseURL: strings.TrimRight(cfg.BaseURL, "/"), http: cfg.HTTPClient, now: cfg.Now}
	if c.baseURL == "" {
		c.baseURL = DefaultBaseURL
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: 30 * time.Second}
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// Event is one thing that happened to a shopper's profile.
type Event struct {
	Metric string // the event's name in Klaviyo, e.g. "ordertrack Shipment Delivered"
	// Email and Phone (E.164) identify the profile; at least one is needed.
	Email, Phone string
	Time         time.Time
	// UniqueID makes a retried event count once.
	UniqueID   string
	Properties map[string]any
}

// ErrRejected is wrapped in the error for an event Klaviyo refused for good
// (a bad key, a malformed event): retrying cannot help.
var ErrRejected = errors.New("klaviyo: event rejected")

// Error is Klaviyo's answer to a refused request.
type Error struct {
	Status int
	Code   string // the first error's code, e.g. "throttled", "not_authenticated"
	Detail string
}

func (e *Error) Error() string {
	return fmt.Sprintf("klaviyo: %d %s: %s", e.Status, e.Code, e.Detail)
}

// CreateEvent sends ev with the shop's private key. Klaviyo answers 202 on
// acceptance. A 429 or 5xx, or no answer, is a *tracking.RetryableError
// carrying Klaviyo's Retry-After; other refusals wrap ErrRejected.
func (c *Client) CreateEvent(ctx context.Context, key string, ev Event) error {
	if key == "" {
		return fmt.Errorf("klaviyo event %s: no private key: %w", ev.Metric, ErrRejected)
	}
	if ev.Email == "" && ev.Phone == "" {
		return fmt.Errorf("klaviyo event %s: no email or phone for the profile: %w", ev.Metric, ErrRejected)
	}
	body, err := json.Marshal(ev.document())
	if err != nil {
		return fmt.Errorf("klaviyo event %s: encode: %w", ev.Metric, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+"/api/events", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("klaviyo event %s: %w", ev.Metric, err)
	}
	req.Header.Set("Authorization", "Klaviyo-API-Key "+key)
	req.Header.Set("revision", Revision)
	req.Header.Set("Content-Type", "application/vnd.api+json")
	req.Header.Set("Accept", "application/vnd.api+json")
	resp, err := c.http.Do(req)
	if err != nil {
		return &tracking.RetryableError{Err: fmt.Errorf("klaviyo event %s: %w", ev.Metric, err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return nil
	}
	kerr := readError(resp)
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return &tracking.RetryableError{Err: fmt.Errorf("klaviyo event %s: %w", ev.Metric, kerr), RetryAfter: c.retryAfter(resp.Header.Get("Retry-After"))}
	}
	return fmt.Errorf("klaviyo event %s: %w: %w", ev.Metric, ErrRejected, kerr)
}

// document is the JSON:API body of Create Event: the metric and the profile
// by attributes, so Klaviyo creates either on first use.
func (ev Event) document() map[string]any {
	profile := map[string]any{}
	if ev.Email != "" {
		profile["email"] = ev.Email
	}
	if ev.Phone != "" {
		profile["phone_number"] = ev.Phone
	}
	props := ev.Properties
	if props == nil {
		props = map[string]any{}
	}
	attrs := map[string]any{
		"properties": props,
		"metric":     map[string]any{"data": map[string]any{"type": "metric", "attributes": map[string]any{"name": ev.Metric}}},
		"profile":    map[string]any{"data": map[string]any{"type": "profile", "attributes": profile}},
	}
	if !ev.Time.IsZero() {
		attrs["time"] = ev.Time.UTC().Format(time.RFC3339)
	}
	if ev.UniqueID != "" {
		attrs["unique_id"] = ev.UniqueID
	}
	return map[string]any{"data": map[string]any{"type": "event", "attributes": attrs}}
}

// readError reads Klaviyo's JSON:API errors array.
func readError(resp *http.Response) *Error {
	e := &Error{Status: resp.StatusCode}
	var doc struct {
		Errors []struct {
			Code   string `json:"code"`
			Detail string `json:"detail"`
		} `json:"errors"`
	}
	if json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&doc) == nil && len(doc.Errors) > 0 {
		e.Code, e.Detail = doc.Errors[0].Code, doc.Errors[0].Detail
	}
	if e.Detail == "" {
		e.Detail = http.StatusText(resp.StatusCode)
	}
	return e
}

// retryAfter reads Retry-After in seconds or as an HTTP date.
func (c *Client) retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(c.now()), 0)
	}
	return 0
}
