package shopify

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

	"github.com/ordertrack/ordertrack/app/tracking"
)

// APIVersion is the Admin API version every call and the webhook config pin.
// Shopify supports each quarterly version for at least 12 months: bump it
// here and in shopify.app.toml together.
const APIVersion = "2026-10"

// Grant and token types of Shopify's token endpoint.
const (
	grantTokenExchange   = "urn:ietf:params:oauth:grant-type:token-exchange"
	grantRefreshToken    = "refresh_token"
	tokenTypeIDToken     = "urn:ietf:params:oauth:token-type:id_token"
	tokenTypeOfflineAT   = "urn:shopify:params:oauth:token-type:offline-access-token"
	errInvalidSubject    = "invalid_subject_token"
	defaultHTTPTimeout   = 15 * time.Second
	maxTokenResponseSize = 1 << 20
)

// ErrInvalidSubjectToken means token exchange rejected the session token
// (expired or forged). For a document request send the user to the bounce
// page; for an XHR answer 401 with X-Shopify-Retry-Invalid-Session-Request: 1.
var ErrInvalidSubjectToken = errors.New("shopify: token exchange rejected the session token")

// ErrReauthorize means the shop's stored token is rejected and cannot be
// refreshed (no refresh token, refresh token expired or revoked, or the app
// was uninstalled). Nothing retries this: the merchant must open the app again,
// which runs token exchange.
var ErrReauthorize = errors.New("shopify: access token rejected and not refreshable")

// Config is the app's Shopify credentials and the knobs tests turn.
type Config struct {
	APIKey    string   // client ID
	APISecret string   // client secret
	Scopes    []string // requested by the authorization-code install URL
	// Version is the Admin API version; empty means APIVersion.
	Version string
	// HTTPClient makes every call; nil means a client with a 15 s timeout.
	HTTPClient *http.Client
	// BaseURL maps a (validated) shop to the origin requests go to; nil means
	// "https://" + shop. Tests point it at an httptest server.
	BaseURL func(shop string) string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxThrottleWait caps how long a GraphQL call sleeps for the rate limit
	// bucket before giving up with a *tracking.RetryableError; zero means 30 s.
	MaxThrottleWait time.Duration
}

// App makes Shopify calls with one app's credentials. It is safe for
// concurrent use.
type App struct {
	cfg Config
}

// NewApp checks cfg and fills its defaults.
func NewApp(cfg Config) (*App, error) {
	if cfg.APIKey == "" || cfg.APISecret == "" {
		return nil, errors.New("shopify: API key and secret are required")
	}
	if cfg.Version == "" {
		cfg.Version = APIVersion
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: defaultHTTPTimeout}
	}
	if cfg.BaseURL == nil {
		cfg.BaseURL = func(shop string) string { return "https://" + shop }
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxThrottleWait == 0 {
		cfg.MaxThrottleWait = 30 * time.Second
	}
	return &App{cfg: cfg}, nil
}

// APIKey is the client ID, for the App Bridge meta tag and the bounce page.
func (a *App) APIKey() string { return a.cfg.APIKey }

// VerifySessionToken verifies an App Bridge session token with this app's
// credentials and clock; see the package-level VerifySessionToken.
func (a *App) VerifySessionToken(token string) (Session, error) {
	return VerifySessionToken(a.cfg.APIKey, a.cfg.APISecret, token, a.cfg.Now())
}

// VerifyOAuthQuery verifies an install or callback query with this app's
// secret and clock; see the package-level VerifyOAuthQuery.
func (a *App) VerifyOAuthQuery(query url.Values) (string, error) {
	return VerifyOAuthQuery(a.cfg.APISecret, query, a.cfg.Now())
}

// VerifyProxyQuery verifies an app proxy query with this app's secret and
// clock; see the package-level VerifyProxyQuery.
func (a *App) VerifyProxyQuery(query url.Values) (string, error) {
	return VerifyProxyQuery(a.cfg.APISecret, query, a.cfg.Now())
}

// Token is an access token as Shopify issued it. ExpiresAt and
// RefreshExpiresAt are zero for a non-expiring (legacy) token.
type Token struct {
	AccessToken      string
	ExpiresAt        time.Time
	RefreshToken     string
	RefreshExpiresAt time.Time
	Scope            string // comma-separated, as granted
}

// Fresh reports whether the token can be used for at least margin more.
func (t Token) Fresh(now time.Time, margin time.Duration) bool {
	return t.AccessToken != "" && (t.ExpiresAt.IsZero() || now.Add(margin).Before(t.ExpiresAt))
}

// InstallURL is where the authorization-code grant sends the merchant:
// https://{shop}/admin/oauth/authorize for an expiring offline token. state
// is a nonce the caller also stores in a signed cookie and checks on the
// callback. Shopify-managed installs never use it.
func (a *App) InstallURL(shop, redirectURI, state string) (string, error) {
	if err := checkShop(shop); err != nil {
		return "", fmt.Errorf("install url: %w", err)
	}
	q := url.Values{
		"client_id":    {a.cfg.APIKey},
		"scope":        {strings.Join(a.cfg.Scopes, ",")},
		"redirect_uri": {redirectURI},
		"state":        {state},
		"expiring":     {"1"},
	}
	return "https://" + shop + "/admin/oauth/authorize?" + q.Encode(), nil
}

// ExchangeCode trades the callback's authorization code for an expiring
// offline token. Verify the callback (VerifyOAuthQuery, state) first.
func (a *App) ExchangeCode(ctx context.Context, shop, code string) (Token, error) {
	return a.tokenRequest(ctx, shop, "exchange code", map[string]string{"code": code, "expiring": "1"})
}

