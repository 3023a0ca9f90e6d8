// Package sendgrid sends ordertrack's email through the SendGrid v3 Mail Send
// API and reads SendGrid's signed Event Webhook (delivered, bounce, open, …).
//
// It builds the request with sendgrid-go's mail and request helpers but never
// keeps a *sendgrid.Client: that client writes its request body on every Send
// and is not safe for concurrent use (sendgrid-go issue #474), while one
// Client here is shared by every notification job.
package sendgrid

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sendgrid/rest"
	sg "github.com/sendgrid/sendgrid-go"
	"github.com/sendgrid/sendgrid-go/helpers/mail"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// DefaultBaseURL is SendGrid's global API host.
const DefaultBaseURL = "https://api.sendgrid.com"

// MessageIDArg is the custom argument that carries ordertrack's message ID.
// SendGrid copies custom arguments onto every webhook event, which is how an
// event finds its way back to the message log.
const MessageIDArg = "message_id"

// Config configures a Client.
type Config struct {
	APIKey string
	// BaseURL defaults to DefaultBaseURL; set it for the EU data residency
	// host (https://api.eu.sendgrid.com) or a test server.
	BaseURL string
	// HTTPClient defaults to a client with a 30 s timeout.
	HTTPClient *http.Client
	// Now is the clock used to turn X-RateLimit-Reset into a wait; defaults
	// to time.Now.
	Now func() time.Time
}

