// Package twilio sends ordertrack's SMS, WhatsApp messages and voice calls
// through Twilio's 2010-04-01 REST API, and reads the webhooks Twilio sends
// back: delivery status, inbound replies and voice key presses.
//
// Requests go through twilio-go, which takes no context.Context and always
// calls https://api.twilio.com. Each call therefore gets a small transport
// that binds the caller's context to the request and, when BaseURL is set,
// sends it to that host instead (tests, proxies).
package twilio

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

	twclient "github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// MessageIDParam is the query parameter added to status callback URLs so a
// callback names ordertrack's message without a lookup by SID.
const MessageIDParam = "message_id"

// Config configures a Client.
type Config struct {
	AccountSID string
	AuthToken  string
	// FromSMS, FromWhatsApp and FromVoice are our E.164 numbers per channel
	// (FromWhatsApp without the "whatsapp:" prefix; it is added).
	FromSMS      string
	FromWhatsApp string
	FromVoice    string
	// StatusCallbackURL receives message and call status updates; the
	// message ID is appended as ?message_id=. Empty means no callbacks.
	StatusCallbackURL string
	// VoiceURL is fetched by Twilio for the call's TwiML when Call is given
	// none; the message ID is appended as ?message_id=.
	VoiceURL string
	// BaseURL replaces https://api.twilio.com (tests, egress proxies).
	BaseURL string
	// HTTPClient defaults to a client with a 30 s timeout; twilio-go itself
	// has no context, so this timeout bounds a stuck call.
	HTTPClient *http.Client
}

// Client sends messages and places calls. It is safe for concurrent use.
type Client struct {
	cfg  Config
	base *url.URL
	http *http.Client
}

// New returns a Client for cfg. It fails only on a malformed BaseURL.
func New(cfg Config) (*Client, error) {
	c := &Client{cfg: cfg, http: cfg.HTTPClient}
	if c.http == nil {
		c.http = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("twilio base URL %q: want scheme://host", cfg.BaseURL)
		}
		c.base = u
	}
	return c, nil
}

// SendSMS texts body to the E.164 number to and returns the message SID.
func (c *Client) SendSMS(ctx context.Context, to, body, messageID string) (string, error) {
	p := &api.CreateMessageParams{}
	p.SetTo(to).SetFrom(c.cfg.FromSMS).SetBody(body)
	return c.createMessage(ctx, "sms", p, messageID)
}

// SendWhatsApp sends body as a WhatsApp session message. WhatsApp accepts
// free-form text only within 24 hours of the shopper's last message; outside
// that window use SendWhatsAppTemplate.
func (c *Client) SendWhatsApp(ctx context.Context, to, body, messageID string) (string, error) {
	p := &api.CreateMessageParams{}
	p.SetTo(whatsApp(to)).SetFrom(whatsApp(c.cfg.FromWhatsApp)).SetBody(body)
	return c.createMessage(ctx, "whatsapp", p, messageID)
}

// SendWhatsAppTemplate sends an approved WhatsApp template (a Twilio Content
// API ContentSid, "HX…") filled with variables, keyed "1", "2", ….
func (c *Client) SendWhatsAppTemplate(ctx context.Context, to, contentSID string, variables map[string]string, messageID string) (string, error) {
	p := &api.CreateMessageParams{}
	p.SetTo(whatsApp(to)).SetFrom(whatsApp(c.cfg.FromWhatsApp)).SetContentSid(contentSID)
	if len(variables) > 0 {
		vars, err := json.Marshal(variables)
		if err != nil {
			return "", fmt.Errorf("twilio whatsapp %s: content variables: %w", messageID, err)
		}
		p.SetContentVariables(string(vars))
	}
	return c.createMessage(ctx, "whatsapp", p, messageID)
}

