// Package admin serves the merchant admin's pages: the shipment list and
// timeline, the message log, webhook deliveries and their replay, the
// message template editor, settings, and the delivery analytics. Sign-in is
// not here: the admin middleware (install) resolves the shop and the CSRF
// token before any of these handlers runs.
package admin

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/templates"
)

// Deliverer sends a composed message through its channel's provider (or
// the outbox) and records the outcome on n, as a real message is sent.
type Deliverer interface {
	Deliver(ctx context.Context, n *storage.Notification, msg notify.Message) error
}

// TrackingPages is the shoppers' tracking page cache; saving the branding
// empties it so the new look shows on the next page view.
type TrackingPages interface {
	ForgetAll()
}

// Sessions is the admin sign-in, which the settings hand back to after
// changing who may sign in.
type Sessions interface {
	// RenewSession gives this browser a session signed with the shop's
	// current session generation.
	RenewSession(c echo.Context, shopID int64) error
	// EndSession clears this browser's session and answers with the
	// sign-in form showing notice.
	EndSession(c echo.Context, notice string) error
	// SignedIn is the request's shop, the CSRF token its forms post back
	// (empty in the embedded admin) and, inside Shopify admin, what the
	// layout needs to embed (nil outside it).
	SignedIn(c echo.Context) (shop *storage.Shop, csrf string, embedded any)
}

// SenderCheck says whether shopper emails may come from the merchant's own
// address (its domain authenticated with the email provider).
type SenderCheck interface {
	SenderAuthenticated(ctx context.Context, address string) (bool, error)
}

// TwilioCheck asks Twilio whether a merchant's own account works.
type TwilioCheck interface {
	CheckTwilioAccount(ctx context.Context, acc storage.TwilioCredentials) error
}

// Deps are what the admin pages need.
type Deps struct {
	DB       *storage.DB
	Jobs     *jobs.Client
	Now      func() time.Time
	Renderer *notify.Renderer
	// AppURL is the address a WooCommerce merchant enters in the plugin.
	AppURL        string
	Deliverer     Deliverer
	TrackingPages TrackingPages
	Sessions      Sessions
	// ShopifyScopes are the scopes the app asks for, comma-separated; a
	// shop that granted fewer is asked to approve the rest.
	ShopifyScopes string
	// Previews renders the template editor's preview with a real order.
	Previews PreviewSource
	// Senders checks the merchant's sender address.
	Senders SenderCheck
	// Twilio checks a merchant's own Twilio account before it is stored.
	Twilio TwilioCheck
}

// Pages are the merchant admin's handlers.
type Pages struct {
	db       *storage.DB
	jobs     *jobs.Client
	now      func() time.Time
	renderer *notify.Renderer
	appURL   string
	deliver  Deliverer
	previews PreviewSource
	senders  SenderCheck
	twilio   TwilioCheck
	views    TrackingPages
	sessions Sessions
	pages    map[string]*template.Template

	shopifyScopes []string
}

// New parses the admin templates and builds the pages.
func New(d Deps) (*Pages, error) {
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	return &Pages{
		db: d.DB, jobs: d.Jobs, now: d.Now, renderer: d.Renderer, appURL: d.AppURL,
		deliver: d.Deliverer, previews: d.Previews, senders: d.Senders, twilio: d.Twilio, views: d.TrackingPages, sessions: d.Sessions, pages: pages, shopifyScopes: strings.Split(d.ShopifyScopes, ","),
	}, nil
}

func parseTemplates() (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	for _, page := range []string{"home", "shipments", "outbox", "webhooks", "templates", "template_edit", "settings", "whatsapp", "twilio", "analytics", "shipment", "message", "webhook", "consents"} {
		t, err := template.New("").Funcs(funcs).Funcs(labelFuncs).Funcs(template.FuncMap{"head": head}).ParseFS(templates.Admin, "admin/polaris.css", "admin/layout.html", "admin/"+page+".html")
		if err != nil {
			return nil, fmt.Errorf("admin template %s: %w", page, err)
		}
		out[page] = t
	}
	return out, nil
}

// pageTitles name the pages in the browser's tab; a page about one thing
// (a shipment, a message) sets its own Title.
var pageTitles = map[string]string{
	"home": "Overview", "shipments": "Shipments", "shipment": "Shipment", "outbox": "Messages", "message": "Message",
	"webhooks": "Webhooks", "webhook": "Webhook delivery", "templates": "Message templates", "template_edit": "Message template",
	"settings": "Settings", "whatsapp": "WhatsApp templates", "twilio": "Your Twilio account", "analytics": "Analytics", "consents": "Consents",
}

// pageHead is what the shared page header shows.
type pageHead struct {
	Title, Back, BackLabel string
	Embedded               bool
}

// head builds a page's header from the page data (for whether it is
// embedded in Shopify admin), its title and, for a page inside a section,
// the section's address and name.
func head(data map[string]any, title string, back ...string) pageHead {
	h := pageHead{Title: title, Embedded: data["Embedded"] != nil}
	if len(back) == 2 {
		h.Back, h.BackLabel = back[0], back[1]
	}
	return h
}

func (a *Pages) render(c echo.Context, page string, data map[string]any) error {
	return a.renderCode(c, http.StatusOK, page, data)
}

// renderCode renders a page with a status, e.g. 422 for a form shown
// again with its errors. data may set Nav when the page belongs to another
// section (the template editor under Templates).
func (a *Pages) renderCode(c echo.Context, code int, page string, data map[string]any) error {
	s := a.signedIn(c)
	if _, ok := data["Nav"]; !ok {
		data["Nav"] = page
	}
	if _, ok := data["Title"]; !ok {
		data["Title"] = pageTitles[page]
	}
	data["ShopName"], data["CSRF"] = s.Shop.Name, s.CSRF
	data["Loc"] = s.Shop.Location() // every time shown is in the shop's zone
	if s.Embedded != nil {
		data["Embedded"] = s.Embedded
	}
	// Shopify emails shoppers on the fulfillment events ordertrack writes
	// back, and no API reads those settings: say what to switch off.
	data["ShopifyEmails"] = (page == "home" || page == "settings") && s.Shop.WritesBackToShopify()
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().WriteHeader(code)
	return a.pages[page].ExecuteTemplate(c.Response(), "layout", data)
}
