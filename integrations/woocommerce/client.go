package woocommerce

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/egress"
	"github.com/ordertrack/ordertrack/integrations/nulfree"
)

// Errors classifying REST failures; check with errors.Is. Transient failures
// (network, 429, 5xx) are *tracking.RetryableError instead; a store address
// the HTTP client's policy refuses is egress.ErrRefused, and not retryable.
var (
	ErrNotFound     = errors.New("woocommerce: not found")
	ErrUnauthorized = errors.New("woocommerce: keys rejected or revoked")
	// ErrFulfillmentsUnavailable means the store does not expose core order
	// fulfillments (older WooCommerce or the feature is off).
	ErrFulfillmentsUnavailable = errors.New("woocommerce: order fulfillments not available")
)

// APIError is a non-2xx answer from the REST API, with WooCommerce's error
// code ("woocommerce_rest_shop_order_invalid_id", "rest_no_route", ...).
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("woocommerce: HTTP %d", e.Status)
	}
	return fmt.Sprintf("woocommerce: HTTP %d %s: %s", e.Status, e.Code, e.Message)
}

// Is maps HTTP statuses onto ErrNotFound and ErrUnauthorized.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
	}
	return false
}

// maxResponse bounds a response body: 100 orders with meta fit easily.
const maxResponse = 32 << 20

// Client calls a store's wc/v3 REST API with Basic auth (consumer key and
// secret). WooCommerce only accepts Basic auth over HTTPS, so the store URL
// must be https; plain http is allowed for loopback test servers only.
type Client struct {
	base   string // normalized store URL + "/wp-json/wc/v3"
	root   string // normalized store URL + "/wp-json", the REST API index
	key    string
	secret string
	hc     *http.Client
	now    func() time.Time
}

// NewClient returns a client for the store. hc makes the calls; nil means
// egress's production policy (public https hosts only, 30 s timeout), since
// the store URL is whatever the merchant typed.
func NewClient(storeURL, consumerKey, consumerSecret string, hc *http.Client) (*Client, error) {
	base, err := NormalizeStoreURL(storeURL)
	if err != nil {
		return nil, err
	}
	if consumerKey == "" || consumerSecret == "" {
		return nil, errors.New("woocommerce: consumer key and secret are required")
	}
	if hc == nil {
		hc = egress.NewClient(egress.Options{})
	}
	return &Client{base: base + "/wp-json/wc/v3", root: base + "/wp-json", key: consumerKey, secret: consumerSecret, hc: hc, now: time.Now}, nil
}

// SetClock replaces the clock used to read HTTP-date Retry-After headers.
func (c *Client) SetClock(now func() time.Time) { c.now = now }

// do sends one request; out, when non-nil, receives the decoded JSON body.
func (c *Client) do(ctx context.Context, method, path string, q url.Values, in, out any) (http.Header, error) {
	return c.call(ctx, method, c.base, path, q, in, out)
}

// call sends one request to base+path.
func (c *Client) call(ctx context.Context, method, base, path string, q url.Values, in, out any) (http.Header, error) {
	u := base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("encode %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, fmt.Errorf("build %s %s: %w", method, path, err)
	}
	req.SetBasicAuth(c.key, c.secret)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s %s: %w", method, path, ctx.Err())
		}
		if errors.Is(err, egress.ErrRefused) {
			return nil, fmt.Errorf("%s %s: %w", method, path, err)
		}
		return nil, &tracking.RetryableError{Err: fmt.Errorf("%s %s: %w", method, path, err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return nil, &tracking.RetryableError{Err: fmt.Errorf("%s %s: read body: %w", method, path, err)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := &APIError{Status: resp.StatusCode}
		var w struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(raw, &w) == nil {
			apiErr.Code, apiErr.Message = w.Code, w.Message
		}
		err := fmt.Errorf("%s %s: %w", method, path, apiErr)
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return nil, &tracking.RetryableError{Err: err, RetryAfter: c.retryAfter(resp.Header.Get("Retry-After"))}
		}
		return nil, err
	}
	if out != nil {
		if err := nulfree.Unmarshal(raw, out); err != nil {
			return nil, fmt.Errorf("%s %s: %w: %v", method, path, ErrMalformedPayload, err)
		}
	}
	return resp.Header, nil
}

func (c *Client) retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(c.now()); d > 0 {
			return d
		}
	}
	return 0
}

// OrderQuery selects a page of orders.
type OrderQuery struct {
	ModifiedAfter time.Time // zero: all orders
	Page          int       // 1-based; 0 means 1
	PerPage       int       // 0 means 100, WooCommerce's maximum
}

// OrderPage is one page of orders plus WooCommerce's paging headers.
type OrderPage struct {
	Orders     []Order
	Page       int
	TotalPages int // X-WP-TotalPages
	Total      int // X-WP-Total
}

