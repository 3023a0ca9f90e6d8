package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/integrations/carriers/aftership"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// pushSafetyNet is how long a shipment whose carrier pushed news waits for
// its next poll: pushes carry the news, polls only catch a lost push.
const pushSafetyNet = 12 * time.Hour

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

// processCarrierPush merges a pushed tracking update into every shipment
// with that number and pushes their next poll out.
func (a *App) processCarrierPush(ctx context.Context, d *storage.WebhookDelivery) error {
	push, err := aftership.New(aftership.Config{}).ParseWebhook(d.Payload)
	if errors.Is(err, aftership.ErrMalformedPush) {
		return fmt.Errorf("%w: %w", errMalformed, err)
	}
	if err != nil {
		return err
	}
	ships, err := a.db.ShipmentsByNumber(ctx, push.Result.Number)
	if err != nil {
		return err
	}
	for i := range ships {
		if err := a.applyResult(ctx, &ships[i], push.Result, false, 0); err != nil {
			return err
		}
		if err := a.db.PostponePoll(ctx, ships[i].ID, a.now().UTC().Add(pushSafetyNet)); err != nil {
			return err
		}
	}
	return nil
}
