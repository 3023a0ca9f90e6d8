package app

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/throttle"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/storage"
)

const (
	// wooConnectTTL is how long a merchant has to approve the keys on their store.
	wooConnectTTL = time.Hour
	// wooConnectCookie binds a connect to the browser that started it: only
	// that browser sees the outcome on the return page. That browser may not
	// be the merchant's (anyone can start a connect and have the merchant
	// approve it), so the page shows no sign-in link and no secret: the link
	// goes to the store's own address.
	wooConnectCookie = "ot_woo_connect"
	// wooVerifyTimeout bounds the key check inside the key callback, well
	// under the 60 s WooCommerce waits for the callback's answer.
	wooVerifyTimeout = 20 * time.Second
)

// pendingLimits caps the rows anonymous visitors create by starting a
// WooCommerce connect, per client (an IPv6 /64) and in total: each lives an
// hour at most. Shopify installs store nothing (oauthstate), so this cap
// never refuses one.
var pendingLimits = storage.PendingLimits{PerClient: 20, Total: 10000}

var errTooManyPending = echo.NewHTTPError(http.StatusTooManyRequests, "too many connections started from here; finish one or try again in an hour")

// wooStart sends the merchant to their store's key-grant screen, remembering
// the nonce that the store will echo in the key callback and binding the
// flow to this browser with a cookie.
func (a *App) wooStart(c echo.Context) error {
	store, err := woocommerce.NormalizeStoreURL(c.QueryParam("store"))
	if errors.Is(err, woocommerce.ErrShopifyHost) {
		return echo.NewHTTPError(http.StatusBadRequest, "this is a Shopify store's address: install ordertrack from your Shopify admin instead")
	}
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "enter your store's https address, e.g. https://shop.example")
	}
	nonce, err := woocommerce.NewNonce()
	if err != nil {
		return err
	}
	browser, err := woocommerce.NewNonce()
	if err != nil {
		return err
	}
	u, err := woocommerce.AuthorizeURL(store, woocommerce.AuthorizeParams{
		AppName:     "ordertrack",
		UserID:      nonce,
		ReturnURL:   a.cfg.AppURL + "/auth/woocommerce/return",
		CallbackURL: a.cfg.AppURL + "/auth/woocommerce/callback",
	})
	if err != nil {
		// WooCommerce posts the keys only to an https callback; the demo's
		// default http APP_URL cannot receive them.
		a.log.Warn("woocommerce connect unavailable", "app_url", a.cfg.AppURL, "err", err)
		return a.renderWooPage(c, http.StatusServiceUnavailable, map[string]any{"Title": "WooCommerce connect is not available here",
			"Message": "WooCommerce sends the store's keys only to an https address, and this ordertrack runs at " + a.cfg.AppURL +
				". Set APP_URL to its public https address to connect WooCommerce stores."})
	}
	conn := &storage.WooConnection{
		UserID: nonce, StoreURL: store, BrowserHash: storage.HashToken(browser), Client: throttle.ClientKey(c.RealIP()), ExpiresAt: a.now().Add(wooConnectTTL),
	}
	err = a.db.StartWooConnection(c.Request().Context(), conn, pendingLimits)
	if errors.Is(err, storage.ErrTooMany) {
		return errTooManyPending
	}
	if err != nil {
		return err
	}
	c.SetCookie(a.wooConnectCookie(browser, int(wooConnectTTL.Seconds())))
	return c.Redirect(http.StatusFound, u)
}

// wooConnectCookie is Lax: the return page is a top-level GET redirect from
// the store, which carries Lax cookies.
func (a *App) wooConnectCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: wooConnectCookie, Value: value, Path: "/auth/woocommerce", MaxAge: maxAge, HttpOnly: true,
		Secure: strings.HasPrefix(a.cfg.AppURL, "https://"), SameSite: http.SameSiteLaxMode,
	}
}

