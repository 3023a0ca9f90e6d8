package app

import (
	"context"
	"database/sql"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// Forwarders to package writeback, for code still in app; the lead deletes
// them after the issue #19 merge.

func (a *App) enqueueWooNotes(ctx context.Context, tx *storage.Tx, shipmentID int64, fired []tracking.Fired) error {
	return a.writeback.EnqueueWooNotes(ctx, tx, shipmentID, fired)
}

func (a *App) enqueueFulfillmentEvent(ctx context.Context, tx *storage.Tx, shipmentID int64) error {
	return a.writeback.EnqueueFulfillmentEvent(ctx, tx, shipmentID)
}

func (a *App) shopifyWritesBack(ctx context.Context, act *storage.CustomerAction) (bool, error) {
	return a.writeback.ShopifyWritesBack(ctx, act)
}

func (a *App) enqueueOrderWriteback(ctx context.Context, sqlTx *sql.Tx, actionID int64) error {
	return a.writeback.EnqueueOrderWriteback(ctx, sqlTx, actionID)
}

func (a *App) enqueueWooActionNote(ctx context.Context, tx *storage.Tx, act *storage.CustomerAction) error {
	return a.writeback.EnqueueWooActionNote(ctx, tx, act)
}
