package app

import (
	"context"
	"fmt"
	"time"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/storage"
)

// addAction stores a shopper request and, in the same transaction, the job
// that emails the merchant about it (and, on Shopify, the one that writes it
// back to the order): no request goes unannounced and no email announces a
// request that was rolled back.
func (a *App) addAction(ctx context.Context, act *storage.CustomerAction) error {
	writeBack, err := a.shopifyWritesBack(ctx, act)
	if err != nil {
		return err
	}
	return a.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.CreateCustomerAction(ctx, act); err != nil {
			return err
		}
		if _, err := a.jobs.InsertTx(ctx, tx.SQL(), jobs.NotifyMerchantArgs{ActionID: act.ID}, nil); err != nil {
			return fmt.Errorf("enqueue merchant notice: %w", err)
		}
		if writeBack {
			return a.enqueueOrderWriteback(ctx, tx.SQL(), act.ID)
		}
		return nil
	})
}

// pageRequests lists what the shopper already asked about a shipment, so
// the tracking page can show it reached the store.
func (a *App) pageRequests(ctx context.Context, s *storage.Shipment) ([]trackpage.Request, error) {
	acts, err := a.db.Scope(s.ShopID).ShipmentActions(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	out := make([]trackpage.Request, 0, len(acts))
	for _, act := range acts {
		r := trackpage.Request{Kind: trackpage.ActionKind(act.Kind), At: act.CreatedAt}
		if d, err := time.Parse(time.DateOnly, act.Details.V[trackpage.FieldDate]); err == nil {
			r.Date = d
		}
		out = append(out, r)
	}
	return out, nil
}
