package install

import (
	"context"
	"errors"
	"fmt"
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
	// WooConnectCookie binds a connect to the browser that started it: only
	// that browser sees the outcome on the return page. That browser may not
	// be the merchant's (anyone can start a connect and have the merchant
	// approve it), so the page shows no sign-in link and no secret: the link
	// goes to the store's own address.
	WooConnectCookie = "ot_woo_connect"
	// wooVerifyTimeout bounds the key check inside the key callback, well
	// under the 60 s WooCommerce waits for the callback's answer.
	wooVerifyTimeout = 20 * time.Second
)

// PendingLimits caps the rows anonymous visitors create by starting a
// WooCommerce connect, per client (an IPv6 /64) and in total: each lives an
// hour at most. Shopify installs store nothing (oauthstate), so this cap
// never refuses one.
var PendingLimits = storage.PendingLimits{PerClient: 20, Total: 10000}

var errTooManyPending = echo.NewHTTPError(http.StatusTooManyRequests, "too many connections started from here; finish one or try again in an hour")

// WooStart sends the merchant to their store's key-grant screen, remembering
// the nonce that the store will echo in the key callback and binding the
// flow to this browser with a cookie.
func (in *Installer) WooStart(c echo.Context) error {
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
		ReturnURL:   in.appURL() + "/auth/woocommerce/return",
		CallbackURL: in.appURL() + "/auth/woocommerce/callback",
	})
	if err != nil {
		// WooCommerce posts the keys only to an https callback; the demo's
		// default http APP_URL cannot receive them.
		in.log.Warn("woocommerce connect unavailable", "app_url", in.appURL(), "err", err)
		return in.renderWooPage(c, http.StatusServiceUnavailable, map[string]any{"Title": "WooCommerce connect is not available here",
			"Message": "WooCommerce sends the store's keys only to an https address, and this ordertrack runs at " + in.appURL() +
				". Set APP_URL to its public https address to connect WooCommerce stores."})
	}
	conn := &storage.WooConnection{
		UserID: nonce, StoreURL: store, BrowserHash: storage.HashToken(browser), Client: throttle.ClientKey(c.RealIP()), ExpiresAt: in.now().Add(wooConnectTTL),
	}
	err = in.db.StartWooConnection(c.Request().Context(), conn, PendingLimits)
	if errors.Is(err, storage.ErrTooMany) {
		return errTooManyPending
	}
	if err != nil {
		return err
	}
	c.SetCookie(in.wooConnectCookie(browser, int(wooConnectTTL.Seconds())))
	return c.Redirect(http.StatusFound, u)
}

// wooConnectCookie is Lax: the return page is a top-level GET redirect from
// the store, which carries Lax cookies.
func (in *Installer) wooConnectCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: WooConnectCookie, Value: value, Path: "/auth/woocommerce", MaxAge: maxAge, HttpOnly: true,
		Secure: in.secureCookies(), SameSite: http.SameSiteLaxMode,
	}
}

// WooCallback receives the REST keys from the store. Anyone can post it and
// the nonce was in a public redirect, so the keys must prove themselves: an
// authenticated REST call to the pending connection's store (never a URL
// from the request) before anything is stored. WooCommerce deletes the keys
// unless the answer is exactly 200, so every failure is a clear non-200 and
// success is a bare 200; webhooks are created by a job afterwards.
func (in *Installer) WooCallback(c echo.Context) error {
	ctx := c.Request().Context()
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, 64<<10))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable body")
	}
	keys, err := woocommerce.ParseCallback(body)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	conn, err := in.db.WooConnection(ctx, keys.UserID)
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
	if err := pending.Check(keys, in.now()); err != nil {
		return echo.NewHTTPError(http.StatusForbidden, err.Error())
	}
	// One key check per connection, whatever its outcome: the nonce is
	// public, and each check is an authenticated request to the store.
	checked, err := in.db.ClaimWooCheck(ctx, conn.ID)
	if err != nil {
		return err
	}
	if !checked {
		return echo.NewHTTPError(http.StatusConflict, "this connection's keys were already checked; start a new one")
	}
	id, err := in.verifyWooKeys(ctx, conn.StoreURL, keys)
	if errors.Is(err, woocommerce.ErrUnauthorized) {
		return echo.NewHTTPError(http.StatusForbidden, "the store did not accept these keys")
	}
	if err != nil {
		in.log.Warn("woocommerce keys not verified", "store", conn.StoreURL, "err", err)
		return echo.NewHTTPError(http.StatusBadGateway, "could not verify the keys with the store; start again")
	}
	shop, err := in.connectWooShop(ctx, conn, keys, id)
	if errors.Is(err, storage.ErrConnectionUsed) {
		return echo.NewHTTPError(http.StatusConflict, "this connection expired or is already complete; start a new one")
	}
	if err != nil {
		return err
	}
	// The keys are stored: answer 200 even if an enqueue fails, because the
	// periodic webhook check creates the webhooks too, and the merchant can
	// ask for a sign-in link at /admin/login.
	if _, err := in.jobs.Insert(ctx, jobs.WooWebhooksArgs{ShopID: shop.ID}, nil); err != nil {
		in.log.Warn("enqueue woocommerce webhook setup", "shop", shop.ID, "err", err)
	}
	if _, err := in.jobs.Insert(ctx, jobs.ShopIdentityArgs{ShopID: shop.ID}, nil); err != nil {
		in.log.Warn("enqueue store identity after connect", "shop", shop.ID, "err", err)
	}
	// The sign-in link goes to the address the verified keys read from the
	// store, never to the browser that started the connect.
	if _, err := in.jobs.Insert(ctx, jobs.LoginEmailArgs{Domain: shop.Domain}, nil); err != nil {
		in.log.Warn("enqueue sign-in email after connect", "shop", shop.ID, "err", err)
	}
	return c.NoContent(http.StatusOK)
}

