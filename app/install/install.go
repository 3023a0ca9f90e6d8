// Package install brings merchants in and signs them into the admin: the
// Shopify OAuth install and its callback, the embedded admin's session-token
// auth with its token-exchange install and bounce page, the WooCommerce
// connect (start, key callback, return page), and the standalone admin's
// sign-in (form, single-use links and their email job, the companion
// plugin's signed link) with its session cookie and CSRF token. The admin
// pages run behind RequireAdmin and read the signed-in shop with Shop.
package install

import (
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/links"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/app/throttle"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/templates"
)

// Deps are what an Installer uses.
type Deps struct {
	DB   *storage.DB
	Jobs *jobs.Client // enqueues the backfill, webhook setup and sign-in emails
	Log  *slog.Logger
	Now  func() time.Time
	// Links signs sessions and sign-in links with the app's key; its Base
	// is the public origin of callbacks and links.
	Links *links.Links
	// Key is the app's secret key; it signs the OAuth install's state.
	Key []byte
	// Shopify is the Shopify app; nil when none is configured.
	Shopify *platform.Shopify
	// Outbound calls the stores merchants connect.
	Outbound *http.Client
	// Deliver sends a composed message and logs its outcome on n; its error
	// is what the sending job returns.
	Deliver func(ctx context.Context, n *storage.Notification, msg notify.Message) error
	// Demo accepts the demo's reusable signed sign-in link.
	Demo bool
}

// Installer serves the install, connect and sign-in pages and guards the
// admin.
type Installer struct {
	db       *storage.DB
	jobs     *jobs.Client
	log      *slog.Logger
	now      func() time.Time
	links    *links.Links
	key      []byte
	shopify  *platform.Shopify
	outbound *http.Client
	deliver  func(ctx context.Context, n *storage.Notification, msg notify.Message) error
	demo     bool

	logins throttle.Limiter // sign-in link requests per client IP
	pages  map[string]*template.Template
}

// New builds the Installer and parses its pages.
func New(d Deps) (*Installer, error) {
	in := &Installer{
		db: d.DB, jobs: d.Jobs, log: d.Log, now: d.Now, links: d.Links, key: d.Key, shopify: d.Shopify,
		outbound: d.Outbound, deliver: d.Deliver, demo: d.Demo, pages: map[string]*template.Template{},
	}
	for _, page := range []string{pageWooReturn, pageLogin, pageLoginConfirm, pageBounce} {
		t, err := template.ParseFS(templates.Install, "install/"+page+".html")
		if err != nil {
			return nil, fmt.Errorf("install page %s: %w", page, err)
		}
		in.pages[page] = t
	}
	return in, nil
}

// The pages under templates/install.
const (
	pageWooReturn    = "woo_return"
	pageLogin        = "login"
	pageLoginConfirm = "login_confirm"
	pageBounce       = "bounce"
)

// render writes page with data, never cached.
func (in *Installer) render(c echo.Context, status int, page string, data any) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().WriteHeader(status)
	return in.pages[page].Execute(c.Response(), data)
}

// appURL is the public origin of callbacks and links.
func (in *Installer) appURL() string { return in.links.Base() }

// What RequireAdmin leaves on the request for the admin pages.
const (
	keyShop     = "shop"
	keyCSRF     = "csrf"
	keyEmbedded = "embedded"
)

// Shop is the signed-in shop of a request that passed RequireAdmin.
func Shop(c echo.Context) *storage.Shop { return c.Get(keyShop).(*storage.Shop) }

// CSRF is the token the admin's forms post back as _csrf; it is empty in
// the embedded admin, whose forms post a session token instead.
func CSRF(c echo.Context) string {
	s, _ := c.Get(keyCSRF).(string)
	return s
}

// Embedded is what an admin page needs to run inside Shopify admin, or nil
// outside it.
func Embedded(c echo.Context) *EmbeddedPage {
	e, _ := c.Get(keyEmbedded).(*EmbeddedPage)
	return e
}