// Client sends email. It is safe for concurrent use.
type Client struct {
	key     string
	baseURL string
	http    rest.Client
	now     func() time.Time
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	c := &Client{key: cfg.APIKey, baseURL: strings.TrimRight(cfg.BaseURL, "/"), now: cfg.Now}
	if c.baseURL == "" {
		c.baseURL = DefaultBaseURL
	}
	c.http.HTTPClient = cfg.HTTPClient
	if c.http.HTTPClient == nil {
		c.http.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// Email is one message to one recipient.
type Email struct {
	// MessageID is ordertrack's ID for the message; it comes back on every
	// webhook event as Event.MessageID.
	MessageID string
	FromEmail string
	FromName  string
	// ReplyTo is where the recipient's replies go, when not the sender.
	ReplyTo string
	To      string
	ToName  string
	Subject string
	HTML    string
	Text    string
	// Categories label the message in SendGrid's statistics (e.g. the trigger).
	Categories []string
	// UnsubscribeURL, when set, becomes the List-Unsubscribe header with
	// RFC 8058 one-click unsubscribe, which Gmail and Yahoo require of bulk
	// senders.
	UnsubscribeURL string
}

func (e Email) validate() error {
	var missing []string
	if e.FromEmail == "" {
		missing = append(missing, "from address")
	}
	if e.To == "" {
		missing = append(missing, "recipient")
	}
	if e.Subject == "" {
		missing = append(missing, "subject")
	}
	if e.HTML == "" && e.Text == "" {
		missing = append(missing, "body")
	}
	if len(missing) > 0 {
		return fmt.Errorf("email has no %s", strings.Join(missing, ", "))
	}
	return nil
}

// message builds the v3 request body. SendGrid requires text/plain to come
// before text/html when both are present.
func (e Email) message() *mail.SGMailV3 {
	m := mail.NewV3Mail()
	m.SetFrom(mail.NewEmail(e.FromName, e.FromEmail))
	m.Subject = e.Subject
	if e.ReplyTo != "" {
		m.SetReplyTo(mail.NewEmail("", e.ReplyTo))
	}
	p := mail.NewPersonalization()
	p.AddTos(mail.NewEmail(e.ToName, e.To))
	m.AddPersonalizations(p)
	if e.Text != "" {
		m.AddContent(mail.NewContent("text/plain", e.Text))
	}
	if e.HTML != "" {
		m.AddContent(mail.NewContent("text/html", e.HTML))
	}
	if e.MessageID != "" {
		m.SetCustomArg(MessageIDArg, e.MessageID)
	}
	if len(e.Categories) > 0 {
		m.AddCategories(e.Categories...)
	}
	if e.UnsubscribeURL != "" {
		m.SetHeader("List-Unsubscribe", "<"+e.UnsubscribeURL+">")
		m.SetHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	return m
}

// Send hands the email to SendGrid and returns SendGrid's message ID (the
// X-Message-Id header, the prefix of every event's sg_message_id).
// A rejection comes back as *Error: Retryable for 429 and 5xx, permanent
// otherwise. Transport failures are returned as *Error with Status 0 and
// Retryable set, because SendGrid may never have seen the request.
func (c *Client) Send(ctx context.Context, e Email) (string, error) {
	if err := e.validate(); err != nil {
		return "", fmt.Errorf("sendgrid send %s: %w", e.MessageID, err)
	}
	body, err := json.Marshal(e.message())
	if err != nil {
		return "", fmt.Errorf("sendgrid send %s: encode: %w", e.MessageID, err)
	}
	req := sg.GetRequest(c.key, "/v3/mail/send", c.baseURL)
	req.Method = rest.Post
	req.Body = body
	resp, err := c.http.SendWithContext(ctx, req)
	if err != nil {
		return "", fmt.Errorf("sendgrid send %s: %w", e.MessageID, (&Error{Message: err.Error(), Retryable: ctx.Err() == nil, err: err}).asRetryable())
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", fmt.Errorf("sendgrid send %s: %w", e.MessageID, c.responseError(resp).asRetryable())
	}
	return firstHeader(resp.Headers, "X-Message-Id"), nil
}

// Error is a failed send. Retryable reports whether the same request may
// succeed later (rate limit, SendGrid outage, network failure).
type Error struct {
	Status    int    // HTTP status; 0 when no response arrived
	Code      string // the field SendGrid blamed, when it named one
	Message   string // SendGrid's own words
	Retryable bool
	// RetryAfter is how long SendGrid asked us to wait, zero when it did not say.
	RetryAfter time.Duration
	err        error
}

func (e *Error) Error() string {
	if e.Status == 0 {
		return "sendgrid: " + e.Message
	}
	return fmt.Sprintf("sendgrid: HTTP %d: %s", e.Status, e.Message)
}

// Unwrap returns the transport error, if any.
func (e *Error) Unwrap() error { return e.err }

// asRetryable wraps a retryable error in tracking.RetryableError (with
// SendGrid's Retry-After), the one way every integration says "try again
// later".
func (e *Error) asRetryable() error {
	if e.Retryable {
		return &tracking.RetryableError{Err: e, RetryAfter: e.RetryAfter}
	}
	return e
}

// errorBody is SendGrid's v3 error response.
type errorBody struct {
	Errors []struct {
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"errors"`
}

func (c *Client) responseError(resp *rest.Response) *Error {
	e := &Error{
		Status:    resp.StatusCode,
		Retryable: resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500,
	}
	var b errorBody
	if json.Unmarshal([]byte(resp.Body), &b) == nil && len(b.Errors) > 0 {
		msgs := make([]string, 0, len(b.Errors))
		for _, x := range b.Errors {
			msgs = append(msgs, x.Message)
		}
		e.Message = strings.Join(msgs, "; ")
		e.Code = b.Errors[0].Field
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	if e.Retryable {
		e.RetryAfter = c.retryAfter(resp.Headers)
	}
	return e
}

// retryAfter reads Retry-After (seconds) or SendGrid's X-RateLimit-Reset (a
// Unix time), whichever is present.
func (c *Client) retryAfter(h map[string][]string) time.Duration {
	if s, err := strconv.Atoi(firstHeader(h, "Retry-After")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if reset, err := strconv.ParseInt(firstHeader(h, "X-RateLimit-Reset"), 10, 64); err == nil {
		if d := time.Unix(reset, 0).Sub(c.now()); d > 0 {
			return d
		}
	}
	return 0
}

func firstHeader(h map[string][]string, name string) string {
	return http.Header(h).Get(name)
}
