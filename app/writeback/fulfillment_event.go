package writeback

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// writeBackStatuses are the statuses Shopify shows shoppers that only the
// carrier knows; the earlier ones (label, pickup) Shopify records itself.
var writeBackStatuses = map[shopify.EventStatus]bool{
	shopify.EventInTransit: true, shopify.EventOutForDelivery: true, shopify.EventAttemptedDelivery: true,
	shopify.EventDelayed: true, shopify.EventDelivered: true, shopify.EventFailure: true, shopify.EventReadyForPickup: true,
}

// EnqueueFulfillmentEvent queues, in tx, writing the shipment's new status
// back to its Shopify fulfillment. Shipments of other platforms, without a
// fulfillment, or of shops without a token have nothing to write.
func (w *Writer) EnqueueFulfillmentEvent(ctx context.Context, tx *storage.Tx, shipmentID int64) error {
	wb, err := tx.ShopifyWriteBack(ctx, shipmentID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	status, ok := shopify.EventStatusFor(tracking.Stage(wb.Stage), tracking.Problem(wb.Problem))
	if !ok || !writeBackStatuses[status] {
		return nil
	}
	if _, err := w.jobs.InsertTx(ctx, tx.SQL(), jobs.ShopifyFulfillmentEventArgs{ShipmentID: shipmentID, Status: string(status)}, nil); err != nil {
		return fmt.Errorf("enqueue fulfillment event for shipment %d: %w", shipmentID, err)
	}
	return nil
}

// FulfillmentEvent creates the fulfillment event on Shopify.
func (w *Writer) FulfillmentEvent(ctx context.Context, job *river.Job[jobs.ShopifyFulfillmentEventArgs]) error {
	sh := w.shopify
	if sh == nil {
		return river.JobCancel(platform.ErrNoShopify)
	}
	s, shop, ok, err := w.activeShipment(ctx, job.Args.ShipmentID)
	if !ok {
		return err
	}
	ev := shopify.FulfillmentEvent{FulfillmentID: s.PlatformFulfillmentID, Status: shopify.EventStatus(job.Args.Status), HappenedAt: w.now()}
	if s.StageAt != nil {
		ev.HappenedAt = *s.StageAt
	}
	if s.ProblemAt != nil && s.Problem != "" && s.ProblemAt.After(ev.HappenedAt) {
		ev.HappenedAt = *s.ProblemAt
	}
	if s.ETALatest != nil && s.Stage != string(tracking.StageDelivered) {
		ev.EstimatedDeliveryAt = *s.ETALatest
	}
	if events, err := w.db.Events(ctx, s.ID); err == nil && len(events) > 0 {
		last := events[len(events)-1]
		ev.Message, ev.City, ev.Country = last.Description, last.Location.City, last.Location.Country
	}
	if _, err := sh.Client.CreateFulfillmentEvent(ctx, shop.Domain, ev); err != nil {
		return platform.ShopifyJobError(job.Attempt, fmt.Errorf("write %s back to %s: %w", job.Args.Status, shop.Domain, err))
	}
	return nil
}

// activeShipment is the shipment a Shopify write-back job is about, with
// its shop; ok is false when there is nothing to write: the shipment was
// redacted or its shop is no longer installed.
func (w *Writer) activeShipment(ctx context.Context, id int64) (storage.Shipment, *storage.Shop, bool, error) {
	ships, err := w.db.ShipmentsByID(ctx, []int64{id})
	if err != nil || len(ships) == 0 {
		return storage.Shipment{}, nil, false, err
	}
	shop, err := w.db.ShopByID(ctx, ships[0].ShopID)
	if err != nil || shop.Status != "active" {
		return storage.Shipment{}, nil, false, err
	}
	return ships[0], shop, true, nil
}
