package shopify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
)

func TestClientWaitsOutThrottlingThenSucceeds(t *testing.T) {
	f := newFixture(t)
	f.install(t, testShop)
	f.fake.AddOrder(testShop, shopifytest.SampleOrder(1001, testNow))
	f.fake.Throttle(testShop, 2)
	o, err := f.client.Order(context.Background(), testShop, "1001")
	if err != nil {
		t.Fatalf("Order: %v", err)
	}
	if o.Name != "#1001" {
		t.Fatalf("order name = %q, want #1001", o.Name)
	}
	// The fake reports 5 points missing at 100 points/s: 50 ms each time.
	want := []time.Duration{50 * time.Millisecond, 50 * time.Millisecond}
	if !reflect.DeepEqual(f.sleeps, want) {
		t.Fatalf("waited %v, want %v", f.sleeps, want)
	}
	if s := f.fake.Stats(testShop); s.GraphQLRequests != 3 || s.Throttled != 2 {
		t.Fatalf("fake stats = %+v, want 3 requests of which 2 throttled", s)
	}
}

func TestClientGivesThrottlingBackWhenItCannotWait(t *testing.T) {
	tests := []struct {
		name      string
		throttle  int
		deficit   float64
		deadline  bool // ctx ends halfway through the wait
		wantAfter time.Duration
	}{
		{"retry budget spent", maxThrottleRetries + 1, 5, false, 50 * time.Millisecond},
		{"ctx deadline sooner than the bucket refills", 1, 1000, true, 10 * time.Second},
		{"wait longer than MaxThrottleWait", 1, 4000, false, 40 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.install(t, testShop)
			f.fake.AddOrder(testShop, shopifytest.SampleOrder(1001, testNow))
			f.fake.Throttle(testShop, tt.throttle)
			f.fake.ThrottleDeficit = tt.deficit
			ctx := context.Background()
			if tt.deadline {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.wantAfter/2)
				defer cancel()
			}
			_, err := f.client.Order(ctx, testShop, "1001")
			var re *tracking.RetryableError
			if !errors.As(err, &re) || !errors.Is(err, ErrThrottled) || re.RetryAfter != tt.wantAfter {
				t.Fatalf("error = %v, want RetryableError{ErrThrottled, %s}", err, tt.wantAfter)
			}
			if len(f.sleeps) != tt.throttle-1 {
				t.Fatalf("slept %d times, want %d", len(f.sleeps), tt.throttle-1)
			}
		})
	}
}

func TestClientThrottleSleepHonoursCancellation(t *testing.T) {
	f := newFixture(t)
	f.install(t, testShop)
	f.fake.Throttle(testShop, 1)
	f.client.sleep = sleepCtx
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.client.Order(ctx, testShop, "1001"); !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
}

func TestClientRefreshesOnceOn401AndRetries(t *testing.T) {
	f := newFixture(t)
	before := f.install(t, testShop)
	f.fake.AddOrder(testShop, shopifytest.SampleOrder(1001, testNow))
	f.fake.RevokeAccessToken(testShop)
	if _, err := f.client.Order(context.Background(), testShop, "1001"); err != nil {
		t.Fatalf("Order after revoked token: %v", err)
	}
	s := f.fake.Stats(testShop)
	if s.Unauthorized != 1 || s.Refreshes != 1 || s.GraphQLRequests != 2 {
		t.Fatalf("fake stats = %+v, want one 401, one refresh, two GraphQL requests", s)
	}
	if got := f.store.get(testShop); got.AccessToken == before.AccessToken || got.AccessToken != f.fake.AccessToken(testShop) {
		t.Fatalf("stored token %q, want the refreshed %q", got.AccessToken, f.fake.AccessToken(testShop))
	}
}

func TestClientStopsAfterSecond401(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/admin/oauth/access_token" {
			w.Write([]byte(`{"access_token":"new","expires_in":3600,"refresh_token":"r2"}`))
			return
		}
		requests.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`))
	}))
	defer srv.Close()
	app, err := NewApp(Config{APIKey: testKey, APISecret: testSecret, BaseURL: func(string) string { return srv.URL }})
	if err != nil {
		t.Fatal(err)
	}
	store := &memStore{tokens: map[string]Token{testShop: {AccessToken: "old", RefreshToken: "r1", ExpiresAt: time.Now().Add(time.Hour)}}}
	err = NewClient(app, NewRefresher(app, store)).Do(context.Background(), testShop, "query Q { shop { id } }", nil, nil)
	if !errors.Is(err, ErrReauthorize) || requests.Load() != 2 {
		t.Fatalf("error = %v after %d requests, want ErrReauthorize after 2", err, requests.Load())
	}
}

func TestClientClassifiesHTTPFailures(t *testing.T) {
	tests := []struct {
		name   string
		status int
		check  func(error) bool
	}{
		{"503 is retryable", http.StatusServiceUnavailable, func(err error) bool {
			var re *tracking.RetryableError
			return errors.As(err, &re)
		}},
		{"429 is retryable", http.StatusTooManyRequests, func(err error) bool {
			var re *tracking.RetryableError
			return errors.As(err, &re) && re.RetryAfter == time.Second
		}},
		{"402 frozen shop is unavailable", http.StatusPaymentRequired, func(err error) bool { return errors.Is(err, ErrShopUnavailable) }},
		{"404 gone shop is unavailable", http.StatusNotFound, func(err error) bool { return errors.Is(err, ErrShopUnavailable) }},
		{"423 locked shop is unavailable", http.StatusLocked, func(err error) bool { return errors.Is(err, ErrShopUnavailable) }},
		{"403 is a plain status error", http.StatusForbidden, func(err error) bool {
			var se *StatusError
			return errors.As(err, &se) && se.StatusCode == 403 && !errors.Is(err, ErrShopUnavailable)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "1.0")
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			app, err := NewApp(Config{APIKey: testKey, APISecret: testSecret, BaseURL: func(string) string { return srv.URL }})
			if err != nil {
				t.Fatal(err)
			}
			store := &memStore{tokens: map[string]Token{testShop: {AccessToken: "a"}}}
			err = NewClient(app, NewRefresher(app, store)).Do(context.Background(), testShop, "query Q { shop { id } }", nil, nil)
			if !tt.check(err) {
				t.Fatalf("error = %v (%T)", err, err)
			}
		})
	}
}

func TestClientSendsVersionedRequestWithAccessToken(t *testing.T) {
	var path, token string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, token = r.URL.Path, r.Header.Get("X-Shopify-Access-Token")
		w.Write([]byte(`{"data":{"shop":{"id":"gid://shopify/Shop/1"}},"extensions":{"cost":{"requestedQueryCost":1,"actualQueryCost":1,"throttleStatus":{"maximumAvailable":2000,"currentlyAvailable":1999,"restoreRate":100}}}}`))
	}))
	defer srv.Close()
	app, err := NewApp(Config{APIKey: testKey, APISecret: testSecret, BaseURL: func(string) string { return srv.URL }})
	if err != nil {
		t.Fatal(err)
	}
	store := &memStore{tokens: map[string]Token{testShop: {AccessToken: "shpat_abc"}}}
	var out struct {
		Shop struct{ ID string } `json:"shop"`
	}
	if err := NewClient(app, NewRefresher(app, store)).Do(context.Background(), testShop, "query Q { shop { id } }", nil, &out); err != nil {
		t.Fatal(err)
	}
	if path != "/admin/api/"+APIVersion+"/graphql.json" || token != "shpat_abc" || out.Shop.ID != "gid://shopify/Shop/1" {
		t.Fatalf("path %q token %q shop %q", path, token, out.Shop.ID)
	}
}
