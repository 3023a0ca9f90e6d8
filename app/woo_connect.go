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
	// that browser sees the sign-in link and plugin secret on the return page.
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
		return fmt.Errorf("woocommerce connect needs an https APP_URL: %w", err)
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
	// The keys are stored: answer 200 even if the enqueue fails, because the
	// periodic webhook check creates the webhooks too.
	if _, err := a.jobs.Insert(ctx, jobs.WooWebhooksArgs{ShopID: shop.ID}, nil); err != nil {
		a.log.Warn("enqueue woocommerce webhook setup", "shop", shop.ID, "err", err)
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
// because webhooks already on the store keep signing with it.
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
{{if .LoginURL}}<p><a href="{{.LoginURL}}">Open your ordertrack admin</a> (this link works once and expires soon; keep it private).</p>{{end}}
<h2>Companion plugin</h2>
<p>Under WooCommerce → ordertrack, enter:</p>
<dl><dt>ordertrack URL</dt><dd><code>{{.AppURL}}</code></dd>
<dt>Shop key</dt><dd><code>{{.ShopKey}}</code></dd>
<dt>Shop secret</dt><dd><code>{{.ShopSecret}}</code></dd></dl>
<p>Later, open the admin with the plugin's “Open ordertrack admin” button, or ask for a sign-in link at <a href="{{.AppURL}}/admin/login">{{.AppURL}}/admin/login</a>.</p>
{{else}}
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
{{end}}
</body></html>`))

// wooReturn is where WooCommerce sends the merchant after the grant screen.
// A completed connection shows, once and only to the browser that started
// it, a single-use sign-in link and the plugin settings.
func (a *App) wooReturn(c echo.Context) error {
	ctx := c.Request().Context()
	data := map[string]any{"OK": false, "AppURL": a.cfg.AppURL, "Title": "Not connected"}
	render := func(status int) error {
		c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
		c.Response().Header().Set("Cache-Control", "no-store")
		c.Response().WriteHeader(status)
		return wooReturnPage.Execute(c.Response(), data)
	}
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
		data["Message"] = "This page shows the sign-in link and plugin settings once, in the browser that started the connection, within an hour. " +
			"Sign in from WooCommerce → ordertrack in your WordPress admin, or ask for a sign-in link by email at " + a.cfg.AppURL + "/admin/login."
		return render(http.StatusForbidden)
	}
	c.SetCookie(a.wooConnectCookie("", -1))
	ws, err := a.db.WooStore(ctx, *conn.ShopID)
	if err != nil {
		return err
	}
	secret, err := a.db.StorefrontSecret(ws)
	if err != nil {
		return err
	}
	login, err := a.loginURL(ctx, *conn.ShopID)
	if err != nil && !errors.Is(err, storage.ErrTooMany) {
		return err
	}
	data["OK"], data["Store"], data["LoginURL"] = true, conn.StoreURL, login
	data["ShopKey"], data["ShopSecret"] = ws.ShopKey, secret
	return render(http.StatusOK)
}