// wooCallback receives the REST keys from the store. Anyone can post it and
// the nonce was in a public redirect, so the keys must prove themselves: an
// authenticated REST call to the pending connection's store (never a URL
// from the request) before anything is stored. WooCommerce deletes the keys
// unless the answer is exactly 200, so every failure is a clear non-200 and
// success is a bare 200; webhooks are created by a job afterwards.
func (a *App) wooCallback(c echo.Context) error {
	ctx := c.Request().Context()
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, 64<<10))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable body")
	}
	keys, err := woocommerce.ParseCallback(body)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	conn, err := a.db.WooConnection(ctx, keys.UserID)
	if errors.Is(err, storage.ErrNotFound) {
		return echo.NewHTTPError(http.StatusForbidden, woocommerce.ErrUserIDMismatch.Error())
	}
	if err != nil {
		return err
	}
	if conn.CompletedAt != nil {
		return echo.NewHTTPError(http.StatusConflict, "this connection is already complete; start a new one")
	}
	pending := woocommerce.Pending{UserID: conn.UserID, StoreURL: conn.StoreURL, ExpiresAt: conn.ExpiresAt}
	if err := pending.Check(keys, a.now()); err != nil {
		return echo.NewHTTPError(http.StatusForbidden, err.Error())
	}
	// One key check per connection, whatever its outcome: the nonce is
	// public, and each check is an authenticated request to the store.
	checked, err := a.db.ClaimWooCheck(ctx, conn.ID)
	if err != nil {
		return err
	}
	if !checked {
		return echo.NewHTTPError(http.StatusConflict, "this connection's keys were already checked; start a new one")
	}
	id, err := a.verifyWooKeys(ctx, conn.StoreURL, keys)
	if errors.Is(err, woocommerce.ErrUnauthorized) {
		return echo.NewHTTPError(http.StatusForbidden, "the store did not accept these keys")
	}
	if err != nil {
		a.log.Warn("woocommerce keys not verified", "store", conn.StoreURL, "err", err)
		return echo.NewHTTPError(http.StatusBadGateway, "could not verify the keys with the store; start again")
	}
	shop, err := a.connectWooShop(ctx, conn, keys, id)
	if errors.Is(err, storage.ErrConnectionUsed) {
		return echo.NewHTTPError(http.StatusConflict, "this connection expired or is already complete; start a new one")
	}
	if err != nil {
		return err
	}
	// The keys are stored: answer 200 even if an enqueue fails, because the
	// periodic webhook check creates the webhooks too, and the merchant can
	// ask for a sign-in link at /admin/login.
	if _, err := a.jobs.Insert(ctx, jobs.WooWebhooksArgs{ShopID: shop.ID}, nil); err != nil {
		a.log.Warn("enqueue woocommerce webhook setup", "shop", shop.ID, "err", err)
	}
	// The sign-in link goes to the address the verified keys read from the
	// store, never to the browser that started the connect.
	if _, err := a.jobs.Insert(ctx, jobs.LoginEmailArgs{Domain: shop.Domain}, nil); err != nil {
		a.log.Warn("enqueue sign-in email after connect", "shop", shop.ID, "err", err)
	}
	return c.NoContent(http.StatusOK)
}

