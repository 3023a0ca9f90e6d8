package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/templates"
)

// The standalone admin (WooCommerce merchants, the demo) signs in with a
// single-use link (from the connect's return page, an email, or the
// companion plugin's signed button) and keeps an HMAC-signed session cookie;
// every form carries a CSRF token derived from that cookie. Only the demo
// prints a reusable signed link.
const (
	adminCookie     = "ot_admin"
	adminSessionTTL = 12 * time.Hour
	adminLinkTTL    = 24 * time.Hour   // the demo's reusable link
	loginLinkTTL    = 30 * time.Minute // a single-use link
	maxLiveLogins   = 5                // unused single-use links per shop
)

func parseAdminTemplates() (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	for _, page := range []string{"home", "shipments", "outbox", "webhooks", "templates", "template_edit", "settings", "analytics", "shipment"} {
		t, err := template.New("").Funcs(adminFuncs).ParseFS(templates.Admin, "admin/layout.html", "admin/"+page+".html")
		if err != nil {
			return nil, fmt.Errorf("admin template %s: %w", page, err)
		}
		out[page] = t
	}
	return out, nil
}

func (a *App) sign(purpose, payload string) string {
	m := hmac.New(sha256.New, a.cfg.EncryptionKey)
	m.Write([]byte(purpose + ":" + payload))
	return hex.EncodeToString(m.Sum(nil))
}

// signedValue is "shopID.expiryUnix.signature".
func (a *App) signedValue(purpose string, shopID int64, ttl time.Duration) string {
	payload := fmt.Sprintf("%d.%d", shopID, a.now().Add(ttl).Unix())
	return payload + "." + a.sign(purpose, payload)
}

func (a *App) verifySigned(purpose, v string) (int64, bool) {
	i := strings.LastIndexByte(v, '.')
	if i < 0 {
		return 0, false
	}
	payload, sig := v[:i], v[i+1:]
	if !hmac.Equal([]byte(sig), []byte(a.sign(purpose, payload))) {
		return 0, false
	}
	idS, expS, ok := strings.Cut(payload, ".")
	id, err1 := strconv.ParseInt(idS, 10, 64)
	exp, err2 := strconv.ParseInt(expS, 10, 64)
	if !ok || err1 != nil || err2 != nil || a.now().Unix() > exp {
		return 0, false
	}
	return id, true
}

// demoLoginURL is the demo's printed sign-in link: signed and reusable
// until it expires, accepted only in demo mode.
func (a *App) demoLoginURL(shopID int64) string {
	return a.cfg.AppURL + "/admin/login?t=" + a.signedValue("admin-login", shopID, adminLinkTTL)
}

// loginURL issues a single-use sign-in link for a shop's admin; it is
// storage.ErrTooMany while the shop has maxLiveLogins unused ones.
func (a *App) loginURL(ctx context.Context, shopID int64) (string, error) {
	token, err := a.db.IssueLoginToken(ctx, shopID, a.now().Add(loginLinkTTL), maxLiveLogins)
	if err != nil {
		return "", err
	}
	return a.cfg.AppURL + "/admin/login?t=" + url.QueryEscape(token), nil
}

// adminLogin shows the form that emails a sign-in link or, with a
// single-use link's token, a page whose button posts it back: mail
// scanners fetch every link in an email, so only the POST uses the token
// up (adminLoginRequest). The demo's reusable signed link signs in here.
func (a *App) adminLogin(c echo.Context) error {
	t := c.QueryParam("t")
	if t == "" {
		return a.renderLoginForm(c, http.StatusOK, "", "")
	}
	if shopID, ok := a.verifySigned("admin-login", t); ok && a.cfg.Demo {
		return a.startAdminSession(c, shopID)
	}
	return a.renderLoginConfirm(c, t)
}

// useLoginToken signs in with a single-use link's token.
func (a *App) useLoginToken(c echo.Context, token string) error {
	shopID, err := a.db.ConsumeLoginToken(c.Request().Context(), token)
	if errors.Is(err, storage.ErrNotFound) {
		return a.renderLoginForm(c, http.StatusUnauthorized, "This sign-in link was already used or has expired. Ask for a new one below.", "")
	}
	if err != nil {
		return err
	}
	return a.startAdminSession(c, shopID)
}

// sessionPurpose signs a session with its shop's session generation, so
// bumping the generation ends every session signed before.
func sessionPurpose(gen int) string {
	if gen == 0 {
		return "admin-session"
	}
	return fmt.Sprintf("admin-session.g%d", gen)
}

func (a *App) startAdminSession(c echo.Context, shopID int64) error {
	if err := a.setAdminSession(c, shopID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin")
}

// setAdminSession gives the browser a session cookie signed with the
// shop's current session generation.
func (a *App) setAdminSession(c echo.Context, shopID int64) error {
	shop, err := a.db.ShopByID(c.Request().Context(), shopID)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{
		Name: adminCookie, Value: a.signedValue(sessionPurpose(shop.SessionGeneration), shopID, adminSessionTTL), Path: "/admin",
		HttpOnly: true, Secure: strings.HasPrefix(a.cfg.AppURL, "https://"), SameSite: http.SameSiteLaxMode,
		MaxAge: int(adminSessionTTL.Seconds()),
	})
	return nil
}

