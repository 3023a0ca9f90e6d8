package app

import (
	"context"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/orders"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// Forwarders to package orders, for code and tests still in app; the lead
// deletes them after the issue #19 merge.

type parcel = orders.Parcel

const (
	defaultMaxParcels = orders.DefaultMaxParcels
	reconcileOverlap  = orders.ReconcileOverlap
)

var errMalformed = jobs.ErrMalformed

func (a *App) syncOrder(ctx context.Context, shop *storage.Shop, o *storage.Order, ps []parcel) error {
	return a.orders.SyncOrder(ctx, shop, o, ps)
}

func (a *App) syncShopifyOrder(ctx context.Context, shop *storage.Shop, o shopify.Order) ([]orders.Refusal, error) {
	return a.orders.SyncShopifyOrder(ctx, shop, o)
}

// ordersDeps gives orders the App methods of features not yet moved.
type ordersDeps struct{ a *App }

func (d ordersDeps) EnqueueNotifyOn(ctx context.Context, tx *storage.Tx, queue string, shipmentID int64, fired []tracking.Fired) error {
	return d.a.enqueueNotifyOn(ctx, tx, queue, shipmentID, fired)
}

func (d ordersDeps) ProcessCarrierPush(ctx context.Context, dl *storage.WebhookDelivery) error {
	return d.a.processCarrierPush(ctx, dl)
}

func (d ordersDeps) Acquire(shop string) (func(), bool) { return d.a.ingest.TakeSlot(shop) }

func (d ordersDeps) ExportCustomerData(ctx context.Context, shop *storage.Shop, email, phone string) error {
	return d.a.exportCustomerData(ctx, shop, email, phone)
}
