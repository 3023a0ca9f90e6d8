package shopper

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// ExtensionOrder answers the customer-account extension on Shopify's order
// status page: the order's tracking summary in the shopper's language. The
// extension's session token names the shop and the signed-in customer; an
// order of another shop or another customer is 404, exactly like an order we
// do not track, so the card hides and nothing leaks.
func (p *Pages) ExtensionOrder(c echo.Context) error {
	h := c.Response().Header()
	h.Set("Access-Control-Allow-Origin", "*") // bearer-token auth, no cookies
	h.Set("Vary", "Origin")
	if c.Request().Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Headers", "Authorization, Accept")
		h.Set("Access-Control-Allow-Methods", "GET")
		return c.NoContent(http.StatusNoContent)
	}
	token, ok := shopify.BearerToken(c.Request().Header.Get("Authorization"))
	if !ok {
		return echo.NewHTTPError(http.StatusUnauthorized, "missing session token")
	}
	sess, err := shopify.VerifyExtensionToken(p.shopifyKey, p.shopifySecret, token, p.now())
	if err != nil {
		return echo.NewHTTPError(http.StatusUnauthorized, "invalid session token")
	}
	id := c.Param("id")
	if _, err := strconv.ParseInt(id, 10, 64); err == nil {
		id = "gid://shopify/Order/" + id
	}
	ctx := c.Request().Context()
	shop, err := p.db.ShopByDomain(ctx, storage.Shopify, sess.Shop)
	if err != nil {
		return err
	}
	order, err := p.db.OrderByPlatformID(ctx, shop.ID, id)
	if err != nil {
		return err
	}
	if sess.CustomerGID == "" || order.CustomerID != sess.CustomerGID {
		return storage.ErrNotFound
	}
	ships, err := p.db.OrderShipments(ctx, shop.ID, order.ID)
	if err != nil {
		return err
	}
	page := order.PublicToken // an order not shipped yet has its own page
	if len(ships) > 0 {
		page = ships[0].PublicToken
	}
	if page == "" {
		return storage.ErrNotFound
	}
	v, err := p.pageView(c, page)
	if err != nil {
		return err
	}
	if l := strings.TrimSpace(c.QueryParam("locale")); l != "" {
		v.Locale = trackpage.Negotiate(l, v.Locale)
	}
	return c.JSON(http.StatusOK, trackpage.Summarize(v))
}
