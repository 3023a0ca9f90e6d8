package app

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// shopifyWebhook verifies, stores and enqueues; processing happens in a job,
// so Shopify gets its 200 well inside its 5 s limit.
func (a *App) shopifyWebhook(c echo.Context) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable body")
	}
	h := c.Request().Header
	if !shopify.VerifyWebhook(a.cfg.ShopifyAPISecret, body, h.Get("X-Shopify-Hmac-Sha256")) {
		a.metrics.Webhooks.WithLabelValues("shopify", "bad_signature").Inc()
		return echo.NewHTTPError(http.StatusUnauthorized, "invalid webhook signature")
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
		ShopDomain: h.Get("X-Shopify-Shop-Domain"), Payload: body, ReceivedAt: a.db.Now(),
	}
	return a.accept(c, "shopify", d)
}

// accept ingests a verified delivery, counts it, and answers 200: the
// platform may stop retrying once the delivery is stored.
func (a *App) accept(c echo.Context, source string, d *storage.WebhookDelivery) error {
	dup, err := a.ingest(c.Request().Context(), d)
	if err != nil {
		return err
	}
	outcome := "accepted"
	if dup {
		outcome = "duplicate"
	}
	a.metrics.Webhooks.WithLabelValues(source, outcome).Inc()
	return c.NoContent(http.StatusOK)
}
