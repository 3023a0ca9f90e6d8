package jobs

import (
	"time"

	"github.com/riverqueue/river"
)

// ShopifyBackfillArgs pulls a freshly installed shop's recent orders (the
// last 60 days) into orders and shipments.
type ShopifyBackfillArgs struct {
	ShopID int64 `json:"shop_id"`
}

// Kind implements river.JobArgs.
func (ShopifyBackfillArgs) Kind() string { return "shopify_backfill" }

// InsertOpts keeps one backfill per shop while one is pending or running; a
// reinstall after it finished backfills again.
func (ShopifyBackfillArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}}
}

// ShopifyReconcileArgs is the periodic tick that enqueues a reconcile per
// installed Shopify shop, catching orders whose webhooks never arrived.
type ShopifyReconcileArgs struct{}

// Kind implements river.JobArgs.
func (ShopifyReconcileArgs) Kind() string { return "shopify_reconcile" }

// InsertOpts keeps at most one pending tick.
func (ShopifyReconcileArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}}
}

// ShopifyReconcileShopArgs syncs one shop's orders updated since its last sync.
type ShopifyReconcileShopArgs struct {
	ShopID int64 `json:"shop_id"`
}

// Kind implements river.JobArgs.
func (ShopifyReconcileShopArgs) Kind() string { return "shopify_reconcile_shop" }

// InsertOpts: one per shop while pending; a failed one waits for the next tick.
func (ShopifyReconcileShopArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending, ByPeriod: 30 * time.Minute}}
}

// ShopifyFulfillmentEventArgs writes one status of a shipment back to its
// Shopify fulfillment (fulfillmentEventCreate), so Shopify's order status
// page and shipping emails agree with the tracking page.
type ShopifyFulfillmentEventArgs struct {
	ShipmentID int64  `json:"shipment_id"`
	Status     string `json:"status"` // a shopify.EventStatus
}

// Kind implements river.JobArgs.
func (ShopifyFulfillmentEventArgs) Kind() string { return "shopify_fulfillment_event" }

// InsertOpts writes each status once per shipment: unique by arguments
// across River's default states, completed included.
func (ShopifyFulfillmentEventArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 8, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ShopifyTrackingLinkArgs points a shipment's Shopify fulfillment's
// tracking URL at URL, its tracking page (fulfillmentTrackingInfoUpdate).
type ShopifyTrackingLinkArgs struct {
	ShipmentID int64  `json:"shipment_id"`
	URL        string `json:"url"`
}

// Kind implements river.JobArgs.
func (ShopifyTrackingLinkArgs) Kind() string { return "shopify_tracking_link" }

// InsertOpts writes each link once per shipment: unique by arguments
// across River's default states, completed included, so the
// fulfillments/update our own write causes never writes it again.
func (ShopifyTrackingLinkArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 8, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ShopifyTrackingLinksArgs points the tracking links of every fulfillment
// a shop has in tracking at the tracking page, once the merchant opts in.
type ShopifyTrackingLinksArgs struct {
	ShopID int64 `json:"shop_id"`
}

// Kind implements river.JobArgs.
func (ShopifyTrackingLinksArgs) Kind() string { return "shopify_tracking_links" }

// InsertOpts keeps one pending sweep per shop.
func (ShopifyTrackingLinksArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}}
}

// ShopIdentityArgs reads who the merchant is from their platform (name,
// owner address, zone, currency, language, plan) after an install or a
// connect.
type ShopIdentityArgs struct {
	ShopID int64 `json:"shop_id"`
}

// Kind implements river.JobArgs.
func (ShopIdentityArgs) Kind() string { return "shop_identity" }

// InsertOpts keeps one pending read per shop.
func (ShopIdentityArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}}
}

// ProductImagesArgs reads the images of ordered variants or products
// (Shopify GIDs) whose image is not cached: order webhooks carry none.
type ProductImagesArgs struct {
	ShopID   int64    `json:"shop_id"`
	Products []string `json:"products"`
}

// Kind implements river.JobArgs.
func (ProductImagesArgs) Kind() string { return "product_images" }

// InsertOpts: the same products are fetched once while pending (a burst of
// webhooks for one order enqueues one read).
func (ProductImagesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}}
}