// requireAdmin resolves the signed-in shop, and checks the CSRF token on
// every state-changing request.
func (a *App) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if handled, err := a.embeddedAuth(c, next); handled {
			return err
		}
		ck, err := c.Cookie(adminCookie)
		if err != nil {
			return echo.NewHTTPError(http.StatusUnauthorized, "sign in at /admin/login, from the WooCommerce plugin, or with the demo's link")
		}
		expired := echo.NewHTTPError(http.StatusUnauthorized, "your session has expired or was signed out; sign in again")
		// The signature covers the shop's session generation, so the shop
		// named by the (not yet verified) cookie is loaded first.
		idS, _, _ := strings.Cut(ck.Value, ".")
		id, err := strconv.ParseInt(idS, 10, 64)
		if err != nil {
			return expired
		}
		shop, err := a.db.ShopByID(c.Request().Context(), id)
		if errors.Is(err, storage.ErrNotFound) {
			return expired
		}
		if err != nil {
			return err
		}
		if shopID, ok := a.verifySigned(sessionPurpose(shop.SessionGeneration), ck.Value); !ok || shopID != shop.ID {
			return expired
		}
		csrf := a.sign("admin-csrf", ck.Value)[:32]
		if c.Request().Method != http.MethodGet && !hmac.Equal([]byte(c.FormValue("_csrf")), []byte(csrf)) {
			return echo.NewHTTPError(http.StatusForbidden, "invalid form token; reload the page")
		}
		c.Set("shop", shop)
		c.Set("csrf", csrf)
		c.Response().Header().Set("X-Frame-Options", "DENY")
		return next(c)
	}
}

func adminShop(c echo.Context) *storage.Shop { return c.Get("shop").(*storage.Shop) }

func (a *App) renderAdmin(c echo.Context, page string, data map[string]any) error {
	return a.renderAdminCode(c, http.StatusOK, page, data)
}

// renderAdminCode renders a page with a status, e.g. 422 for a form shown
// again with its errors. data may set Nav when the page belongs to another
// section (the template editor under Templates).
func (a *App) renderAdminCode(c echo.Context, code int, page string, data map[string]any) error {
	shop := adminShop(c)
	if _, ok := data["Nav"]; !ok {
		data["Nav"] = page
	}
	data["Title"], data["ShopName"], data["CSRF"] = page, shop.Name, c.Get("csrf")
	if e, ok := c.Get(embeddedKey).(*embeddedPage); ok {
		data["Embedded"] = e
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().WriteHeader(code)
	return a.adminPages[page].ExecuteTemplate(c.Response(), "layout", data)
}

func (a *App) adminHome(c echo.Context) error {
	scope := a.db.Scope(adminShop(c).ID)
	ctx := c.Request().Context()
	stages, problems, err := scope.StageCounts(ctx)
	if err != nil {
		return err
	}
	actions, err := scope.Actions(ctx, 20)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, "home", map[string]any{"Stages": stages, "Problems": problems, "Actions": actions})
}

func (a *App) adminShipments(c echo.Context) error {
	shop := adminShop(c)
	f := storage.ShipmentFilter{Stage: c.QueryParam("stage"), Problem: c.QueryParam("problem"), Carrier: c.QueryParam("carrier"), Query: c.QueryParam("q")}
	// Days are the shop's, as in analytics: a shipment created late in the
	// evening in New York belongs to that day, not to the next UTC one.
	if d, err := time.ParseInLocation(time.DateOnly, c.QueryParam("from"), shop.Location()); err == nil {
		f.From = d
	}
	if d, err := time.ParseInLocation(time.DateOnly, c.QueryParam("to"), shop.Location()); err == nil {
		f.To = d.AddDate(0, 0, 1) // the whole "to" day
	}
	rows, err := a.db.Scope(shop.ID).Shipments(c.Request().Context(), f)
	if err != nil {
		return err
	}
	var problems []string
	for _, p := range tracking.Problems[1:] {
		problems = append(problems, string(p))
	}
	var stages []string
	for _, s := range tracking.Stages {
		stages = append(stages, string(s))
	}
	return a.renderAdmin(c, "shipments", map[string]any{"Shipments": rows, "Filter": f, "StageOptions": stages, "ProblemOptions": problems,
		"From": c.QueryParam("from"), "To": c.QueryParam("to")})
}

// adminShipment shows one shipment: its full timeline, the messages sent
// about it with their delivery status, and what the shopper asked.
func (a *App) adminShipment(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "bad shipment id")
	}
	ctx := c.Request().Context()
	scope := a.db.Scope(adminShop(c).ID)
	ship, err := scope.Shipment(ctx, id)
	if err != nil {
		return err
	}
	events, err := a.db.Events(ctx, ship.ID)
	if err != nil {
		return err
	}
	slices.Reverse(events) // newest first, as on the tracking page
	msgs, err := scope.ShipmentNotifications(ctx, ship.ID)
	if err != nil {
		return err
	}
	acts, err := scope.ShipmentActions(ctx, ship.ID)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, "shipment", map[string]any{"Ship": ship, "Events": events, "Messages": msgs, "Actions": acts, "Nav": "shipments"})
}

func (a *App) adminOutbox(c echo.Context) error {
	ns, err := a.db.Scope(adminShop(c).ID).Notifications(c.Request().Context(), 200)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, "outbox", map[string]any{"Notifications": ns})
}

func (a *App) adminWebhooks(c echo.Context) error {
	ds, err := a.db.Scope(adminShop(c).ID).Deliveries(c.Request().Context(), c.QueryParam("status"), 200)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, "webhooks", map[string]any{"Deliveries": ds})
}

// adminReplay re-processes a failed delivery from its stored payload.
func (a *App) adminReplay(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "bad delivery id")
	}
	ctx := c.Request().Context()
	err = a.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.Shop(adminShop(c).ID).ResetDelivery(ctx, id); err != nil {
			return err
		}
		_, err := a.jobs.InsertTx(ctx, tx.SQL(), jobs.ProcessWebhookArgs{DeliveryID: id}, jobs.ReplayOpts())
		return err
	})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/webhooks")
}
