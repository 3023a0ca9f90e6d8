package shopper

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
)

// WooStorefront answers the companion plugin's signed request for an order's
// tracking. The plugin has already checked, inside WordPress, that the
// visitor may see the order; the signature proves the request is the store's.
func (p *Pages) WooStorefront(c echo.Context) error {
	ctx := c.Request().Context()
	orderID := c.Param("order_id")
	unauthorized := echo.NewHTTPError(http.StatusUnauthorized, woocommerce.ErrStorefrontSignature.Error())
	r, err := woocommerce.ParseStorefront(c.Request().Header)
	if err != nil {
		return unauthorized
	}
	ws, err := p.db.WooStoreByKey(ctx, r.ShopKey)
	if err != nil {
		return unauthorized
	}
	secret, err := p.db.StorefrontSecret(ws)
	if err != nil {
		return err
	}
	if err := r.Verify(secret, orderID, p.now()); err != nil {
		return echo.NewHTTPError(http.StatusUnauthorized, err.Error())
	}
	o, err := p.db.OrderByPlatformID(ctx, ws.ShopID, orderID)
	if err != nil {
		return err
	}
	ships, err := p.db.OrderShipments(ctx, ws.ShopID, o.ID)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	// Before any shipment the label is the page's for the confirmed stage,
	// in the language the page would use.
	lang := locale.Negotiate(c.Request().Header.Get("Accept-Language"), o.Locale)
	if l := c.QueryParam("locale"); l != "" {
		lang = locale.Negotiate(l, lang.String())
	}
	out := woocommerce.StorefrontView{OrderID: orderID, Stage: string(tracking.StageConfirmed), StatusLabel: locale.For(lang).StageLabel(tracking.StageConfirmed)}
	if len(ships) == 0 {
		return c.JSON(http.StatusOK, out)
	}
	v, err := p.pageView(c, ships[len(ships)-1].PublicToken)
	if err != nil {
		return err
	}
	sum := trackpage.Summarize(v)
	out.TrackingURL = sum.PageURL
	for i := len(sum.Shipments) - 1; i >= 0; i-- { // newest first
		s := sum.Shipments[i]
		ss := woocommerce.StorefrontShipment{Carrier: s.CarrierName, Number: s.Number, URL: s.TrackingURL, StatusLabel: s.StageLabel}
		if s.LastEvent != nil {
			ss.Events = []woocommerce.StorefrontEvent{{Time: s.LastEvent.When, Description: s.LastEvent.Description, Location: s.LastEvent.Location}}
		}
		out.Shipments = append(out.Shipments, ss)
	}
	if len(sum.Shipments) > 0 {
		top := sum.Shipments[len(sum.Shipments)-1]
		out.Stage, out.StatusLabel, out.ETA = string(top.Stage), top.StageLabel, top.ETA
	}
	return c.JSON(http.StatusOK, out)
}
