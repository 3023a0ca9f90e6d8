package jobs

import (
	"github.com/riverqueue/river"
)

// WooTickArgs is the periodic tick that fans out reconcile and webhook
// checks to every connected WooCommerce store.
type WooTickArgs struct{}

// Kind implements river.JobArgs.
func (WooTickArgs) Kind() string { return "woo_tick" }

// InsertOpts keeps at most one pending tick.
func (WooTickArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}, MaxAttempts: 3}
}

// WooWebhooksArgs makes sure a store's webhooks exist and are enabled:
// WooCommerce disables a webhook after 5 failed deliveries and never
// re-enables it.
type WooWebhooksArgs struct {
	ShopID int64 `json:"shop_id"`
}

// Kind implements river.JobArgs.
func (WooWebhooksArgs) Kind() string { return "woo_webhooks" }

// InsertOpts: one pending check per shop.
func (WooWebhooksArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}, MaxAttempts: 8}
}

// WooReconcileArgs fetches a store's orders modified since the last
// reconcile, catching deliveries WooCommerce dropped (it never retries) and
// tracking saved without an order.updated webhook.
type WooReconcileArgs struct {
	ShopID int64 `json:"shop_id"`
}

// Kind implements river.JobArgs.
func (WooReconcileArgs) Kind() string { return "woo_reconcile" }

// InsertOpts: one pending reconcile per shop.
func (WooReconcileArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}, MaxAttempts: 5}
}

// WooNoteArgs writes one order note back to the store.
type WooNoteArgs struct {
	ShopID  int64  `json:"shop_id"`
	OrderID int64  `json:"order_id"` // storage order id
	Note    string `json:"note"`
}

// Kind implements river.JobArgs.
func (WooNoteArgs) Kind() string { return "woo_note" }

// InsertOpts dedupes an identical pending note and retries the store's API
// with backoff.
func (WooNoteArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}, MaxAttempts: 10}
}
