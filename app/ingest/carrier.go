package ingest

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

// CarrierPush accepts a carrier's tracking push: verify it the carrier's
// way (AfterShip's and USPS's HMAC signatures, FedEx's fdx-signature,
// UPS's echoed credential, DHL's header token), then store the delivery
// and enqueue its processing in one transaction, like the store webhooks,
// before answering 200. A push that does not verify gets 401 and nothing
// is stored; one from a carrier whose pushes are not enabled (no secret)
// gets 404.
func (in *Intake) CarrierPush(c echo.Context) error {
	name := c.Param("name")
	if name == "aftership" {
		return in.afterShipPush(c)
	}
	e, ok := registry.Lookup(name)
	secret := in.carriers[name][registry.WebhookSecret]
	if !ok || e.Push == nil || secret == "" {
		return echo.NewHTTPError(http.StatusNotFound, "no push endpoint for this carrier")
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable body")
	}
	ctx := c.Request().Context()
	if !e.Push.Verify(secret, c.Request().Header, body) {
		in.metrics.CarrierPushes.WithLabelValues(name, "rejected").Inc()
		if err := in.db.CountPush(ctx, name, false, in.db.Now()); err != nil {
			return err
		}
		return in.unauthorized(name)
	}
	// Carriers give pushes no id of their own: the body is one, so a
	// push sent twice is stored once.
	d := &storage.WebhookDelivery{Platform: storage.CarrierPush, DeliveryID: name + ":" + digest(body), Topic: name, Payload: body, ReceivedAt: in.db.Now()}
	dup, err := in.ingest(ctx, d)
	if err != nil {
		return err
	}
	outcome := "accepted"
	if dup {
		outcome = "duplicate"
	}
	in.metrics.Webhooks.WithLabelValues(name, outcome).Inc()
	in.metrics.CarrierPushes.WithLabelValues(name, "received").Inc()
	if err := in.db.CountPush(ctx, name, true, d.ReceivedAt); err != nil {
		return err
	}
	return c.NoContent(http.StatusOK)
}

// afterShipPush accepts AfterShip's tracking webhooks.
func (in *Intake) afterShipPush(c echo.Context) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable body")
	}
	if !aftership.VerifyWebhook(in.afterShipSecret, body, c.Request().Header.Get(aftership.SignatureHeader)) {
		return in.unauthorized("aftership")
	}
	var head struct {
		EventID string `json:"event_id"`
		Event   string `json:"event"`
	}
	_ = json.Unmarshal(body, &head) // a malformed body is still kept, for replay
	id := head.EventID
	if id == "" {
		id = digest(body)
	}
	d := &storage.WebhookDelivery{Platform: storage.CarrierPush, DeliveryID: id, Topic: head.Event, Payload: body, ReceivedAt: in.db.Now()}
	return in.accept(c, "aftership", d)
}

func digest(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:])
}