// verifyWooKeys asks storeURL, with the keys, for its sender address.
func (in *Installer) verifyWooKeys(ctx context.Context, storeURL string, keys woocommerce.Keys) (woocommerce.Identity, error) {
	cl, err := woocommerce.NewClient(storeURL, keys.ConsumerKey, keys.ConsumerSecret, in.outbound)
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
func (in *Installer) connectWooShop(ctx context.Context, conn *storage.WooConnection, keys woocommerce.Keys, id woocommerce.Identity) (*storage.Shop, error) {
	domain, host, err := wooShopDomain(conn.StoreURL)
	if err != nil {
		return nil, err
	}
	hookSecret, err := woocommerce.NewSecret()
	if err != nil {
		return nil, err
	}
	return in.db.CompleteWooConnect(ctx, storage.WooConnect{
		ConnectionID: conn.ID, Domain: domain, Name: host, Email: id.AdminEmail, StoreURL: conn.StoreURL,
		ConsumerKey: keys.ConsumerKey, ConsumerSecret: keys.ConsumerSecret, WebhookSecret: hookSecret,
	})
}

// renderWooPage shows the connect's result page (or a failure's Title and
// Message).
func (in *Installer) renderWooPage(c echo.Context, status int, data map[string]any) error {
	data["AppURL"] = in.appURL()
	return in.render(c, status, pageWooReturn, data)
}

// WooReturn is where WooCommerce sends the merchant after the grant screen.
// A completed connection says, once and only to the browser that started
// it, that the store is connected and where the sign-in link was emailed.
func (in *Installer) WooReturn(c echo.Context) error {
	ctx := c.Request().Context()
	data := map[string]any{"OK": false, "Title": "Not connected"}
	render := func(status int) error { return in.renderWooPage(c, status, data) }
	if c.QueryParam("success") != "1" {
		data["Message"] = "The store did not grant access. Start again from ordertrack and approve the request."
		return render(http.StatusOK)
	}
	conn, err := in.db.WooConnection(ctx, c.QueryParam("user_id"))
	if errors.Is(err, storage.ErrNotFound) || (err == nil && conn.ShopID == nil) {
		data["Message"] = "This connection did not complete. Start again from ordertrack."
		return render(http.StatusNotFound)
	}
	if err != nil {
		return err
	}
	claimed := false
	if ck, err := c.Cookie(WooConnectCookie); err == nil {
		if claimed, err = in.db.ClaimWooReturn(ctx, conn.ID, storage.HashToken(ck.Value)); err != nil {
			return err
		}
	}
	if !claimed {
		data["Title"] = "Nothing to show here"
		data["Message"] = "This page shows a connection's result once, in the browser that started it, within an hour. " +
			"Sign in from WooCommerce → ordertrack in your WordPress admin, or ask for a sign-in link by email at " + in.appURL() + "/admin/login."
		return render(http.StatusForbidden)
	}
	c.SetCookie(in.wooConnectCookie("", -1))
	shop, err := in.db.ShopByID(ctx, *conn.ShopID)
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
