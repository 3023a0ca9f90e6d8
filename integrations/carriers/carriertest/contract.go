package carriertest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carrierhttp"
)

// Start is when the contract's clock stands; Retry-After dates are relative
// to it.
var Start = At("2026-11-25T12:00:00Z")

// Tracker is the adapter under test: what the tracking engine calls.
type Tracker interface {
	Name() string
	MaxBatch() int
	Track(ctx context.Context, numbers []string) ([]tracking.Result, error)
}

// Contract describes one adapter and its fake API to the behaviours every
// adapter shares: how it names itself, what an unknown number becomes, how
// carrier failures are classified, and (RunToken) how OAuth tokens are cached.
type Contract struct {
	Carrier  string // the adapter's Name
	MaxBatch int
	Number   string // a number the fake answers for
	// Fake starts the carrier's fake API, whose tracking route answers number
	// with rep, and returns the server and that route.
	Fake func(t *testing.T, number string, rep Reply) (*Server, *Route)
	// New returns the adapter pointed at baseURL.
	New func(baseURL string, client *http.Client, now func() time.Time) Tracker

	Found    string   // fixture of a 200 answer with events for Number
	NotFound []Answer // every answer the carrier gives for a number it does not know
	// Fixtures the carrier sends with 429, with 500/503 and with 401.
	TooManyRequests, ServerError, Unauthorized string
	// UnauthorizedText is the part of the 401 body the credentials error must
	// carry, so an operator sees the carrier's reason.
	UnauthorizedText string
	// Rejections are the carrier's answers for a malformed number.
	Rejections []Rejection
}

// Answer is a carrier's reply for one number.
type Answer struct {
	Number string
	Reply  Reply
}

// Rejection is a carrier answer that refuses a number for good, with the code
// and message the *carrierhttp.RejectedError must carry.
type Rejection struct {
	Reply         Reply
	Code, Message string
}

func (c Contract) client(baseURL string, hc *http.Client, clk *Clock) Tracker {
	return c.New(baseURL, hc, clk.Now)
}

func (c Contract) track(t *testing.T, rep Reply) error {
	t.Helper()
	srv, _ := c.Fake(t, c.Number, rep)
	_, err := c.client(srv.URL, srv.Client(), NewClock(Start)).Track(context.Background(), []string{c.Number})
	return err
}

// Run runs the behaviours every adapter shares as subtests of t.
func (c Contract) Run(t *testing.T) {
	t.Run("describes itself", func(t *testing.T) {
		a := c.New("", nil, nil)
		if a.Name() != c.Carrier || a.MaxBatch() != c.MaxBatch {
			t.Errorf("Name, MaxBatch = %q, %d; want %s, %d", a.Name(), a.MaxBatch(), c.Carrier, c.MaxBatch)
		}
	})
	t.Run("reports an unknown number as not found", func(t *testing.T) {
		for _, a := range c.NotFound {
			t.Run(fmt.Sprintf("HTTP %d %s", a.Reply.Status, a.Reply.File), func(t *testing.T) {
				srv, _ := c.Fake(t, a.Number, a.Reply)
				got, err := c.client(srv.URL, srv.Client(), NewClock(Start)).Track(context.Background(), []string{a.Number})
				CheckTracked(t, c.Carrier, got, err, Want{Number: a.Number, NotFound: true, Events: []string{}})
			})
		}
	})
	t.Run("classifies failures", c.classifiesFailures)
	t.Run("gives up retryably at the context deadline", c.honoursDeadline)
}

func (c Contract) classifiesFailures(t *testing.T) {
	date := func(d time.Duration) map[string]string {
		return map[string]string{"Retry-After": Start.Add(d).Format(http.TimeFormat)}
	}
	tests := []struct {
		name  string
		reply Reply
		check func(t *testing.T, err error)
	}{
		{"429 is retryable after the seconds in Retry-After", Reply{429, c.TooManyRequests, map[string]string{"Retry-After": "120"}}, retryableAfter(2 * time.Minute)},
		{"429 is retryable at the HTTP date in Retry-After", Reply{429, c.TooManyRequests, date(30 * time.Second)}, retryableAfter(30 * time.Second)},
		{"503 is retryable at the date in Retry-After", Reply{503, c.ServerError, date(5 * time.Minute)}, retryableAfter(5 * time.Minute)},
		{"500 is retryable at once", Reply{500, c.ServerError, nil}, retryableAfter(0)},
		{"401 is a credentials problem", Reply{401, c.Unauthorized, nil}, credentials(c.UnauthorizedText)},
	}
	for _, r := range c.Rejections {
		tests = append(tests, struct {
			name  string
			reply Reply
			check func(t *testing.T, err error)
		}{fmt.Sprintf("%d %s is rejected, not retried", r.Reply.Status, r.Code), r.Reply, rejected(r.Code, r.Message)})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, c.track(t, tt.reply))
		})
	}
}

