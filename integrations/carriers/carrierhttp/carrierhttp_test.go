package carrierhttp

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func TestRetryAfterParsesSecondsAndHTTPDates(t *testing.T) {
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"120", 2 * time.Minute},
		{" 7 ", 7 * time.Second},
		{"Wed, 25 Nov 2026 12:01:30 GMT", 90 * time.Second},
		{"Wed, 25 Nov 2026 11:00:00 GMT", 0}, // already past
		{"", 0},
		{"-5", 0},
		{"soon", 0},
	}
	for _, tt := range tests {
		if got := RetryAfter(tt.header, now); got != tt.want {
			t.Errorf("RetryAfter(%q) = %s, want %s", tt.header, got, tt.want)
		}
	}
}

func TestStatusErrorRetryableStatuses(t *testing.T) {
	tests := []struct {
		status     int
		retryAfter string
		want       time.Duration
	}{
		{429, "30", 30 * time.Second},
		{503, "Wed, 25 Nov 2026 12:00:10 GMT", 10 * time.Second},
		{500, "", 0},
		{502, "", 0},
	}
	for _, tt := range tests {
		resp := &Response{Status: tt.status, Header: http.Header{"Retry-After": {tt.retryAfter}}}
		var re *tracking.RetryableError
		if err := StatusError(resp, now, nil); !errors.As(err, &re) {
			t.Errorf("HTTP %d: got %v, want *tracking.RetryableError", tt.status, err)
			continue
		}
		if re.RetryAfter != tt.want {
			t.Errorf("HTTP %d: RetryAfter = %s, want %s", tt.status, re.RetryAfter, tt.want)
		}
	}
}

func TestStatusErrorCredentialStatuses(t *testing.T) {
	for _, status := range []int{401, 403} {
		err := StatusError(&Response{Status: status, Body: []byte(`{}`)}, now, nil)
		if !errors.Is(err, tracking.ErrCredentials) {
			t.Errorf("HTTP %d: got %v, want ErrCredentials", status, err)
		}
	}
}

func TestStatusErrorRejectsOtherClientErrorsWithCarrierDetail(t *testing.T) {
	detail := func([]byte) (string, string) { return "TV1002", "Invalid inquiry number" }
	err := StatusError(&Response{Status: 400, Body: []byte(`x`)}, now, detail)
	var rej *RejectedError
	if !errors.As(err, &rej) {
		t.Fatalf("got %v, want *RejectedError", err)
	}
	if rej.Status != 400 || rej.Code != "TV1002" || rej.Message != "Invalid inquiry number" {
		t.Errorf("got %+v", rej)
	}
	var re *tracking.RetryableError
	if errors.As(err, &re) || errors.Is(err, tracking.ErrCredentials) {
		t.Errorf("a rejected request must be neither retryable nor a credentials error: %v", err)
	}
}

func TestStatusErrorAcceptsSuccess(t *testing.T) {
	if err := StatusError(&Response{Status: 200}, now, nil); err != nil {
		t.Errorf("got %v, want nil", err)
	}
}

func TestParseTokenAcceptsQuotedAndNumericExpiry(t *testing.T) {
	tests := []struct {
		body string
		want time.Duration
	}{
		{`{"access_token":"a","expires_in":"14399"}`, 14399 * time.Second},
		{`{"access_token":"a","expires_in":3600}`, time.Hour},
		{`{"access_token":"a"}`, defaultTTL},
	}
	for _, tt := range tests {
		tok, ttl, err := ParseToken(&Response{Status: 200, Body: []byte(tt.body)}, now)
		if err != nil || tok != "a" || ttl != tt.want {
			t.Errorf("ParseToken(%s) = %q, %s, %v; want a, %s", tt.body, tok, ttl, err, tt.want)
		}
	}
}