// ExchangeSessionToken is the managed-install path: it trades a session
// token for an expiring offline access token. A rejected session token gives
// an error matching ErrInvalidSubjectToken.
func (a *App) ExchangeSessionToken(ctx context.Context, shop, sessionToken string) (Token, error) {
	return a.tokenRequest(ctx, shop, "token exchange", map[string]string{
		"grant_type":           grantTokenExchange,
		"subject_token":        sessionToken,
		"subject_token_type":   tokenTypeIDToken,
		"requested_token_type": tokenTypeOfflineAT,
		"expiring":             "1",
	})
}

// Refresh trades a refresh token for a new access token and a new refresh
// token (Shopify rotates it on every use, so persist both at once). Use a
// Refresher rather than calling this directly: it serialises refreshes per
// shop. A rejected refresh token gives an error matching ErrReauthorize.
func (a *App) Refresh(ctx context.Context, shop, refreshToken string) (Token, error) {
	if refreshToken == "" {
		return Token{}, fmt.Errorf("refresh token for %s: none stored: %w", shop, ErrReauthorize)
	}
	t, err := a.tokenRequest(ctx, shop, "refresh token", map[string]string{
		"grant_type":    grantRefreshToken,
		"refresh_token": refreshToken,
	})
	var oe *OAuthError
	if errors.As(err, &oe) && oe.StatusCode >= 400 && oe.StatusCode < 500 {
		return Token{}, fmt.Errorf("%w: %w", err, ErrReauthorize)
	}
	return t, err
}

// OAuthError is an error answer from Shopify's token endpoint.
type OAuthError struct {
	StatusCode  int
	Code        string // "invalid_subject_token", "invalid_grant", ...
	Description string
}

func (e *OAuthError) Error() string {
	return fmt.Sprintf("shopify token endpoint: HTTP %d: %s %s", e.StatusCode, e.Code, e.Description)
}

// Is lets errors.Is(err, ErrInvalidSubjectToken) match a token exchange refusal.
func (e *OAuthError) Is(target error) bool {
	return target == ErrInvalidSubjectToken && e.Code == errInvalidSubject
}

type tokenResponse struct {
	AccessToken           string `json:"access_token"`
	Scope                 string `json:"scope"`
	ExpiresIn             int64  `json:"expires_in"`
	RefreshToken          string `json:"refresh_token"`
	RefreshTokenExpiresIn int64  `json:"refresh_token_expires_in"`
}

func (a *App) tokenRequest(ctx context.Context, shop, what string, params map[string]string) (Token, error) {
	if err := checkShop(shop); err != nil {
		return Token{}, fmt.Errorf("%s: %w", what, err)
	}
	body := map[string]string{"client_id": a.cfg.APIKey, "client_secret": a.cfg.APISecret}
	for k, v := range params {
		body[k] = v
	}
	buf, err := json.Marshal(body)
	if err != nil {
		return Token{}, fmt.Errorf("%s: %w", what, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.cfg.BaseURL(shop)+"/admin/oauth/access_token", bytes.NewReader(buf))
	if err != nil {
		return Token{}, fmt.Errorf("%s for %s: %w", what, shop, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	issued := a.cfg.Now()
	resp, err := a.cfg.HTTPClient.Do(req)
	if err != nil {
		return Token{}, fmt.Errorf("%s for %s: %w", what, shop, &tracking.RetryableError{Err: err})
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenResponseSize))
	if err != nil {
		return Token{}, fmt.Errorf("%s for %s: read response: %w", what, shop, &tracking.RetryableError{Err: err})
	}
	if retry, ok := retryable(resp); ok {
		return Token{}, fmt.Errorf("%s for %s: %w", what, shop, retry)
	}
	if resp.StatusCode != http.StatusOK {
		return Token{}, fmt.Errorf("%s for %s: %w", what, shop, parseOAuthError(resp.StatusCode, raw))
	}
	var tr tokenResponse
	if err := json.Unmarshal(raw, &tr); err != nil {
		return Token{}, fmt.Errorf("%s for %s: decode response: %w", what, shop, err)
	}
	if tr.AccessToken == "" {
		return Token{}, fmt.Errorf("%s for %s: response has no access_token", what, shop)
	}
	t := Token{AccessToken: tr.AccessToken, RefreshToken: tr.RefreshToken, Scope: tr.Scope}
	if tr.ExpiresIn > 0 {
		t.ExpiresAt = issued.Add(time.Duration(tr.ExpiresIn) * time.Second).UTC()
	}
	if tr.RefreshTokenExpiresIn > 0 {
		t.RefreshExpiresAt = issued.Add(time.Duration(tr.RefreshTokenExpiresIn) * time.Second).UTC()
	}
	return t, nil
}

func parseOAuthError(status int, raw []byte) *OAuthError {
	e := &OAuthError{StatusCode: status}
	var body struct {
		Error       string          `json:"error"`
		Description string          `json:"error_description"`
		Errors      json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(raw, &body) == nil {
		e.Code, e.Description = body.Error, body.Description
		if e.Description == "" && len(body.Errors) > 0 {
			e.Description = string(body.Errors)
		}
		return e
	}
	e.Description = truncate(string(raw), 200)
	return e
}

// retryable classifies 429 and 5xx answers as transient, with Shopify's
// Retry-After when it sent one.
func retryable(resp *http.Response) (*tracking.RetryableError, bool) {
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 {
		return nil, false
	}
	var after time.Duration
	if s, err := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64); err == nil && s > 0 {
		after = time.Duration(s * float64(time.Second))
	}
	return &tracking.RetryableError{Err: fmt.Errorf("shopify: HTTP %d", resp.StatusCode), RetryAfter: after}, true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
