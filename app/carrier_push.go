package app

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/integrations/carriers/aftership"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// carrierPush accepts AfterShip's tracking webhooks: verify the signature,
// store the delivery and enqueue processing in one transaction, like the
// store webhooks. Only AfterShip pushes today.
func (a *App) carrierPush(c echo.Context) error {
	if c.Param("name") != "aftership" {
		return echo.NewHTTPError(http.StatusNotFound, "no push endpoint for this carrier")
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable body")
	}
	if !aftership.VerifyWebhook(a.cfg.Carriers["aftership"][registry.WebhookSecret], body, c.Request().Header.Get(aftership.SignatureHeader)) {
		a.metrics.Webhooks.WithLabelValues("aftership", "bad_signature").Inc()
		return echo.NewHTTPError(http.StatusUnauthorized, "invalid webhook signature")
	}
	var head struct {
		EventID string `json:"event_id"`
		Event   string `json:"event"`
	}
	_ = json.Unmarshal(body, &head) // a malformed body is still kept, for replay
	id := head.EventID
	if id == "" {
		sum := sha256.Sum256(body)
		id = "sha256:" + hex.EncodeToString(sum[:])
	}
	d := &storage.WebhookDelivery{Platform: storage.CarrierPush, DeliveryID: id, Topic: head.Event, Payload: body, ReceivedAt: a.db.Now()}
	return a.accept(c, "aftership", d)
}
