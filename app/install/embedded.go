package install

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// The embedded admin runs inside Shopify admin's iframe. It has no cookie
// (third-party cookies are blocked there); App Bridge proves the shop and
// staff member with a one-minute session token instead: on fetch calls as
// "Authorization: Bearer", on document loads as the id_token parameter.

// RetryInvalidSession is the header that makes App Bridge fetch a fresh
// session token and retry the request.
const RetryInvalidSession = "X-Shopify-Retry-Invalid-Session-Request"

// embeddedAuth authenticates admin requests that come from Shopify admin and
// reports handled=false for any other request, which then needs the
// standalone signed-cookie login.
func (in *Installer) embeddedAuth(c echo.Context, next echo.HandlerFunc) (handled bool, err error) {
	sh := in.shopify
	if sh == nil {
		return false, nil
	}
	r := c.Request()
	if token, ok := shopify.BearerToken(r.Header.Get(echo.HeaderAuthorization)); ok {
		sess, err := sh.App.VerifySessionToken(token)
		if err != nil {
			return true, invalidSession(c)
		}
		return true, in.embeddedSession(c, next, sh, sess, token)
	}
	if r.Method == http.MethodPost {
		// Forms in the embedded admin post a fresh session token in place of
		// the cookie and its CSRF token (the iframe has no cookie): a page
		// elsewhere cannot get one, so it is the CSRF defence too.
		token := r.PostFormValue("id_token")
		if token == "" {
			return false, nil
		}
		sess, err := sh.App.VerifySessionToken(token)
		if err != nil {
			return true, invalidSession(c)
		}
		return true, in.embeddedSession(c, next, sh, sess, token)
	}
	q := r.URL.Query()
	if r.Method != http.MethodGet || q.Get("shop") == "" || (q.Get("embedded") != "1" && q.Get("id_token") == "") {
		return false, nil
	}
	shop, err := shopify.NormalizeShop(q.Get("shop"))
	if err != nil {
		return true, echo.NewHTTPError(http.StatusBadRequest, "shop must be your-store.myshopify.com")
	}
	if id := q.Get("id_token"); id != "" {
		if sess, err := sh.App.VerifySessionToken(id); err == nil && sess.Shop == shop {
			return true, in.embeddedSession(c, next, sh, sess, id)
		}
	}
	// No usable token on a document load: let App Bridge fetch one and
	// reload this page with it.
	reload := *r.URL
	rq := reload.Query()
	rq.Del("id_token")
	reload.RawQuery = rq.Encode()
	bounce := url.Values{"shop": {shop}, "host": {q.Get("host")}, "shopify-reload": {reload.RequestURI()}}
	return true, c.Redirect(http.StatusFound, "/auth/shopify/bounce?"+bounce.Encode())
}

// embeddedSession resolves the session's shop, installing it by token
// exchange when we hold no usable token for it (Shopify-managed install).
func (in *Installer) embeddedSession(c echo.Context, next echo.HandlerFunc, sh *platform.Shopify, sess shopify.Session, sessionToken string) error {
	ctx := c.Request().Context()
	shop, err := in.db.ShopByDomain(ctx, storage.Shopify, sess.Shop)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	if shop == nil || !in.hasUsableToken(ctx, sess.Shop) {
		tok, err := sh.App.ExchangeSessionToken(ctx, sess.Shop, sessionToken)
		if errors.Is(err, shopify.ErrInvalidSubjectToken) {
			return invalidSession(c)
		}
		if err != nil {
			return err
		}
		if shop, err = in.installShopify(ctx, sess.Shop, tok); err != nil {
			return err
		}
	}
	c.Set(keyShop, shop)
	c.Set(keyCSRF, "") // a bearer token is never sent by the browser on its own
	e := &EmbeddedPage{APIKey: sh.App.APIKey(), Shop: sess.Shop, Host: c.Request().URL.Query().Get("host")}
	if e.Host == "" {
		e.Host = c.Request().PostFormValue("host")
	}
	c.Set(keyEmbedded, e)
	setFrameAncestors(c, sess.Shop)
	res := c.Response()
	// Admin URLs carry session tokens: never send them to another origin.
	res.Header().Set("Referrer-Policy", "same-origin")
	res.Before(func() { e.keepInRedirect(res.Header(), sessionToken) })
	return next(c)
}

// EmbeddedPage is what the admin layout needs to run inside Shopify admin:
// App Bridge's API key, and the shop and host every navigation carries.
type EmbeddedPage struct {
	APIKey, Shop, Host string
}

// keepInRedirect keeps a redirect to another admin page (after a form post)
// inside the embedded session: the iframe has no cookie, so the next page
// load needs the shop and a session token. The request's own token is
// reused; it lives a minute and the browser follows at once, and when it
// has expired the shop parameter sends the load through the bounce page.
func (e *EmbeddedPage) keepInRedirect(h http.Header, sessionToken string) {
	loc, err := url.Parse(h.Get(echo.HeaderLocation))
	if err != nil || loc.Host != "" || !strings.HasPrefix(loc.Path, "/admin") {
		return
	}
	q := loc.Query()
	q.Set("embedded", "1")
	q.Set("shop", e.Shop)
	if e.Host != "" {
		q.Set("host", e.Host)
	}
	q.Set("id_token", sessionToken)
	loc.RawQuery = q.Encode()
	h.Set(echo.HeaderLocation, loc.String())
}

// hasUsableToken reports whether the shop's stored token works now or can
// still be refreshed.
func (in *Installer) hasUsableToken(ctx context.Context, domain string) bool {
	t, err := in.db.OAuthToken(ctx, domain)
	if err != nil {
		return false
	}
	now := in.now()
	if t.ExpiresAt == nil || now.Before(*t.ExpiresAt) {
		return true
	}
	return t.RefreshToken != "" && (t.RefreshExpiresAt == nil || now.Before(*t.RefreshExpiresAt))
}

// invalidSession makes App Bridge fetch a fresh session token and retry.
func invalidSession(c echo.Context) error {
	c.Response().Header().Set(RetryInvalidSession, "1")
	return echo.NewHTTPError(http.StatusUnauthorized, "invalid or expired session token").SetInternal(shopify.ErrSessionToken)
}

// setFrameAncestors lets only the shop's admin frame the page.
func setFrameAncestors(c echo.Context, shop string) {
	h := c.Response().Header()
	h.Del("X-Frame-Options")
	h.Set("Content-Security-Policy", "frame-ancestors https://"+shop+" https://admin.shopify.com;")
}

// ShopifyBounce is the page App Bridge loads to fetch a session token; it
// then reloads shopify-reload with the token as id_token.
func (in *Installer) ShopifyBounce(c echo.Context) error {
	sh := in.shopify
	if sh == nil {
		return errShopifyOff
	}
	shop, err := shopify.NormalizeShop(c.QueryParam("shop"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "shop must be your-store.myshopify.com")
	}
	if reload := c.QueryParam("shopify-reload"); !strings.HasPrefix(reload, "/admin") {
		return echo.NewHTTPError(http.StatusBadRequest, "shopify-reload must be an admin path")
	}
	setFrameAncestors(c, shop)
	return in.render(c, http.StatusOK, pageBounce, sh.App.APIKey())
}
