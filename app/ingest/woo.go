package ingest

import (
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/storage"
)

// WooWebhook answers WooCommerce's creation ping, then verifies, stores and
// enqueues each delivery. WooCommerce never retries, so the answer comes
// before any processing; the reconcile job catches what never arrives.
func (in *Intake) WooWebhook(c echo.Context) error {
	ctx := c.Request().Context()
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, 16<<20))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable body")
	}
	h := c.Request().Header
	if woocommerce.IsPing(h, body) {
		return c.NoContent(http.StatusOK)
	}
	ws, err := in.db.WooStoreByKey(ctx, c.Param("shop"))
	if errors.Is(err, storage.ErrNotFound) {
		return in.unauthorized("woocommerce")
	}
	if err != nil {
		return err
	}
	shop, err := in.db.ShopByID(ctx, ws.ShopID)
	if err != nil {
		return err
	}
	sec, err := in.db.Secrets(shop)
	if err != nil {
		return err
	}
	d, err := woocommerce.ParseDelivery(h)
	if err != nil || !woocommerce.Verify(sec.WebhookSecret, body, d.Signature) {
		return in.unauthorized("woocommerce")
	}
	if d.DeliveryID == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "missing "+woocommerce.HeaderDeliveryID)
	}
	return in.accept(c, "woocommerce", &storage.WebhookDelivery{
		ShopID: &shop.ID, Platform: storage.WooCommerce, DeliveryID: d.DeliveryID, Topic: d.Topic,
		ShopDomain: shop.Domain, Payload: body, ReceivedAt: in.db.Now(),
	})
}