func retryableAfter(d time.Duration) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var re *tracking.RetryableError
		if !errors.As(err, &re) || re.RetryAfter != d || errors.Is(err, tracking.ErrCredentials) {
			t.Errorf("got %v, want RetryableError after %s", err, d)
		}
	}
}

func credentials(text string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var re *tracking.RetryableError
		if !errors.Is(err, tracking.ErrCredentials) || !strings.Contains(fmt.Sprint(err), text) || errors.As(err, &re) {
			t.Errorf("got %v, want ErrCredentials naming %q", err, text)
		}
	}
}

func rejected(code, message string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var rej *carrierhttp.RejectedError
		var re *tracking.RetryableError
		if !errors.As(err, &rej) || rej.Code != code || rej.Message != message || errors.As(err, &re) {
			t.Errorf("got %v, want RejectedError %s: %s", err, code, message)
		}
	}
}

func (c Contract) honoursDeadline(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(block) })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := c.client(srv.URL, srv.Client(), NewClock(Start)).Track(ctx, []string{c.Number})
	var re *tracking.RetryableError
	if !errors.As(err, &re) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want a retryable deadline error", err)
	}
}

// RunToken runs the OAuth token behaviours as subtests of t, for adapters
// that fetch a client-credentials token; ttl is the expires_in of the fake's
// testdata/token.json.
func (c Contract) RunToken(t *testing.T, ttl time.Duration) {
	found := Reply{Status: http.StatusOK, File: c.Found}
	t.Run("fetches one token for many calls and refetches after expiry", func(t *testing.T) {
		srv, _ := c.Fake(t, c.Number, found)
		clk := NewClock(Start)
		a := c.client(srv.URL, srv.Client(), clk)
		for range 3 {
			if _, err := a.Track(context.Background(), []string{c.Number}); err != nil {
				t.Fatal(err)
			}
		}
		if n := srv.TokenCalls(); n != 1 {
			t.Errorf("token calls after 3 Track calls = %d, want 1", n)
		}
		clk.Advance(ttl)
		if _, err := a.Track(context.Background(), []string{c.Number}); err != nil {
			t.Fatal(err)
		}
		if n := srv.TokenCalls(); n != 2 {
			t.Errorf("token calls after expiry = %d, want 2", n)
		}
	})
	t.Run("concurrent calls share one token fetch", func(t *testing.T) {
		srv, _ := c.Fake(t, c.Number, found)
		a := c.client(srv.URL, srv.Client(), NewClock(Start))
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if _, err := a.Track(context.Background(), []string{c.Number}); err != nil {
					t.Errorf("Track: %v", err)
				}
			})
		}
		wg.Wait()
		if n := srv.TokenCalls(); n != 1 {
			t.Errorf("token calls = %d, want 1", n)
		}
	})
	t.Run("refetches the token after credentials are rejected", func(t *testing.T) {
		srv, route := c.Fake(t, c.Number, Reply{Status: http.StatusUnauthorized, File: c.Unauthorized})
		a := c.client(srv.URL, srv.Client(), NewClock(Start))
		if _, err := a.Track(context.Background(), []string{c.Number}); !errors.Is(err, tracking.ErrCredentials) {
			t.Fatalf("first Track: got %v, want ErrCredentials", err)
		}
		route.Set(c.Number, found)
		if _, err := a.Track(context.Background(), []string{c.Number}); err != nil {
			t.Fatal(err)
		}
		if n := srv.TokenCalls(); n != 2 {
			t.Errorf("token calls = %d, want 2 (a rejected token is not reused)", n)
		}
	})
}
