package app

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/throttle"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/storage"
)

// triggerLoginEmail marks the message log entries of emailed sign-in links.
const triggerLoginEmail = "admin_login"

// loginSent is the one answer to a sign-in link request, whether or not a
// shop of that address exists.
const loginSent = "If a WooCommerce store with that address is connected to ordertrack, a sign-in link is on its way to the store's email address (WooCommerce → Settings → Emails → “From” address). It works once, for 30 minutes."

var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>Sign in · ordertrack</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1>Sign in to ordertrack</h1>
{{if .Message}}<p role="status">{{.Message}}</p>{{end}}
<p>Shopify merchants: open ordertrack from your Shopify admin.</p>
<p>WooCommerce merchants: use “Open ordertrack admin” under WooCommerce → ordertrack in WordPress, or get a link by email:</p>
<form method="post" action="/admin/login">
<label for="store">Your store's address</label><br>
<input id="store" name="store" type="text" inputmode="url" autocomplete="url" placeholder="https://shop.example" required value="{{.Store}}" style="width:100%;padding:.4rem">
<p><button type="submit">Email me a sign-in link</button></p>
</form>
</body></html>`))

var loginConfirmPage = template.Must(template.New("login_confirm").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>Sign in · ordertrack</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1>Sign in to ordertrack</h1>
<p>Your sign-in link works once. Press the button to use it now.</p>
<form method="post" action="/admin/login">
<input type="hidden" name="t" value="{{.}}">
<p><button type="submit">Sign in</button></p>
</form>
</body></html>`))

// renderLoginConfirm answers a GET of an emailed single-use link with a
// button that posts the token back; the GET itself uses nothing up.
func (a *App) renderLoginConfirm(c echo.Context, token string) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("X-Frame-Options", "DENY")
	c.Response().WriteHeader(http.StatusOK)
	return loginConfirmPage.Execute(c.Response(), token)
}

// renderLoginForm shows the form with a message; store refills the field
// after an input error (never after a request, whose answer is the same
// for every store).
func (a *App) renderLoginForm(c echo.Context, status int, message, store string) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("X-Frame-Options", "DENY")
	c.Response().WriteHeader(status)
	return loginPage.Execute(c.Response(), map[string]any{"Message": message, "Store": store})
}

// loginBudget allows a client 5 sign-in link requests, then one every 12 s.
var loginBudget = throttle.Budget{Burst: 5, Every: 12 * time.Second}

// adminLoginRequest signs in with a posted single-use token (the button of
// renderLoginConfirm), or queues an emailed sign-in link for the
// WooCommerce shop at the typed address. The answer to a link request is
// the same whether or not that shop exists; requests are throttled per
// client.
func (a *App) adminLoginRequest(c echo.Context) error {
	if t := c.FormValue("t"); t != "" {
		return a.useLoginToken(c, t)
	}
	if _, ok := a.logins.Take(a.now(), throttle.Key{Name: "ip:" + throttle.ClientKey(c.RealIP()), Budget: loginBudget}); !ok {
		return a.renderLoginForm(c, http.StatusTooManyRequests, "Too many requests from here; try again in a minute.", "")
	}
	store, err := woocommerce.NormalizeStoreURL(c.FormValue("store"))
	if errors.Is(err, woocommerce.ErrShopifyHost) {
		return a.renderLoginForm(c, http.StatusUnprocessableEntity, "That is a Shopify store's address: open ordertrack from your Shopify admin.", c.FormValue("store"))
	}
	if err != nil {
		return a.renderLoginForm(c, http.StatusUnprocessableEntity, "Enter your store's address, e.g. https://shop.example.", c.FormValue("store"))
	}
	domain, _, err := wooShopDomain(store)
	if err != nil {
		return err
	}
	if _, err := a.jobs.Insert(c.Request().Context(), jobs.LoginEmailArgs{Domain: domain}, nil); err != nil {
		return err
	}
	return a.renderLoginForm(c, http.StatusOK, loginSent, "")
}

// loginEmailJob emails a single-use sign-in link to the shop's stored
// address. The link itself is not kept in the message log, which only says
// that one was sent.
func (a *App) loginEmailJob(ctx context.Context, job *river.Job[jobs.LoginEmailArgs]) error {
	shop, err := a.db.ShopByDomain(ctx, storage.WooCommerce, job.Args.Domain)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if shop.Status != "active" || shop.Email == "" {
		return nil
	}
	link, err := a.loginURL(ctx, shop.ID)
	if errors.Is(err, storage.ErrTooMany) {
		a.log.Warn("sign-in link not sent: the shop has unused links", "shop", shop.ID)
		return nil
	}
	if err != nil {
		return err
	}
	subject := "Your ordertrack sign-in link for " + shop.Name
	n := &storage.Notification{
		ShopID: shop.ID, Trigger: triggerLoginEmail, Channel: string(notify.ChannelEmail), Recipient: shop.Email,
		DedupeKey: fmt.Sprintf("%s:%d:%d", triggerLoginEmail, job.ID, job.Attempt), Status: storage.NotificationScheduled,
		Subject: subject, Body: "A single-use sign-in link was sent (links are not kept in this log).",
	}
	if _, err := a.db.CreateNotification(ctx, n); err != nil {
		return err
	}
	text := "Someone asked to sign in to ordertrack for " + shop.Name + ", or connected the store to ordertrack.\n\n" +
		"Open this link to sign in (it works once, for 30 minutes):\n" + link + "\n\n" +
		"If it was not you, ignore this email: nobody signs in without this link.\n"
	return jobOutcome(a.deliver(ctx, n, notify.Message{Channel: notify.ChannelEmail, Subject: subject, Text: text}))
}

// pluginLogin signs in from the companion plugin's "Open ordertrack admin"
// button: a link signed with the shop's storefront secret, accepted within
// woocommerce.AdminLinkSkew of its time and once per nonce.
func (a *App) pluginLogin(c echo.Context) error {
	ctx := c.Request().Context()
	denied := func() error {
		return a.renderLoginForm(c, http.StatusUnauthorized, "This sign-in link is invalid, used or expired. Use “Open ordertrack admin” in WordPress again.", "")
	}
	l, err := woocommerce.ParseAdminLink(c.QueryParams())
	if err != nil {
		return denied()
	}
	ws, err := a.db.WooStoreByKey(ctx, l.ShopKey)
	if errors.Is(err, storage.ErrNotFound) {
		return denied()
	}
	if err != nil {
		return err
	}
	secret, err := a.db.StorefrontSecret(ws)
	if err != nil {
		return err
	}
	if err := l.Verify(secret, a.now()); err != nil {
		return denied()
	}
	shop, err := a.db.ShopByID(ctx, ws.ShopID)
	if err != nil {
		return err
	}
	if shop.Platform != storage.WooCommerce || shop.Status != "active" {
		return denied()
	}
	fresh, err := a.db.UseLoginNonce(ctx, shop.ID, strings.ToLower(l.Nonce), l.Expires())
	if err != nil {
		return err
	}
	if !fresh {
		return denied()
	}
	return a.startAdminSession(c, shop.ID)
}