// verifyWooKeys asks storeURL, with the keys, for its sender address.
func (a *App) verifyWooKeys(ctx context.Context, storeURL string, keys woocommerce.Keys) (woocommerce.Identity, error) {
	cl, err := woocommerce.NewClient(storeURL, keys.ConsumerKey, keys.ConsumerSecret, a.outbound)
	if err != nil {
		return woocommerce.Identity{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, wooVerifyTimeout)
	defer cancel()
	return cl.VerifyKeys(ctx)
}

// wooShopDomain is the shop's unique name on WooCommerce: the store's host
// and WordPress sub-directory, so two stores on one host stay apart.
func wooShopDomain(storeURL string) (domain, host string, err error) {
	u, err := url.Parse(storeURL)
	if err != nil {
		return "", "", fmt.Errorf("store url %q: %w", storeURL, err)
	}
	return u.Host + u.Path, u.Host, nil
}

// connectWooShop stores the WooCommerce shop of the connection's store with
// its verified keys and admin address. A reconnect keeps the webhook secret,
// because webhooks already on the store keep signing with it, but rotates
// the plugin secret and ends the admin sessions (storage.ensureWooStore).
func (a *App) connectWooShop(ctx context.Context, conn *storage.WooConnection, keys woocommerce.Keys, id woocommerce.Identity) (*storage.Shop, error) {
	domain, host, err := wooShopDomain(conn.StoreURL)
	if err != nil {
		return nil, err
	}
	hookSecret, err := woocommerce.NewSecret()
	if err != nil {
		return nil, err
	}
	return a.db.CompleteWooConnect(ctx, storage.WooConnect{
		ConnectionID: conn.ID, Domain: domain, Name: host, Email: id.AdminEmail, StoreURL: conn.StoreURL,
		ConsumerKey: keys.ConsumerKey, ConsumerSecret: keys.ConsumerSecret, WebhookSecret: hookSecret,
	})
}

var wooReturnPage = template.Must(template.New("woo_return").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>ordertrack · WooCommerce</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
{{if .OK}}
<h1>{{.Store}} is connected</h1>
<p>ordertrack now receives your orders and tracking numbers.</p>
{{if .Email}}<p>A sign-in link is on its way to the store's email address, <strong>{{.Email}}</strong> (WooCommerce → Settings → Emails → “From” address). It works once, for 30 minutes.</p>
{{else}}<p>The store has no “From” address under WooCommerce → Settings → Emails, so no sign-in link could be emailed. Set one, then ask for a link.</p>{{end}}
<p>No email? <a href="{{.AppURL}}/admin/login">Ask for a new sign-in link</a>. After signing in, Settings shows the shop key and secret to enter in the companion plugin under WooCommerce → ordertrack.</p>
{{else}}
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
{{end}}
</body></html>`))

// renderWooPage shows the connect's result page (or a failure's Title and
// Message).
func (a *App) renderWooPage(c echo.Context, status int, data map[string]any) error {
	data["AppURL"] = a.cfg.AppURL
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().WriteHeader(status)
	return wooReturnPage.Execute(c.Response(), data)
}

// wooReturn is where WooCommerce sends the merchant after the grant screen.
// A completed connection says, once and only to the browser that started
// it, that the store is connected and where the sign-in link was emailed.
func (a *App) wooReturn(c echo.Context) error {
	ctx := c.Request().Context()
	data := map[string]any{"OK": false, "Title": "Not connected"}
	render := func(status int) error { return a.renderWooPage(c, status, data) }
	if c.QueryParam("success") != "1" {
		data["Message"] = "The store did not grant access. Start again from ordertrack and approve the request."
		return render(http.StatusOK)
	}
	conn, err := a.db.WooConnection(ctx, c.QueryParam("user_id"))
	if errors.Is(err, storage.ErrNotFound) || (err == nil && conn.ShopID == nil) {
		data["Message"] = "This connection did not complete. Start again from ordertrack."
		return render(http.StatusNotFound)
	}
	if err != nil {
		return err
	}
	claimed := false
	if ck, err := c.Cookie(wooConnectCookie); err == nil {
		if claimed, err = a.db.ClaimWooReturn(ctx, conn.ID, storage.HashToken(ck.Value)); err != nil {
			return err
		}
	}
	if !claimed {
		data["Title"] = "Nothing to show here"
		data["Message"] = "This page shows a connection's result once, in the browser that started it, within an hour. " +
			"Sign in from WooCommerce → ordertrack in your WordPress admin, or ask for a sign-in link by email at " + a.cfg.AppURL + "/admin/login."
		return render(http.StatusForbidden)
	}
	c.SetCookie(a.wooConnectCookie("", -1))
	shop, err := a.db.ShopByID(ctx, *conn.ShopID)
	if err != nil {
		return err
	}
	data["OK"], data["Store"], data["Email"] = true, conn.StoreURL, maskEmail(shop.Email)
	return render(http.StatusOK)
}

// maskEmail shows enough of an address for its owner to recognise it:
// "owner@shop.example" is "o•••@shop.example".
func maskEmail(addr string) string {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" {
		return ""
	}
	r := []rune(local)
	return string(r[0]) + "•••@" + domain
}
