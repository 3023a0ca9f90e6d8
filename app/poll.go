package app

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// enqueueNotifyOn enqueues, in tx, the notifications for fired triggers on
// queue, and the store's write-back.
func (a *App) enqueueNotifyOn(ctx context.Context, tx *storage.Tx, queue string, shipmentID int64, fired []tracking.Fired) error {
	if len(fired) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(fired))
	for i, f := range fired {
		params[i] = river.InsertManyParams{Args: jobs.NotifyArgs{ShipmentID: shipmentID, Trigger: string(f.Trigger), Key: f.Key}, InsertOpts: &river.InsertOpts{Queue: queue}}
	}
	if _, err := a.jobs.InsertManyTx(ctx, tx.SQL(), params); err != nil {
		return fmt.Errorf("enqueue %d notifications: %w", len(fired), err)
	}
	if err := a.enqueueWooNotes(ctx, tx, shipmentID, fired); err != nil {
		return err
	}
	return a.enqueueFulfillmentEvent(ctx, tx, shipmentID)
}
