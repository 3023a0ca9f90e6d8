package app

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/storage"
)

// wooConnectTTL is how long a merchant has to approve the keys on their store.
const wooConnectTTL = time.Hour

// wooStart sends the merchant to their store's key-grant screen, remembering
// the nonce that the store will echo in the key callback.
func (a *App) wooStart(c echo.Context) error {
	store, err := woocommerce.NormalizeStoreURL(c.QueryParam("store"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "enter your store's https address, e.g. https://shop.example")
	}
	nonce, err := woocommerce.NewNonce()
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
	if err := a.db.StartWooConnection(c.Request().Context(), nonce, store, a.now().Add(wooConnectTTL)); err != nil {
		return err
	}
	return c.Redirect(http.StatusFound, u)
}

// wooCallback receives the REST keys from the store. WooCommerce deletes the
// keys unless the answer is exactly 200, so every failure is a clear non-200
// and success is a bare 200; webhooks are created by a job afterwards.
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
	shop, err := a.connectWooShop(ctx, conn, keys)
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

// wooShopDomain is the shop's unique name: the store's host and WordPress
// sub-directory, so two stores on one host stay apart.
func wooShopDomain(storeURL string) (domain, host string, err error) {
	u, err := url.Parse(storeURL)
	if err != nil {
		return "", "", fmt.Errorf("store url %q: %w", storeURL, err)
	}
	return u.Host + u.Path, u.Host, nil
}

// connectWooShop stores the shop and its sealed keys. A reconnect keeps the
// webhook secret, because webhooks already on the store keep signing with it.
func (a *App) connectWooShop(ctx context.Context, conn *storage.WooConnection, keys woocommerce.Keys) (*storage.Shop, error) {
	domain, host, err := wooShopDomain(conn.StoreURL)
	if err != nil {
		return nil, err
	}
	shop := &storage.Shop{Platform: storage.WooCommerce, Domain: domain, Name: host, Status: "active"}
	if err := a.db.UpsertShop(ctx, shop); err != nil {
		return nil, err
	}
	old, err := a.db.Secrets(shop)
	if err != nil {
		return nil, err
	}
	hookSecret := old.WebhookSecret
	if hookSecret == "" {
		if hookSecret, err = woocommerce.NewSecret(); err != nil {
			return nil, err
		}
	}
	if err := a.db.SetSecrets(ctx, shop.ID, storage.Secrets{APIKey: keys.ConsumerKey, APISecret: keys.ConsumerSecret, WebhookSecret: hookSecret}); err != nil {
		return nil, err
	}
	if _, err := a.db.EnsureWooStore(ctx, shop.ID, conn.StoreURL); err != nil {
		return nil, err
	}
	if err := a.db.CompleteWooConnection(ctx, conn.ID, shop.ID); err != nil {
		return nil, err
	}
	return shop, nil
}

var wooReturnPage = template.Must(template.New("woo_return").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>ordertrack · WooCommerce</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
{{if .OK}}
<h1>{{.Store}} is connected</h1>
<p>ordertrack now receives your orders and tracking numbers.</p>
<p><a href="{{.LoginURL}}">Open your ordertrack admin</a> (this link works once and expires soon; keep it private).</p>
<h2>Companion plugin</h2>
<p>Under WooCommerce → ordertrack, enter:</p>
<dl><dt>ordertrack URL</dt><dd><code>{{.AppURL}}</code></dd>
<dt>Shop key</dt><dd><code>{{.ShopKey}}</code></dd>
<dt>Shop secret</dt><dd><code>{{.ShopSecret}}</code></dd></dl>
{{else}}
<h1>Not connected</h1>
<p>{{.Message}}</p>
{{end}}
</body></html>`))

// wooReturn is where WooCommerce sends the merchant after the grant screen.
// A completed connection shows, once, a sign-in link and the plugin settings.
func (a *App) wooReturn(c echo.Context) error {
	ctx := c.Request().Context()
	data := map[string]any{"OK": false, "AppURL": a.cfg.AppURL}
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
	claimed, err := a.db.ClaimWooReturn(ctx, conn.ID)
	if err != nil {
		return err
	}
	if !claimed || !a.now().Before(conn.ExpiresAt) {
		data["Message"] = "This page was already used or has expired. Ask for a new sign-in link from ordertrack."
		return render(http.StatusGone)
	}
	ws, err := a.db.WooStore(ctx, *conn.ShopID)
	if err != nil {
		return err
	}
	secret, err := a.db.StorefrontSecret(ws)
	if err != nil {
		return err
	}
	data["OK"], data["Store"], data["LoginURL"] = true, conn.StoreURL, a.adminLoginURL(*conn.ShopID)
	data["ShopKey"], data["ShopSecret"] = ws.ShopKey, secret
	return render(http.StatusOK)
}