// ListOrders fetches one page of orders of any status, oldest modification
// first, so a reconcile can resume from the last DateModified it saw.
func (c *Client) ListOrders(ctx context.Context, q OrderQuery) (OrderPage, error) {
	if q.Page <= 0 {
		q.Page = 1
	}
	if q.PerPage <= 0 || q.PerPage > 100 {
		q.PerPage = 100
	}
	v := url.Values{
		"page":     {strconv.Itoa(q.Page)},
		"per_page": {strconv.Itoa(q.PerPage)},
		"status":   {"any"},
		"orderby":  {"modified"},
		"order":    {"asc"},
	}
	if !q.ModifiedAfter.IsZero() {
		v.Set("modified_after", q.ModifiedAfter.UTC().Format("2006-01-02T15:04:05"))
		v.Set("dates_are_gmt", "true")
	}
	var raws []json.RawMessage
	h, err := c.do(ctx, http.MethodGet, "/orders", v, nil, &raws)
	if err != nil {
		return OrderPage{}, fmt.Errorf("list orders page %d: %w", q.Page, err)
	}
	p := OrderPage{Page: q.Page}
	p.TotalPages, _ = strconv.Atoi(h.Get("X-WP-TotalPages"))
	p.Total, _ = strconv.Atoi(h.Get("X-WP-Total"))
	for _, r := range raws {
		o, err := DecodeOrder(r)
		if err != nil {
			return OrderPage{}, fmt.Errorf("list orders page %d: %w", q.Page, err)
		}
		p.Orders = append(p.Orders, o)
	}
	return p, nil
}

// maxPages stops a runaway paging loop on a misbehaving server.
const maxPages = 1000

// OrdersModifiedAfter walks every page of orders modified after t. Webhooks
// are never retried by WooCommerce, so a periodic call to this is how missed
// deliveries are caught up.
func (c *Client) OrdersModifiedAfter(ctx context.Context, t time.Time) ([]Order, error) {
	var all []Order
	for page := 1; page <= maxPages; page++ {
		p, err := c.ListOrders(ctx, OrderQuery{ModifiedAfter: t, Page: page})
		if err != nil {
			return nil, err
		}
		all = append(all, p.Orders...)
		if page >= p.TotalPages || len(p.Orders) == 0 {
			return all, nil
		}
	}
	return nil, fmt.Errorf("list orders: more than %d pages", maxPages)
}

// GetOrder fetches one order; a missing order is ErrNotFound.
func (c *Client) GetOrder(ctx context.Context, id int64) (Order, error) {
	var raw json.RawMessage
	if _, err := c.do(ctx, http.MethodGet, "/orders/"+strconv.FormatInt(id, 10), nil, nil, &raw); err != nil {
		return Order{}, fmt.Errorf("get order %d: %w", id, err)
	}
	o, err := DecodeOrder(raw)
	if err != nil {
		return Order{}, fmt.Errorf("get order %d: %w", id, err)
	}
	return o, nil
}

// ListFulfillments fetches an order's core fulfillments. Stores without the
// feature answer rest_no_route, reported as ErrFulfillmentsUnavailable so the
// caller can stop asking.
func (c *Client) ListFulfillments(ctx context.Context, orderID int64) ([]Fulfillment, error) {
	var raw json.RawMessage
	_, err := c.do(ctx, http.MethodGet, "/orders/"+strconv.FormatInt(orderID, 10)+"/fulfillments", nil, nil, &raw)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Code == "rest_no_route" {
		return nil, fmt.Errorf("list fulfillments of order %d: %w", orderID, ErrFulfillmentsUnavailable)
	}
	if err != nil {
		return nil, fmt.Errorf("list fulfillments of order %d: %w", orderID, err)
	}
	fs, err := DecodeFulfillments(raw)
	if err != nil {
		return nil, fmt.Errorf("list fulfillments of order %d: %w", orderID, err)
	}
	return fs, nil
}

// Note is an order note.
type Note struct {
	ID           int64  `json:"id"`
	Note         string `json:"note"`
	CustomerNote bool   `json:"customer_note"`
	Author       string `json:"author"`
}

// AddOrderNote adds a note to an order. customerNote makes WooCommerce email
// it to the shopper; private notes are for the merchant.
func (c *Client) AddOrderNote(ctx context.Context, orderID int64, note string, customerNote bool) (Note, error) {
	in := map[string]any{"note": note, "customer_note": customerNote}
	var out Note
	if _, err := c.do(ctx, http.MethodPost, "/orders/"+strconv.FormatInt(orderID, 10)+"/notes", nil, in, &out); err != nil {
		return Note{}, fmt.Errorf("add note to order %d: %w", orderID, err)
	}
	return out, nil
}
