package jobs

import "github.com/riverqueue/river"

// ShopifyOrderWritebackArgs writes one shopper request back to its Shopify
// order: a tag and a note line for every request, and the new shipping
// address for an address correction, so the merchant sees it where they
// work and the address the label is printed from is the shopper's.
type ShopifyOrderWritebackArgs struct {
	ActionID int64 `json:"action_id"`
}

// Kind implements river.JobArgs.
func (ShopifyOrderWritebackArgs) Kind() string { return "shopify_order_writeback" }

// InsertOpts writes each request once; Shopify errors retry with River's
// backoff.
func (ShopifyOrderWritebackArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}, MaxAttempts: 10}
}
