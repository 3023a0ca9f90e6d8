package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
	adminCookie     = "ot_admin"
	adminSessionTTL = 12 * time.Hour
	adminLinkTTL    = 24 * time.Hour   // the demo's reusable link
	loginLinkTTL    = 30 * time.Minute // a single-use link
	maxLiveLogins   = 5                // unused single-use links per shop
)

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
