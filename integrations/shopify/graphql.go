package shopify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/nulfree"
)

// ErrThrottled is wrapped in the *tracking.RetryableError returned when the
// shop's GraphQL cost bucket stays empty longer than the call may wait.
var ErrThrottled = errors.New("shopify: GraphQL cost limit reached")

// ErrShopUnavailable matches a *StatusError for a shop that cannot be served
// now or ever: 402 (frozen for non-payment), 404 (gone), 423 (locked). Stop
// polling it rather than retrying.
var ErrShopUnavailable = errors.New("shopify: shop unavailable")

const (
	maxGraphQLResponse = 16 << 20
	maxThrottleRetries = 5
)

// Client calls the GraphQL Admin API for any installed shop, with tokens from
// a Refresher. It is safe for concurrent use, unlike go-shopify's client, and
// every wait honours ctx.
type Client struct {
	app    *App
	tokens *Refresher
	sleep  func(ctx context.Context, d time.Duration) error
}

// NewClient returns a GraphQL client for app's shops.
func NewClient(app *App, tokens *Refresher) *Client {
	return &Client{app: app, tokens: tokens, sleep: sleepCtx}
}

// GraphQLError is a top-level "errors" answer other than throttling: a bad
// query, a missing scope (ACCESS_DENIED), an unknown field.
type GraphQLError struct {
	Errors []GraphQLErrorItem
}

