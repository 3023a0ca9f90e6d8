package carrierhttp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// FetchFunc obtains a fresh access token and how long it lives.
type FetchFunc func(ctx context.Context) (token string, ttl time.Duration, err error)

// TokenCache holds one OAuth access token and refreshes it shortly before it
// expires. Concurrent callers that find no valid token share a single fetch:
// carriers throttle their token endpoints (FedEx per IP) and USPS may count
// token calls against the tracking quota.
type TokenCache struct {
	fetch FetchFunc
	now   func() time.Time
	sem   chan struct{} // held by the one caller currently fetching
	token string
	exp   time.Time // when the cached token stops being used (already early)
}

// NewTokenCache returns a cache that calls fetch when it has no usable token.
// now is the clock; nil means time.Now.
func NewTokenCache(fetch FetchFunc, now func() time.Time) *TokenCache {
	if now == nil {
		now = time.Now
	}
	return &TokenCache{fetch: fetch, now: now, sem: make(chan struct{}, 1)}
}

// Token returns a valid access token, fetching one when the cached token is
// missing or about to expire. Waiting for another caller's fetch honours ctx.
func (c *TokenCache) Token(ctx context.Context) (string, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("wait for access token: %w", ctx.Err())
	}
	defer func() { <-c.sem }()
	if c.token != "" && c.now().Before(c.exp) {
		return c.token, nil
	}
	tok, ttl, err := c.fetch(ctx)
	if err != nil {
		return "", err
	}
	c.token, c.exp = tok, c.now().Add(ttl-refreshMargin(ttl))
	return tok, nil
}

// Invalidate drops the cached token, so the next call fetches a new one. Call
// it when the API rejects the token (revoked or rotated credentials).
func (c *TokenCache) Invalidate() {
	c.sem <- struct{}{}
	c.token, c.exp = "", time.Time{}
	<-c.sem
}

// refreshMargin is how long before expiry a token is replaced, so a request
// never leaves with a token that dies in flight: a minute, or a tenth of a
// short-lived token's life.
func refreshMargin(ttl time.Duration) time.Duration {
	if m := ttl / 10; m < time.Minute {
		return m
	}
	return time.Minute
}

// defaultTTL is assumed when a token response omits expires_in: FedEx's
// documented lifetime, the shortest of the carriers we use.
const defaultTTL = time.Hour

// ParseToken reads an RFC 6749 token response. expires_in is accepted as a
// number or a string, because UPS sends it quoted.
func ParseToken(resp *Response, now time.Time) (string, time.Duration, error) {
	if err := StatusError(resp, now, oauthDetail); err != nil {
		// A token endpoint answers 400 invalid_client/invalid_grant for bad
		// credentials just as often as 401.
		var rej *RejectedError
		if errors.As(err, &rej) && rej.Status == 400 {
			return "", 0, fmt.Errorf("%w: token: %s", tracking.ErrCredentials, strings.TrimPrefix(rej.Error(), "rejected by carrier "))
		}
		return "", 0, fmt.Errorf("token: %w", err)
	}
	var body struct {
		AccessToken string          `json:"access_token"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		return "", 0, fmt.Errorf("token: decode: %w", err)
	}
	if body.AccessToken == "" {
		return "", 0, fmt.Errorf("token: response has no access_token")
	}
	ttl := defaultTTL
	if raw := strings.Trim(string(body.ExpiresIn), `"`); raw != "" && raw != "null" {
		secs, err := strconv.Atoi(raw)
		if err != nil {
			return "", 0, fmt.Errorf("token: expires_in %q: %w", raw, err)
		}
		ttl = time.Duration(secs) * time.Second
	}
	return body.AccessToken, ttl, nil
}

// oauthDetail reads the RFC 6749 error body and the
// {"response":{"errors":[…]}} and {"errors":[…]} shapes UPS and FedEx use.
func oauthDetail(body []byte) (string, string) {
	var e struct {
		Error       any    `json:"error"`
		Description string `json:"error_description"`
		Errors      []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
		Response struct {
			Errors []struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"errors"`
		} `json:"response"`
	}
	if json.Unmarshal(body, &e) != nil {
		return "", ""
	}
	if s, ok := e.Error.(string); ok && s != "" {
		return s, e.Description
	}
	for _, list := range [][]struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}{e.Errors, e.Response.Errors} {
		if len(list) > 0 {
			return list[0].Code, list[0].Message
		}
	}
	return "", ""
}

// StatusError is the package's StatusError for a request made with this
// cache's token; when the carrier refuses the credentials it also drops the
// token, so the next call fetches a fresh one (revoked or rotated secrets).
func (c *TokenCache) StatusError(resp *Response, now time.Time, detail Detail) error {
	err := StatusError(resp, now, detail)
	if errors.Is(err, tracking.ErrCredentials) {
		c.Invalidate()
	}
	return err
}

// NewFormRequest builds the POST of an RFC 6749 token request, its
// parameters form-encoded in the body.
func NewFormRequest(ctx context.Context, url string, form url.Values) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req, nil
}

// FetchToken sends a token request built by the adapter (each carrier wants
// the client credentials in its own place) and reads the RFC 6749 answer.
func FetchToken(client *http.Client, req *http.Request, now time.Time) (string, time.Duration, error) {
	resp, err := Send(client, req)
	if err != nil {
		return "", 0, err
	}
	return ParseToken(resp, now)
}
