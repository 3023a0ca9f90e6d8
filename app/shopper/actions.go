package shopper

import (
	"context"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/storage"
)

// addAction stores a shopper request and, in the same transaction, the job
// that emails the merchant about it (and the one that writes it back to the
// Shopify order, or notes it on the WooCommerce order): no request goes
// unannounced and no email or note announces a request that was rolled back.
func (p *Pages) addAction(ctx context.Context, act *storage.CustomerAction) error {
	writeBack, err := p.writeBack.ShopifyWritesBack(ctx, act)
	if err != nil {
		return err
	}
	return p.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.CreateCustomerAction(ctx, act); err != nil {
			return err
		}
		if err := p.notifier.EnqueueMerchantNotice(ctx, tx, act.ID); err != nil {
			return err
		}
		if writeBack {
			return p.writeBack.EnqueueOrderWriteback(ctx, tx, act.ID)
		}
		return p.writeBack.EnqueueWooActionNote(ctx, tx, act)
	})
}

// pageRequests lists what the shopper already asked about a shipment, so
// the tracking page can show it reached the store.
func pageRequests(acts []storage.CustomerAction) []trackpage.Request {
	out := make([]trackpage.Request, 0, len(acts))
	for _, act := range acts {
		r := trackpage.Request{Kind: trackpage.ActionKind(act.Kind), At: act.CreatedAt, Note: act.Details.V[tracking.DetailNote]}
		if d, err := time.Parse(time.DateOnly, act.Details.V[trackpage.FieldDate]); err == nil {
			r.Date = d
		}
		out = append(out, r)
	}
	return out
}
