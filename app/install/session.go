package install

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/storage"
)

// The standalone admin (WooCommerce merchants, the demo) signs in with a
// single-use link (from the connect's return page, an email, or the
// companion plugin's signed button) and keeps an HMAC-signed session cookie;
// every form carries a CSRF token derived from that cookie. Only the demo
// prints a reusable signed link.
const (
	// AdminCookie holds the standalone admin's signed session.
	AdminCookie     = "ot_admin"
	adminSessionTTL = 12 * time.Hour
	adminLinkTTL    = 24 * time.Hour   // the demo's reusable link
	loginLinkTTL    = 30 * time.Minute // a single-use link
	maxLiveLogins   = 5                // unused single-use links per shop
)

// The purposes values are signed for (links.Links).
const (
	purposeDemoLogin = "admin-login"
	purposeCSRF      = "admin-csrf"
)

// DemoLoginURL is the demo's printed sign-in link: signed and reusable
// until it expires, accepted only in demo mode.
func (in *Installer) DemoLoginURL(shopID int64) string {
	return in.appURL() + "/admin/login?t=" + in.links.SignedID(purposeDemoLogin, shopID, adminLinkTTL)
}

// LoginURL issues a single-use sign-in link for a shop's admin; it is
// storage.ErrTooMany while the shop has maxLiveLogins unused ones.
func (in *Installer) LoginURL(ctx context.Context, shopID int64) (string, error) {
	token, err := in.db.IssueLoginToken(ctx, shopID, in.now().Add(loginLinkTTL), maxLiveLogins)
	if err != nil {
		return "", err
	}
	return in.links.AdminLogin(token), nil
}

// sessionPurpose signs a session with its shop's session generation, so
// bumping the generation ends every session signed before.
func sessionPurpose(gen int) string {
	if gen == 0 {
		return "admin-session"
	}
	return fmt.Sprintf("admin-session.g%d", gen)
}

func (in *Installer) startAdminSession(c echo.Context, shopID int64) error {
	if err := in.RenewSession(c, shopID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin")
}

// RenewSession gives this browser a session signed with the shop's
// current session generation.
// shop's current session generation.
func (in *Installer) RenewSession(c echo.Context, shopID int64) error {
	shop, err := in.db.ShopByID(c.Request().Context(), shopID)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{
		Name: AdminCookie, Value: in.links.SignedID(sessionPurpose(shop.SessionGeneration), shopID, adminSessionTTL), Path: "/admin",
		HttpOnly: true, Secure: in.secureCookies(), SameSite: http.SameSiteLaxMode,
		MaxAge: int(adminSessionTTL.Seconds()),
	})
	return nil
}

// RequireAdmin resolves the signed-in shop (Shop), from a Shopify session
// token inside Shopify admin or from the session cookie elsewhere, and
// checks the CSRF token on every state-changing request.
func (in *Installer) RequireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if handled, err := in.embeddedAuth(c, next); handled {
			return err
		}
		ck, err := c.Cookie(AdminCookie)
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
		shop, err := in.db.ShopByID(c.Request().Context(), id)
		if errors.Is(err, storage.ErrNotFound) {
			return expired
		}
		if err != nil {
			return err
		}
		if shopID, ok := in.links.VerifyID(sessionPurpose(shop.SessionGeneration), ck.Value); !ok || shopID != shop.ID {
			return expired
		}
		csrf := in.links.Sign(purposeCSRF, ck.Value)[:32]
		if c.Request().Method != http.MethodGet && !hmac.Equal([]byte(c.FormValue("_csrf")), []byte(csrf)) {
			return echo.NewHTTPError(http.StatusForbidden, "invalid form token; reload the page")
		}
		c.Set(keyShop, shop)
		c.Set(keyCSRF, csrf)
		c.Response().Header().Set("X-Frame-Options", "DENY")
		return next(c)
	}
}

// EndSession clears this browser's admin session and answers with the
// sign-in form showing notice.
func (in *Installer) EndSession(c echo.Context, notice string) error {
	c.SetCookie(&http.Cookie{Name: AdminCookie, Value: "", Path: "/admin", MaxAge: -1, HttpOnly: true})
	return in.RenderLoginForm(c, http.StatusOK, notice, "")
}

// SignedIn is what RequireAdmin resolved for the request: the shop, the
// CSRF token (empty in the embedded admin) and the embedding (nil outside
// Shopify admin).
func (in *Installer) SignedIn(c echo.Context) (shop *storage.Shop, csrf string, embedded any) {
	if e := Embedded(c); e != nil {
		embedded = e
	}
	return Shop(c), CSRF(c), embedded
}
