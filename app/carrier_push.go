package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ordertrack/ordertrack/integrations/carriers/aftership"
	"github.com/ordertrack/ordertrack/storage"
)

// pushSafetyNet is how long a shipment whose carrier pushed news waits for
// its next poll: pushes carry the news, polls only catch a lost push.
const pushSafetyNet = 12 * time.Hour

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
