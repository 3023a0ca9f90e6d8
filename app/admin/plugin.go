package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/storage"
)

// pluginSettings are what a WooCommerce merchant enters in the companion
// plugin: shown only in the signed-in admin, never on the connect's return
// page, whose browser may not be the merchant's.
type pluginSettings struct {
	AppURL, ShopKey, ShopSecret string
}

// pluginSettings is nil for a shop that is not on WooCommerce.
func (a *Pages) pluginSettings(c echo.Context) (*pluginSettings, error) {
	shop := a.signedIn(c).Shop
	if shop.Platform != storage.WooCommerce {
		return nil, nil
	}
	ws, err := a.db.WooStore(c.Request().Context(), shop.ID)
	if err != nil {
		return nil, err
	}
	secret, err := a.db.StorefrontSecret(ws)
	if err != nil {
		return nil, err
	}
	return &pluginSettings{AppURL: a.appURL, ShopKey: ws.ShopKey, ShopSecret: secret}, nil
}

// RotatePluginSecret gives the store a new plugin secret: sign-in
// links signed with the old one stop working and every other admin
// session ends, while this browser gets a fresh session.
func (a *Pages) RotatePluginSecret(c echo.Context) error {
	shop := a.signedIn(c).Shop
	if shop.Platform != storage.WooCommerce {
		return echo.NewHTTPError(http.StatusNotFound, "only WooCommerce shops have a plugin secret")
	}
	if err := a.db.RotateStorefrontSecret(c.Request().Context(), shop.ID); err != nil {
		return err
	}
	if err := a.sessions.RenewSession(c, shop.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/settings?rotated=1#plugin")
}

// SignOutEverywhere ends every admin session of the shop, this one
// included.
func (a *Pages) SignOutEverywhere(c echo.Context) error {
	if err := a.db.EndAdminSessions(c.Request().Context(), a.signedIn(c).Shop.ID); err != nil {
		return err
	}
	return a.sessions.EndSession(c, "You are signed out everywhere.")
}