func (c *Client) createMessage(ctx context.Context, channel string, p *api.CreateMessageParams, messageID string) (string, error) {
	if cb := withMessageID(c.cfg.StatusCallbackURL, messageID); cb != "" {
		p.SetStatusCallback(cb)
	}
	var sid string
	err := c.do(ctx, func(s *api.ApiService) error {
		m, err := s.CreateMessage(p)
		if err != nil {
			return err
		}
		if m.Sid != nil {
			sid = *m.Sid
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("twilio %s %s: %w", channel, messageID, err)
	}
	return sid, nil
}

// Call phones to from FromVoice and returns the call SID. Twilio runs twiml
// (see VoiceTwiML) when the shopper answers; with twiml empty it fetches
// VoiceURL instead.
func (c *Client) Call(ctx context.Context, to, twiml, messageID string) (string, error) {
	p := &api.CreateCallParams{}
	p.SetTo(to).SetFrom(c.cfg.FromVoice)
	switch {
	case twiml != "":
		p.SetTwiml(twiml)
	case c.cfg.VoiceURL != "":
		p.SetUrl(withMessageID(c.cfg.VoiceURL, messageID))
	default:
		return "", fmt.Errorf("twilio call %s: no TwiML and no voice URL", messageID)
	}
	if cb := withMessageID(c.cfg.StatusCallbackURL, messageID); cb != "" {
		p.SetStatusCallback(cb)
	}
	var sid string
	err := c.do(ctx, func(s *api.ApiService) error {
		call, err := s.CreateCall(p)
		if err != nil {
			return err
		}
		if call.Sid != nil {
			sid = *call.Sid
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("twilio call %s: %w", messageID, err)
	}
	return sid, nil
}

// do runs one twilio-go call on a fresh API service whose transport carries
// ctx, and turns whatever went wrong into an *Error.
func (c *Client) do(ctx context.Context, call func(*api.ApiService) error) error {
	return c.with(ctx, func(tc *twclient.Client) error { return call(api.NewApiServiceWithClient(tc)) })
}

// with runs call on a fresh twilio-go client whose transport carries ctx.
func (c *Client) with(ctx context.Context, call func(*twclient.Client) error) error {
	t := &callTransport{ctx: ctx, base: c.base, next: c.http.Transport}
	hc := *c.http
	hc.Transport = t
	tc := &twclient.Client{
		Credentials: twclient.NewCredentials(c.cfg.AccountSID, c.cfg.AuthToken),
		HTTPClient:  &hc,
	}
	tc.SetAccountSid(c.cfg.AccountSID)
	err := call(tc)
	if err == nil {
		return nil
	}
	return classify(ctx, err, t.status).asRetryable()
}

// callTransport binds a request to the caller's context and, for tests and
// proxies, redirects it to another host. It also records the last HTTP
// status and buffers error bodies: twilio-go decodes them without closing.
type callTransport struct {
	ctx    context.Context
	base   *url.URL
	next   http.RoundTripper
	status int
}

func (t *callTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(t.ctx)
	if t.base != nil {
		req.URL.Scheme, req.URL.Host, req.Host = t.base.Scheme, t.base.Host, ""
	}
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	t.status = resp.StatusCode
	if resp.StatusCode >= 400 {
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read error response: %w", err)
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	return resp, nil
}

func whatsApp(number string) string {
	if strings.HasPrefix(number, "whatsapp:") {
		return number
	}
	return "whatsapp:" + number
}

func withMessageID(rawURL, messageID string) string {
	if rawURL == "" || messageID == "" {
		return rawURL
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	q := u.Query()
	q.Set(MessageIDParam, messageID)
	u.RawQuery = q.Encode()
	return u.String()
}

// Error is a request Twilio refused or that never reached it. Retryable
// reports whether the same request may succeed later.
type Error struct {
	Status    int    // HTTP status; 0 when no response arrived
	Code      string // Twilio's error code, e.g. "21610"; see twilio.com/docs/errors
	Message   string
	Retryable bool
	err       error
}

func (e *Error) Error() string {
	switch {
	case e.Status == 0:
		return "twilio: " + e.Message
	case e.Code != "":
		return fmt.Sprintf("twilio: HTTP %d: error %s: %s", e.Status, e.Code, e.Message)
	default:
		return fmt.Sprintf("twilio: HTTP %d: %s", e.Status, e.Message)
	}
}

// Unwrap returns twilio-go's or the transport's error.
func (e *Error) Unwrap() error { return e.err }

// asRetryable wraps a retryable error in tracking.RetryableError, the one
// way every integration says "try again later".
func (e *Error) asRetryable() error {
	if e.Retryable {
		return &tracking.RetryableError{Err: e}
	}
	return e
}

// Twilio error codes with a fixed meaning for retries.
const (
	CodeTooManyRequests    = 20429 // account concurrency limit
	CodeServiceUnavailable = 20503
	CodeInvalidTo          = 21211 // not a valid phone number
	CodeUnsubscribed       = 21610 // recipient replied STOP
	CodeNotMobile          = 21614 // SMS to a landline
	CodeQueueOverflow      = 30001
)

var retryableCodes = map[int]bool{
	CodeTooManyRequests:    true,
	CodeServiceUnavailable: true,
	CodeQueueOverflow:      true,
}

func classify(ctx context.Context, err error, status int) *Error {
	var rest *twclient.TwilioRestError
	if errors.As(err, &rest) {
		if rest.Status == 0 {
			rest.Status = status
		}
		return &Error{
			Status:    rest.Status,
			Code:      codeString(rest.Code),
			Message:   rest.Message,
			Retryable: retryableCodes[rest.Code] || retryableStatus(rest.Status),
			err:       err,
		}
	}
	var v1 *twclient.RestErrorV1
	if errors.As(err, &v1) {
		return &Error{
			Status:    v1.HttpStatusCode,
			Code:      codeString(v1.Code),
			Message:   v1.Message,
			Retryable: retryableCodes[v1.Code] || retryableStatus(v1.HttpStatusCode),
			err:       err,
		}
	}
	if status >= 400 {
		// An error page twilio-go could not decode (a proxy's HTML 502).
		return &Error{Status: status, Message: http.StatusText(status), Retryable: retryableStatus(status), err: err}
	}
	// No answer at all: the request may not have reached Twilio, so another
	// attempt is worth it unless the caller gave up. A 2xx we could not
	// decode was accepted, and retrying it would text the shopper twice.
	return &Error{Status: status, Message: err.Error(), Retryable: status == 0 && ctx.Err() == nil, err: err}
}

func retryableStatus(s int) bool { return s == http.StatusTooManyRequests || s >= 500 }

func codeString(code int) string {
	if code == 0 {
		return ""
	}
	return strconv.Itoa(code)
}
