package sendgrid

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// fakeSendGrid is a Mail Send endpoint that records what it received and
// answers with a fixed status, headers and body.
type fakeSendGrid struct {
	status  int
	headers map[string]string
	body    string

	method, path, auth, contentType string
	request                         map[string]any
}

func (f *fakeSendGrid) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.method, f.path = r.Method, r.URL.Path
	f.auth, f.contentType = r.Header.Get("Authorization"), r.Header.Get("Content-Type")
	raw, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(raw, &f.request)
	for k, v := range f.headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(f.status)
	_, _ = io.WriteString(w, f.body)
}

func newFake(t *testing.T, f *fakeSendGrid) *Client {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	now := func() time.Time { return time.Unix(1_700_000_000, 0) }
	return New(Config{APIKey: "SG.test-key", BaseURL: srv.URL, HTTPClient: srv.Client(), Now: now})
}

func jsonValue(t *testing.T, s string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad expected JSON %s: %v", s, err)
	}
	return v
}

func TestSendPostsV3MailAndReturnsMessageID(t *testing.T) {
	tests := []struct {
		name  string
		email Email
		want  string
	}{
		{
			name: "full message",
			email: Email{
				MessageID: "msg_42", FromEmail: "orders@shop.example", FromName: "Shop",
				To: "ana@example.com", ToName: "Ana", Subject: "Your order shipped",
				HTML: "<p>On its way</p>", Text: "On its way",
				Categories:     []string{"ordertrack", "shipped"},
				UnsubscribeURL: "https://track.example/u/abc",
			},
			want: `{
				"from": {"name": "Shop", "email": "orders@shop.example"},
				"subject": "Your order shipped",
				"personalizations": [{"to": [{"name": "Ana", "email": "ana@example.com"}]}],
				"content": [
					{"type": "text/plain", "value": "On its way"},
					{"type": "text/html", "value": "<p>On its way</p>"}
				],
				"custom_args": {"message_id": "msg_42"},
				"categories": ["ordertrack", "shipped"],
				"headers": {
					"List-Unsubscribe": "<https://track.example/u/abc>",
					"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"
				}
			}`,
		},
		{
			name: "html only without extras",
			email: Email{
				MessageID: "msg_7", FromEmail: "orders@shop.example",
				To: "bo@example.com", Subject: "Delivered", HTML: "<p>Delivered</p>",
			},
			want: `{
				"from": {"email": "orders@shop.example"},
				"subject": "Delivered",
				"personalizations": [{"to": [{"email": "bo@example.com"}]}],
				"content": [{"type": "text/html", "value": "<p>Delivered</p>"}],
				"custom_args": {"message_id": "msg_7"}
			}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeSendGrid{status: http.StatusAccepted, headers: map[string]string{"X-Message-Id": "14c5d75ce93dfd64b469"}}
			c := newFake(t, f)

			id, err := c.Send(context.Background(), tt.email)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if id != "14c5d75ce93dfd64b469" {
				t.Errorf("provider ID = %q, want the X-Message-Id header", id)
			}
			if f.method != http.MethodPost || f.path != "/v3/mail/send" {
				t.Errorf("request = %s %s, want POST /v3/mail/send", f.method, f.path)
			}
			if f.auth != "Bearer SG.test-key" {
				t.Errorf("Authorization = %q, want bearer API key", f.auth)
			}
			if f.contentType != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", f.contentType)
			}
			if want := jsonValue(t, tt.want); !reflect.DeepEqual(f.request, want) {
				got, _ := json.MarshalIndent(f.request, "", "  ")
				t.Errorf("request body:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestSendClassifiesRejections(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		headers map[string]string
		body    string
		want    Error
	}{
		{
			name:   "unverified sender is permanent with SendGrid's message",
			status: http.StatusForbidden,
			body:   `{"errors":[{"message":"The from address does not match a verified Sender Identity.","field":"from","help":null}]}`,
			want:   Error{Status: 403, Code: "from", Message: "The from address does not match a verified Sender Identity."},
		},
		{
			name:   "bad request joins every error",
			status: http.StatusBadRequest,
			body:   `{"errors":[{"message":"Invalid email","field":"personalizations.0.to.0.email"},{"message":"Subject too long","field":"subject"}]}`,
			want:   Error{Status: 400, Code: "personalizations.0.to.0.email", Message: "Invalid email; Subject too long"},
		},
		{
			name:   "unauthorized is permanent",
			status: http.StatusUnauthorized,
			body:   `{"errors":[{"field":null,"message":"authorization required"}]}`,
			want:   Error{Status: 401, Message: "authorization required"},
		},
		{
			name:    "rate limit is retryable after the reset time",
			status:  http.StatusTooManyRequests,
			headers: map[string]string{"X-RateLimit-Reset": "1700000042"},
			body:    `{"errors":[{"field":null,"message":"too many requests"}]}`,
			want:    Error{Status: 429, Message: "too many requests", Retryable: true, RetryAfter: 42 * time.Second},
		},
		{
			name:    "retry-after header wins",
			status:  http.StatusTooManyRequests,
			headers: map[string]string{"Retry-After": "5", "X-RateLimit-Reset": "1700000042"},
			want:    Error{Status: 429, Message: "Too Many Requests", Retryable: true, RetryAfter: 5 * time.Second},
		},
		{
			name:   "server error with a non-JSON body is retryable",
			status: http.StatusBadGateway,
			body:   "<html>bad gateway</html>",
			want:   Error{Status: 502, Message: "Bad Gateway", Retryable: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newFake(t, &fakeSendGrid{status: tt.status, headers: tt.headers, body: tt.body})
			_, err := c.Send(context.Background(), Email{MessageID: "m", FromEmail: "a@x.example", To: "b@y.example", Subject: "s", Text: "t"})
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("error = %v, want *Error", err)
			}
			got.err = nil
			if *got != tt.want {
				t.Errorf("error = %+v, want %+v", *got, tt.want)
			}
			var re *tracking.RetryableError
			if errors.As(err, &re) != tt.want.Retryable {
				t.Errorf("wrapped in tracking.RetryableError: %v, want %v", errors.As(err, &re), tt.want.Retryable)
			}
		})
	}
}

func TestSendTreatsUnreachableSendGridAsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens any more
	c := New(Config{APIKey: "k", BaseURL: srv.URL})

	_, err := c.Send(context.Background(), Email{FromEmail: "a@x.example", To: "b@y.example", Subject: "s", Text: "t"})
	var pe *Error
	if !errors.As(err, &pe) || !pe.Retryable || pe.Status != 0 {
		t.Fatalf("error = %#v, want retryable *Error with no status", err)
	}
}

func TestSendRejectsIncompleteEmailWithoutCallingSendGrid(t *testing.T) {
	tests := []struct {
		name  string
		email Email
	}{
		{"no recipient", Email{FromEmail: "a@x.example", Subject: "s", Text: "t"}},
		{"no sender", Email{To: "b@y.example", Subject: "s", Text: "t"}},
		{"no subject", Email{FromEmail: "a@x.example", To: "b@y.example", Text: "t"}},
		{"no body", Email{FromEmail: "a@x.example", To: "b@y.example", Subject: "s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeSendGrid{status: http.StatusAccepted}
			c := newFake(t, f)
			_, err := c.Send(context.Background(), tt.email)
			var pe *Error
			if err == nil || errors.As(err, &pe) {
				t.Fatalf("error = %v, want a plain (permanent) validation error", err)
			}
			if f.method != "" {
				t.Errorf("SendGrid was called for an invalid email")
			}
		})
	}
}
