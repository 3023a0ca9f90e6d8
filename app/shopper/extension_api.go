package shopper

import (
	"encoding/json"
	"io"
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
	if extensionCORS(c) {
		return c.NoContent(http.StatusNoContent)
	}
	m, err := p.extensionOrder(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	ships, err := p.db.OrderShipments(ctx, m.shop.ID, m.order.ID)
	if err != nil {
		return err
	}
	page := m.order.PublicToken // an order not shipped yet has its own page
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

// ExtensionConsent records the opt-in the order status extension shows
// (the summary's opt_in words), posted as JSON {phone, channel, calls,
// locale} with the same session token as ExtensionOrder, from the
// shopper's own browser. It answers {"status": "confirmed"|"pending"}.
func (p *Pages) ExtensionConsent(c echo.Context) error {
	if extensionCORS(c) {
		return c.NoContent(http.StatusNoContent)
	}
	m, err := p.extensionOrder(c)
	if err != nil {
		return err
	}
	var in optInRequest
	if err := json.NewDecoder(io.LimitReader(c.Request().Body, 4<<10)).Decode(&in); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "send JSON: {phone, channel, calls, locale}")
	}
	status, err := p.optIn(c, m, in, storage.ConsentSourceOrderStatus)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"status": status})
}

// extensionCORS lets the extension's sandbox (any origin) call with its
// bearer token, and reports whether the request is the preflight.
func extensionCORS(c echo.Context) bool {
	h := c.Response().Header()
	h.Set("Access-Control-Allow-Origin", "*") // bearer-token auth, no cookies
	h.Set("Vary", "Origin")
	if c.Request().Method != http.MethodOptions {
		return false
	}
	h.Set("Access-Control-Allow-Headers", "Authorization, Accept, Content-Type")
	h.Set("Access-Control-Allow-Methods", "GET, POST")
	return true
}

// extensionOrder is the order the extension's session token may see: the
// token names the shop and the signed-in customer; an order of another
// shop or another customer is 404, exactly like an order we do not track,
// so the card hides and nothing leaks.
func (p *Pages) extensionOrder(c echo.Context) (shipmentOrder, error) {
	token, ok := shopify.BearerToken(c.Request().Header.Get("Authorization"))
	if !ok {
		return shipmentOrder{}, echo.NewHTTPError(http.StatusUnauthorized, "missing session token")
	}
	sess, err := shopify.VerifyExtensionToken(p.shopifyKey, p.shopifySecret, token, p.now())
	if err != nil {
		return shipmentOrder{}, echo.NewHTTPError(http.StatusUnauthorized, "invalid session token")
	}
	id := c.Param("id")
	if _, err := strconv.ParseInt(id, 10, 64); err == nil {
		id = "gid://shopify/Order/" + id
	}
	ctx := c.Request().Context()
	shop, err := p.db.ShopByDomain(ctx, storage.Shopify, sess.Shop)
	if err != nil {
		return shipmentOrder{}, err
	}
	order, err := p.db.OrderByPlatformID(ctx, shop.ID, id)
	if err != nil {
		return shipmentOrder{}, err
	}
	if sess.CustomerGID == "" || order.CustomerID != sess.CustomerGID {
		return shipmentOrder{}, storage.ErrNotFound
	}
	return shipmentOrder{shop: shop, order: order}, nil
}