func TestParseTokenTreatsInvalidClientAsCredentials(t *testing.T) {
	for _, status := range []int{400, 401} {
		resp := &Response{Status: status, Body: []byte(`{"error":"invalid_client","error_description":"bad secret"}`)}
		if _, _, err := ParseToken(resp, now); !errors.Is(err, tracking.ErrCredentials) {
			t.Errorf("HTTP %d: got %v, want ErrCredentials", status, err)
		}
	}
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestTokenCacheSharesOneFetchAmongConcurrentCallers(t *testing.T) {
	var fetches atomic.Int32
	release := make(chan struct{})
	cache := NewTokenCache(func(context.Context) (string, time.Duration, error) {
		fetches.Add(1)
		<-release
		return "tok", time.Hour, nil
	}, (&fakeClock{t: now}).Now)

	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Go(func() {
			tok, err := cache.Token(context.Background())
			if err != nil {
				t.Errorf("Token: %v", err)
			}
			got[i] = tok
		})
	}
	close(release)
	wg.Wait()
	if n := fetches.Load(); n != 1 {
		t.Errorf("fetches = %d, want 1", n)
	}
	for i, tok := range got {
		if tok != "tok" {
			t.Errorf("caller %d got %q, want tok", i, tok)
		}
	}
}

func TestTokenCacheRefetchesShortlyBeforeExpiry(t *testing.T) {
	clock := &fakeClock{t: now}
	var fetches int
	cache := NewTokenCache(func(context.Context) (string, time.Duration, error) {
		fetches++
		return "tok", time.Hour, nil
	}, clock.Now)
	ctx := context.Background()

	steps := []struct {
		advance     time.Duration
		wantFetches int
	}{
		{0, 1},
		{58 * time.Minute, 1}, // 2 min left: still good
		{90 * time.Second, 2}, // 30 s left: inside the refresh margin
		{59*time.Minute - time.Second, 2},
		{time.Hour, 3},
	}
	for i, s := range steps {
		clock.Advance(s.advance)
		if _, err := cache.Token(ctx); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if fetches != s.wantFetches {
			t.Errorf("step %d: fetches = %d, want %d", i, fetches, s.wantFetches)
		}
	}
}

func TestTokenCacheInvalidateForcesRefetch(t *testing.T) {
	var fetches int
	cache := NewTokenCache(func(context.Context) (string, time.Duration, error) {
		fetches++
		return "tok", time.Hour, nil
	}, (&fakeClock{t: now}).Now)
	ctx := context.Background()
	cache.Token(ctx)
	cache.Invalidate()
	cache.Token(ctx)
	if fetches != 2 {
		t.Errorf("fetches = %d, want 2", fetches)
	}
}

func TestTokenCacheDoesNotCacheFailures(t *testing.T) {
	var fetches int
	cache := NewTokenCache(func(context.Context) (string, time.Duration, error) {
		fetches++
		if fetches == 1 {
			return "", 0, errors.New("boom")
		}
		return "tok", time.Hour, nil
	}, (&fakeClock{t: now}).Now)
	if _, err := cache.Token(context.Background()); err == nil {
		t.Fatal("want the fetch error")
	}
	if tok, err := cache.Token(context.Background()); err != nil || tok != "tok" {
		t.Errorf("got %q, %v; want tok", tok, err)
	}
}

func TestSendReportsTransportFailureAsRetryable(t *testing.T) {
	req, _ := http.NewRequest("GET", "http://127.0.0.1:1/track", nil)
	_, err := Send(&http.Client{}, req)
	var re *tracking.RetryableError
	if !errors.As(err, &re) {
		t.Errorf("got %v, want *tracking.RetryableError", err)
	}
}

func TestSendPassesCallerCancellationThrough(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://127.0.0.1:1/track", nil)
	_, err := Send(&http.Client{}, req)
	var re *tracking.RetryableError
	if errors.As(err, &re) || !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want a non-retryable context.Canceled", err)
	}
}

func TestBaseURLFallsBackAndDropsTrailingSlash(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "https://prod.example"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080"},
		{"https://sandbox.example/api//", "https://sandbox.example/api"},
	}
	for _, tt := range tests {
		if got := BaseURL(tt.in, "https://prod.example/"); got != tt.want {
			t.Errorf("BaseURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
