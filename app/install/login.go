package install

import (
	"context"
	"errors"
	"fmt"
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

// TriggerLoginEmail marks the message log entries of emailed sign-in links.
const TriggerLoginEmail = "admin_login"

// loginSent is the one answer to a sign-in link request, whether or not a
// shop of that address exists.
const loginSent = "If a WooCommerce store with that address is connected to ordertrack, a sign-in link is on its way to the store's email address (WooCommerce → Settings → Emails → “From” address). It works once, for 30 minutes."

// renderLoginConfirm answers a GET of an emailed single-use link with a
// button that posts the token back; the GET itself uses nothing up.
func (in *Installer) renderLoginConfirm(c echo.Context, token string) error {
	c.Response().Header().Set("X-Frame-Options", "DENY")
	return in.render(c, http.StatusOK, pageLoginConfirm, token)
}

// RenderLoginForm shows the sign-in form with a message; store refills the
// field after an input error (never after a request, whose answer is the
// same for every store).
func (in *Installer) RenderLoginForm(c echo.Context, status int, message, store string) error {
	c.Response().Header().Set("X-Frame-Options", "DENY")
	return in.render(c, status, pageLogin, map[string]any{"Message": message, "Store": store})
}

// loginBudget allows a client 5 sign-in link requests, then one every 12 s.
var loginBudget = throttle.Budget{Burst: 5, Every: 12 * time.Second}

// AdminLogin shows the form that emails a sign-in link or, with a
// single-use link's token, a page whose button posts it back: mail
// scanners fetch every link in an email, so only the POST uses the token
// up (AdminLoginRequest). The demo's reusable signed link signs in here.
func (in *Installer) AdminLogin(c echo.Context) error {
	t := c.QueryParam("t")
	if t == "" {
		return in.RenderLoginForm(c, http.StatusOK, "", "")
	}
	if shopID, ok := in.links.VerifyID(purposeDemoLogin, t); ok && in.demo {
		return in.startAdminSession(c, shopID)
	}
	return in.renderLoginConfirm(c, t)
}

// AdminLoginRequest signs in with a posted single-use token (the button of
// renderLoginConfirm), or queues an emailed sign-in link for the
// WooCommerce shop at the typed address. The answer to a link request is
// the same whether or not that shop exists; requests are throttled per
// client.
func (in *Installer) AdminLoginRequest(c echo.Context) error {
	if t := c.FormValue("t"); t != "" {
		return in.useLoginToken(c, t)
	}
	if _, ok := in.logins.Take(in.now(), throttle.Key{Name: "ip:" + throttle.ClientKey(c.RealIP()), Budget: loginBudget}); !ok {
		return in.RenderLoginForm(c, http.StatusTooManyRequests, "Too many requests from here; try again in a minute.", "")
	}
	store, err := woocommerce.NormalizeStoreURL(c.FormValue("store"))
	if errors.Is(err, woocommerce.ErrShopifyHost) {
		return in.RenderLoginForm(c, http.StatusUnprocessableEntity, "That is a Shopify store's address: open ordertrack from your Shopify admin.", c.FormValue("store"))
	}
	if err != nil {
		return in.RenderLoginForm(c, http.StatusUnprocessableEntity, "Enter your store's address, e.g. https://shop.example.", c.FormValue("store"))
	}
	domain, _, err := wooShopDomain(store)
	if err != nil {
		return err
	}
	if _, err := in.jobs.Insert(c.Request().Context(), jobs.LoginEmailArgs{Domain: domain}, nil); err != nil {
		return err
	}
	return in.RenderLoginForm(c, http.StatusOK, loginSent, "")
}

// useLoginToken signs in with a single-use link's token.
func (in *Installer) useLoginToken(c echo.Context, token string) error {
	shopID, err := in.db.ConsumeLoginToken(c.Request().Context(), token)
	if errors.Is(err, storage.ErrNotFound) {
		return in.RenderLoginForm(c, http.StatusUnauthorized, "This sign-in link was already used or has expired. Ask for a new one below.", "")
	}
	if err != nil {
		return err
	}
	return in.startAdminSession(c, shopID)
}

// LoginEmailJob emails a single-use sign-in link to the shop's stored
// address. The link itself is not kept in the message log, which only says
// that one was sent.
func (in *Installer) LoginEmailJob(ctx context.Context, job *river.Job[jobs.LoginEmailArgs]) error {
	shop, err := in.db.ShopByDomain(ctx, storage.WooCommerce, job.Args.Domain)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if shop.Status != "active" || shop.Email == "" {
		return nil
	}
	link, err := in.LoginURL(ctx, shop.ID)
	if errors.Is(err, storage.ErrTooMany) {
		in.log.Warn("sign-in link not sent: the shop has unused links", "shop", shop.ID)
		return nil
	}
	if err != nil {
		return err
	}
	subject := "Your ordertrack sign-in link for " + shop.Name
	n := &storage.Notification{
		ShopID: shop.ID, Trigger: TriggerLoginEmail, Channel: string(notify.ChannelEmail), Recipient: shop.Email,
		DedupeKey: fmt.Sprintf("%s:%d:%d", TriggerLoginEmail, job.ID, job.Attempt), Status: storage.NotificationScheduled,
		Subject: subject, Body: "A single-use sign-in link was sent (links are not kept in this log).",
	}
	if _, err := in.db.CreateNotification(ctx, n); err != nil {
		return err
	}
	text := "Someone asked to sign in to ordertrack for " + shop.Name + ", or connected the store to ordertrack.\n\n" +
		"Open this link to sign in (it works once, for 30 minutes):\n" + link + "\n\n" +
		"If it was not you, ignore this email: nobody signs in without this link.\n"
	return in.deliver(ctx, n, notify.Message{Channel: notify.ChannelEmail, Subject: subject, Text: text})
}

// PluginLogin signs in from the companion plugin's "Open ordertrack admin"
// button: a link signed with the shop's storefront secret, accepted within
// woocommerce.AdminLinkSkew of its time and once per nonce.
func (in *Installer) PluginLogin(c echo.Context) error {
	ctx := c.Request().Context()
	denied := func() error {
		return in.RenderLoginForm(c, http.StatusUnauthorized, "This sign-in link is invalid, used or expired. Use “Open ordertrack admin” in WordPress again.", "")
	}
	l, err := woocommerce.ParseAdminLink(c.QueryParams())
	if err != nil {
		return denied()
	}
	ws, err := in.db.WooStoreByKey(ctx, l.ShopKey)
	if errors.Is(err, storage.ErrNotFound) {
		return denied()
	}
	if err != nil {
		return err
	}
	secret, err := in.db.StorefrontSecret(ws)
	if err != nil {
		return err
	}
	if err := l.Verify(secret, in.now()); err != nil {
		return denied()
	}
	shop, err := in.db.ShopByID(ctx, ws.ShopID)
	if err != nil {
		return err
	}
	if shop.Platform != storage.WooCommerce || shop.Status != "active" {
		return denied()
	}
	fresh, err := in.db.UseLoginNonce(ctx, shop.ID, strings.ToLower(l.Nonce), l.Expires())
	if err != nil {
		return err
	}
	if !fresh {
		return denied()
	}
	return in.startAdminSession(c, shop.ID)
}
