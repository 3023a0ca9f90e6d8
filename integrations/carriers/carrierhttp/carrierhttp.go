// Package carrierhttp is the plumbing the carrier adapters share: config
// defaults, JSON and token requests, the one-number and batched Track loops, an
// OAuth token cache that lets concurrent callers share one token fetch, and the
// classification of carrier responses into the tracking package's error kinds
// (retryable, credentials, rejected). It knows no carrier's wire format.
package carrierhttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// maxBody bounds how much of a response is read: tracking answers are a few
// hundred kilobytes at most, and a misbehaving endpoint must not exhaust memory.
const maxBody = 8 << 20

// Response is a carrier's answer, fully read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Send performs req and reads the whole body. Transport failures (timeouts,
// refused or reset connections, a deadline on ctx) come back as
// *tracking.RetryableError; a context cancelled by the caller is returned as is,
// because the caller gave up, not the carrier.
func Send(client *http.Client, req *http.Request) (*Response, error) {
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, transportError(req, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, transportError(req, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

func transportError(req *http.Request, err error) error {
	wrapped := fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	if errors.Is(err, context.Canceled) {
		return wrapped
	}
	// Timeouts, resets, DNS and TLS failures are all as transient from our side
	// of the connection as a 503 is from theirs.
	return &tracking.RetryableError{Err: wrapped}
}

// RejectedError is a carrier refusing a request for a reason retrying will not
// fix, typically a malformed or unknown-format tracking number (HTTP 400/422).
type RejectedError struct {
	Status  int
	Code    string // the carrier's own error code, when it gives one
	Message string
}

func (e *RejectedError) Error() string {
	switch {
	case e.Code != "" && e.Message != "":
		return fmt.Sprintf("rejected by carrier (HTTP %d, %s: %s)", e.Status, e.Code, e.Message)
	case e.Message != "":
		return fmt.Sprintf("rejected by carrier (HTTP %d: %s)", e.Status, e.Message)
	default:
		return fmt.Sprintf("rejected by carrier (HTTP %d)", e.Status)
	}
}

// Detail extracts a carrier's error code and message from an error body; it
// returns empty strings when the body is not in the carrier's error shape.
type Detail func(body []byte) (code, message string)

// StatusError classifies a non-2xx response: 429 and 5xx are
// *tracking.RetryableError (with Retry-After honoured), 401 and 403 wrap
// tracking.ErrCredentials, any other status is a *RejectedError. It returns nil
// for 2xx.
func StatusError(resp *Response, now time.Time, detail Detail) error {
	if resp.Status >= 200 && resp.Status < 300 {
		return nil
	}
	code, msg := "", ""
	if detail != nil {
		code, msg = detail(resp.Body)
	}
	if code == "" && msg == "" {
		msg = snippet(resp.Body)
	}
	base := &RejectedError{Status: resp.Status, Code: code, Message: msg}
	switch {
	case resp.Status == http.StatusTooManyRequests || resp.Status >= 500:
		return &tracking.RetryableError{
			Err:        fmt.Errorf("carrier unavailable: %s", strings.TrimPrefix(base.Error(), "rejected by carrier ")),
			RetryAfter: RetryAfter(resp.Header.Get("Retry-After"), now),
		}
	case resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden:
		return fmt.Errorf("%w: %s", tracking.ErrCredentials, strings.TrimPrefix(base.Error(), "rejected by carrier "))
	default:
		return base
	}
}

func snippet(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// RetryAfter parses a Retry-After header, given either as delay seconds or as
// an HTTP date (RFC 9110 §10.2.3). It returns zero when the header is absent,
// malformed or already in the past.
func RetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if secs, err := strconv.Atoi(h); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	at, err := http.ParseTime(h)
	if err != nil {
		return 0
	}
	if d := at.Sub(now); d > 0 {
		return d
	}
	return 0
}
