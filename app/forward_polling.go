package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/aftership"
	"github.com/ordertrack/ordertrack/storage"
)

// pollingHooks gives polling the features still in app: its Notifier,
// WriteBack and PageCache. After the merge they become messaging's,
// writeback's and shopper's structs.
type pollingHooks struct{ a *App }

// Enqueue queues the shopper's messages only: polling enqueues the
// write-back itself. Until messaging's enqueue stops writing back, this
// is enqueueNotifyOn on the default queue without its write-back.
func (h pollingHooks) Enqueue(ctx context.Context, tx *storage.Tx, shipmentID int64, fired []tracking.Fired) error {
	params := make([]river.InsertManyParams, len(fired))
	for i, f := range fired {
		params[i] = river.InsertManyParams{Args: jobs.NotifyArgs{ShipmentID: shipmentID, Trigger: string(f.Trigger), Key: f.Key}, InsertOpts: &river.InsertOpts{Queue: river.QueueDefault}}
	}
	if _, err := h.a.jobs.InsertManyTx(ctx, tx.SQL(), params); err != nil {
		return fmt.Errorf("enqueue %d notifications: %w", len(fired), err)
	}
	return nil
}

func (h pollingHooks) ShipmentChanged(ctx context.Context, tx *storage.Tx, shipmentID int64, fired []tracking.Fired) error {
	if err := h.a.enqueueWooNotes(ctx, tx, shipmentID, fired); err != nil {
		return err
	}
	return h.a.enqueueFulfillmentEvent(ctx, tx, shipmentID)
}

func (h pollingHooks) Forget(publicToken string) { h.a.shopper.Forget(publicToken) }

// processCarrierPush keeps a push that will never parse failed for replay,
// like processWebhook's other malformed payloads.
func (a *App) processCarrierPush(ctx context.Context, d *storage.WebhookDelivery) error {
	err := a.polling.ProcessPush(ctx, d)
	if errors.Is(err, aftership.ErrMalformedPush) {
		return fmt.Errorf("%w: %w", errMalformed, err)
	}
	return err
}