// GraphQLErrorItem is one entry of a GraphQL "errors" array.
type GraphQLErrorItem struct {
	Message    string `json:"message"`
	Path       []any  `json:"path,omitempty"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

func (e *GraphQLError) Error() string {
	msgs := make([]string, 0, len(e.Errors))
	for _, it := range e.Errors {
		m := it.Message
		if it.Extensions.Code != "" {
			m = it.Extensions.Code + ": " + m
		}
		msgs = append(msgs, m)
	}
	return "shopify graphql: " + strings.Join(msgs, "; ")
}

// Code returns the first error code, such as "ACCESS_DENIED", or "".
func (e *GraphQLError) Code() string {
	for _, it := range e.Errors {
		if it.Extensions.Code != "" {
			return it.Extensions.Code
		}
	}
	return ""
}

// UserError is one entry of a mutation's userErrors: Shopify refused the
// input (unknown fulfillment, bad status), so retrying will not help.
type UserError struct {
	Field   []string `json:"field"`
	Message string   `json:"message"`
}

// UserErrors is the typed error a mutation returns when userErrors is not
// empty.
type UserErrors []UserError

func (u UserErrors) Error() string {
	msgs := make([]string, 0, len(u))
	for _, e := range u {
		if len(e.Field) > 0 {
			msgs = append(msgs, strings.Join(e.Field, ".")+": "+e.Message)
			continue
		}
		msgs = append(msgs, e.Message)
	}
	return "shopify user errors: " + strings.Join(msgs, "; ")
}

// StatusError is an HTTP answer the client does not handle itself (not 200,
// 401, 429 or 5xx).
type StatusError struct {
	StatusCode int
	Body       string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("shopify graphql: HTTP %d: %s", e.StatusCode, e.Body)
}

// Is matches ErrShopUnavailable for 402, 404 and 423.
func (e *StatusError) Is(target error) bool {
	return target == ErrShopUnavailable &&
		(e.StatusCode == http.StatusPaymentRequired || e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusLocked)
}

// queryCost is the query cost Shopify reports in extensions.cost.
type queryCost struct {
	RequestedQueryCost float64  `json:"requestedQueryCost"`
	ActualQueryCost    *float64 `json:"actualQueryCost"`
	ThrottleStatus     struct {
		MaximumAvailable   float64 `json:"maximumAvailable"`
		CurrentlyAvailable float64 `json:"currentlyAvailable"`
		RestoreRate        float64 `json:"restoreRate"`
	} `json:"throttleStatus"`
}

type graphQLResponse struct {
	Data       json.RawMessage    `json:"data"`
	Errors     []GraphQLErrorItem `json:"errors"`
	Extensions struct {
		Cost *queryCost `json:"cost"`
	} `json:"extensions"`
}

// Do runs one GraphQL operation against shop and decodes "data" into out.
// It refuses an invalid shop before any call; on 401 it asks the Refresher
// for a new token once and retries; when throttled it waits for the bucket
// to refill (bounded by ctx and Config.MaxThrottleWait) and retries. Errors:
// *GraphQLError, *StatusError, ErrReauthorize, or a *tracking.RetryableError
// for 429, 5xx, network failures and throttling it could not wait out.
func (c *Client) Do(ctx context.Context, shop, query string, vars map[string]any, out any) error {
	if err := checkShop(shop); err != nil {
		return fmt.Errorf("graphql: %w", err)
	}
	tok, err := c.tokens.Token(ctx, shop)
	if err != nil {
		return fmt.Errorf("graphql %s: %w", shop, err)
	}
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return fmt.Errorf("graphql %s: encode request: %w", shop, err)
	}
	refreshed := false
	for throttled := 0; ; {
		status, resp, err := c.post(ctx, shop, tok.AccessToken, body)
		if err != nil {
			return fmt.Errorf("graphql %s: %w", shop, err)
		}
		if status == http.StatusUnauthorized {
			if refreshed {
				return fmt.Errorf("graphql %s: token rejected after refresh: %w", shop, ErrReauthorize)
			}
			refreshed = true
			if tok, err = c.tokens.Rejected(ctx, shop, tok); err != nil {
				return fmt.Errorf("graphql %s: %w", shop, err)
			}
			continue
		}
		if isThrottled(resp.Errors) {
			throttled++
			wait := throttleWait(resp.Extensions.Cost)
			if err := c.waitThrottle(ctx, throttled, wait); err != nil {
				return fmt.Errorf("graphql %s: %w", shop, err)
			}
			continue
		}
		if len(resp.Errors) > 0 {
			return fmt.Errorf("graphql %s: %w", shop, &GraphQLError{Errors: resp.Errors})
		}
		if out == nil {
			return nil
		}
		if err := nulfree.Unmarshal(resp.Data, out); err != nil {
			return fmt.Errorf("graphql %s: decode data: %w", shop, err)
		}
		return nil
	}
}

func (c *Client) post(ctx context.Context, shop, token string, body []byte) (int, graphQLResponse, error) {
	var gr graphQLResponse
	url := c.app.cfg.BaseURL(shop) + "/admin/api/" + c.app.cfg.Version + "/graphql.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, gr, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Shopify-Access-Token", token)
	resp, err := c.app.cfg.HTTPClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, gr, ctx.Err()
		}
		return 0, gr, &tracking.RetryableError{Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxGraphQLResponse))
	if err != nil {
		return 0, gr, &tracking.RetryableError{Err: fmt.Errorf("read response: %w", err)}
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return resp.StatusCode, gr, nil
	}
	if retry, ok := retryable(resp); ok {
		return 0, gr, retry
	}
	if resp.StatusCode != http.StatusOK {
		return 0, gr, &StatusError{StatusCode: resp.StatusCode, Body: truncate(string(raw), 200)}
	}
	if err := json.Unmarshal(raw, &gr); err != nil {
		return 0, gr, fmt.Errorf("decode response: %w", err)
	}
	return resp.StatusCode, gr, nil
}

func isThrottled(errs []GraphQLErrorItem) bool {
	for _, e := range errs {
		if e.Extensions.Code == "THROTTLED" {
			return true
		}
	}
	return false
}

// throttleWait is how long until the bucket holds the query's cost again:
// (requested − available) / restoreRate, at least one second when Shopify
// gives no usable numbers.
func throttleWait(c *queryCost) time.Duration {
	if c == nil || c.ThrottleStatus.RestoreRate <= 0 {
		return time.Second
	}
	deficit := c.RequestedQueryCost - c.ThrottleStatus.CurrentlyAvailable
	if deficit <= 0 {
		return time.Second
	}
	return time.Duration(math.Ceil(deficit/c.ThrottleStatus.RestoreRate*1000)) * time.Millisecond
}

// waitThrottle sleeps for the bucket unless that would outlast ctx, the
// configured cap or the retry budget; then the caller gets a
// *tracking.RetryableError to reschedule the job instead of holding a worker.
func (c *Client) waitThrottle(ctx context.Context, attempt int, wait time.Duration) error {
	giveUp := attempt > maxThrottleRetries || wait > c.app.cfg.MaxThrottleWait
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait { // ctx deadlines are wall-clock
		giveUp = true
	}
	if giveUp {
		return &tracking.RetryableError{Err: ErrThrottled, RetryAfter: wait}
	}
	return c.sleep(ctx, wait)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
