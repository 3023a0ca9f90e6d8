package app

import (
	"context"
	"fmt"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/storage"
)

// Forwarders to app/shopper for code and tests still in package app; the
// lead removes them once their callers have moved.

func (a *App) recordAction(ctx context.Context, s *storage.Shipment, kind, source string, details map[string]string) error {
	return a.shopper.RecordAction(ctx, s, kind, source, details)
}

func (a *App) csrfToken(token string) string { return a.shopper.CSRFToken(token) }

func (a *App) unsubscribeURL(s *storage.Shipment, ch notify.Channel) string {
	return a.links.Unsubscribe(s.PublicToken, string(ch))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// shopperHooks hands app/shopper what a shopper's request triggers, while
// the merchant notice and the platform write-backs still live in app.
type shopperHooks struct{ a *App }

func (h shopperHooks) EnqueueMerchantNotice(ctx context.Context, tx *storage.Tx, actionID int64) error {
	if _, err := h.a.jobs.InsertTx(ctx, tx.SQL(), jobs.NotifyMerchantArgs{ActionID: actionID}, nil); err != nil {
		return fmt.Errorf("enqueue merchant notice: %w", err)
	}
	return nil
}

func (h shopperHooks) ShopifyWritesBack(ctx context.Context, act *storage.CustomerAction) (bool, error) {
	return h.a.shopifyWritesBack(ctx, act)
}

func (h shopperHooks) EnqueueOrderWriteback(ctx context.Context, tx *storage.Tx, actionID int64) error {
	return h.a.enqueueOrderWriteback(ctx, tx.SQL(), actionID)
}

func (h shopperHooks) EnqueueWooActionNote(ctx context.Context, tx *storage.Tx, act *storage.CustomerAction) error {
	return h.a.enqueueWooActionNote(ctx, tx, act)
}
