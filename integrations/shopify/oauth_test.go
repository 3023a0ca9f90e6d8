package shopify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
)

// clock is a settable test clock shared by the app and the fake.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

type fixture struct {
	fake   *shopifytest.Server
	clock  *clock
	app    *App
	store  *memStore
	tokens *Refresher
	client *Client
	sleeps []time.Duration
}

// newFixture wires the package against a fake Shopify with a frozen clock;
// GraphQL waits are recorded instead of slept.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{clock: &clock{t: testNow}, store: &memStore{tokens: map[string]Token{}}}
	f.fake = shopifytest.NewServer(t, testKey, testSecret)
	f.fake.Now = f.clock.now
	app, err := NewApp(Config{
		APIKey: testKey, APISecret: testSecret, Scopes: []string{"read_orders", "write_fulfillments"},
		BaseURL: f.fake.BaseURL, Now: f.clock.now,
	})
	if err != nil {
		t.Fatalf("NewApp: %v", err)
	}
	f.app = app
	f.tokens = NewRefresher(app, f.store)
	f.client = NewClient(app, f.tokens)
	f.client.sleep = func(_ context.Context, d time.Duration) error {
		f.sleeps = append(f.sleeps, d)
		return nil
	}
	return f
}

// install stores the fake's freshly issued token pair for shop.
func (f *fixture) install(t *testing.T, shop string) Token {
	t.Helper()
	access, refresh, exp := f.fake.Install(shop)
	tok := Token{AccessToken: access, ExpiresAt: exp, RefreshToken: refresh, RefreshExpiresAt: testNow.Add(90 * 24 * time.Hour)}
	f.store.tokens[shop] = tok
	return tok
}

func TestInstallURLRequestsExpiringOfflineToken(t *testing.T) {
	f := newFixture(t)
	raw, err := f.app.InstallURL(testShop, "https://app.example/auth/shopify/callback", "n0nce")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "https" || u.Host != testShop || u.Path != "/admin/oauth/authorize" {
		t.Errorf("install URL = %s, want https://%s/admin/oauth/authorize", raw, testShop)
	}
	want := map[string]string{
		"client_id": testKey, "scope": "read_orders,write_fulfillments", "state": "n0nce",
		"redirect_uri": "https://app.example/auth/shopify/callback", "expiring": "1",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if q.Has("grant_options[]") {
		t.Error("install URL asks for an online token; want offline")
	}
}

func TestExchangeCodeReturnsExpiringToken(t *testing.T) {
	f := newFixture(t)
	f.fake.AddCode(testShop, "c0de")
	tok, err := f.app.ExchangeCode(context.Background(), testShop, "c0de")
	if err != nil {
		t.Fatalf("ExchangeCode: %v", err)
	}
	if tok.AccessToken != f.fake.AccessToken(testShop) || tok.RefreshToken == "" ||
		!tok.ExpiresAt.Equal(testNow.Add(time.Hour)) || !tok.RefreshExpiresAt.Equal(testNow.Add(90*24*time.Hour)) ||
		tok.Scope == "" {
		t.Fatalf("token = %+v, want the fake's token expiring in 1 h with a refresh token and scope", tok)
	}
	if _, err := f.app.ExchangeCode(context.Background(), testShop, "c0de"); err == nil {
		t.Fatal("a used code was accepted twice")
	}
}

func TestExchangeSessionTokenReturnsOfflineExpiringToken(t *testing.T) {
	f := newFixture(t)
	st := shopifytest.SessionToken(testKey, testSecret, testShop, "42", testNow)
	tok, err := f.app.ExchangeSessionToken(context.Background(), testShop, st)
	if err != nil {
		t.Fatalf("ExchangeSessionToken: %v", err)
	}
	if tok.AccessToken != f.fake.AccessToken(testShop) || !tok.ExpiresAt.Equal(testNow.Add(time.Hour)) || tok.RefreshToken == "" {
		t.Fatalf("token = %+v, want an expiring offline token with refresh token", tok)
	}
	if got := f.fake.Stats(testShop).TokenExchanges; got != 1 {
		t.Fatalf("token exchanges = %d, want 1", got)
	}
}

func TestExchangeSessionTokenReportsRejectedSubjectToken(t *testing.T) {
	tests := []struct {
		name  string
		token string
	}{
		{"other secret", shopifytest.SessionToken(testKey, "other", testShop, "42", testNow)},
		{"other shop", shopifytest.SessionToken(testKey, testSecret, "other.myshopify.com", "42", testNow)},
		{"expired", shopifytest.SessionToken(testKey, testSecret, testShop, "42", testNow.Add(-time.Hour))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.app.ExchangeSessionToken(context.Background(), testShop, tt.token)
			if !errors.Is(err, ErrInvalidSubjectToken) {
				t.Fatalf("error = %v, want ErrInvalidSubjectToken", err)
			}
		})
	}
}

func TestRefreshRotatesTokensAndRejectsUsedRefreshToken(t *testing.T) {
	f := newFixture(t)
	old := f.install(t, testShop)
	f.clock.t = testNow.Add(58 * time.Minute)
	tok, err := f.app.Refresh(context.Background(), testShop, old.RefreshToken)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	if tok.AccessToken == old.AccessToken || tok.RefreshToken == old.RefreshToken || !tok.ExpiresAt.Equal(f.clock.t.Add(time.Hour)) {
		t.Fatalf("refreshed token = %+v, want new access and refresh tokens expiring 1 h from now", tok)
	}
	_, err = f.app.Refresh(context.Background(), testShop, old.RefreshToken)
	var oe *OAuthError
	if !errors.Is(err, ErrReauthorize) || !errors.As(err, &oe) || oe.Code != "invalid_grant" {
		t.Fatalf("reusing a rotated refresh token: %v, want ErrReauthorize from invalid_grant", err)
	}
}

func TestTokenEndpointServerErrorIsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "2")
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	app, err := NewApp(Config{APIKey: testKey, APISecret: testSecret, BaseURL: func(string) string { return srv.URL }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = app.Refresh(context.Background(), testShop, "rt")
	var re *tracking.RetryableError
	if !errors.As(err, &re) || re.RetryAfter != 2*time.Second || errors.Is(err, ErrReauthorize) {
		t.Fatalf("error = %v, want a retryable error after 2s that is not ErrReauthorize", err)
	}
}
