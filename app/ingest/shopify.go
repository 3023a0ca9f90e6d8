package ingest

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// ShopifyWebhook verifies, stores and enqueues; processing happens in a job,
// so Shopify gets its 200 well inside its 5 s limit.
func (in *Intake) ShopifyWebhook(c echo.Context) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable body")
	}
	h := c.Request().Header
	if !shopify.VerifyWebhook(in.shopifySecret, body, h.Get("X-Shopify-Hmac-Sha256")) {
		return in.unauthorized("shopify")
	}
	id := h.Get("X-Shopify-Webhook-Id")
	if id == "" {
		id = h.Get("X-Shopify-Event-Id")
	}
	if id == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "missing X-Shopify-Webhook-Id")
	}
	d := &storage.WebhookDelivery{
		Platform: storage.Shopify, DeliveryID: id, Topic: h.Get("X-Shopify-Topic"),
		ShopDomain: h.Get("X-Shopify-Shop-Domain"), Payload: body, ReceivedAt: in.db.Now(),
	}
	return in.accept(c, "shopify", d)
}
