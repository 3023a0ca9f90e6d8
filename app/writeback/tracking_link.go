package writeback

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// EnqueueTrackingLink queues, in tx, pointing ship's Shopify fulfillment's
// tracking URL at its tracking page, when the shop opted in and the store
// still shows another address (storeURL); the fulfillments/update our own
// write causes already shows ours, so it queues nothing.
func (w *Writer) EnqueueTrackingLink(ctx context.Context, tx *storage.Tx, shop *storage.Shop, ship *storage.Shipment, storeURL string) error {
	if w.trackingURL == nil || shop.Platform != storage.Shopify || !shop.Settings.V.ShopifyTrackingLinks ||
		ship.PlatformFulfillmentID == "" || ship.Ended != "" {
		return nil
	}
	url := w.trackingURL(ship.PublicToken)
	if storeURL == url {
		return nil
	}
	if _, err := w.jobs.InsertTx(ctx, tx.SQL(), jobs.ShopifyTrackingLinkArgs{ShipmentID: ship.ID, URL: url}, nil); err != nil {
		return fmt.Errorf("enqueue tracking link for shipment %d: %w", ship.ID, err)
	}
	return nil
}

// TrackingLinks queues the tracking link of every fulfillment the shop
// has in tracking, once the merchant opts in.
func (w *Writer) TrackingLinks(ctx context.Context, job *river.Job[jobs.ShopifyTrackingLinksArgs]) error {
	shop, err := w.db.ShopByID(ctx, job.Args.ShopID)
	if err != nil {
		return err
	}
	return w.db.InTx(ctx, func(tx *storage.Tx) error {
		ships, err := tx.ActiveFulfillmentShipments(ctx, shop.ID)
		if err != nil {
			return err
		}
		for i := range ships {
			if err := w.EnqueueTrackingLink(ctx, tx, shop, &ships[i], ships[i].TrackingURL); err != nil {
				return err
			}
		}
		return nil
	})
}

// TrackingLink points the shipment's Shopify fulfillment's tracking URL at
// its tracking page, keeping the carrier's numbers and company. A
// fulfillment with several parcels gets each parcel's own page.
func (w *Writer) TrackingLink(ctx context.Context, job *river.Job[jobs.ShopifyTrackingLinkArgs]) error {
	sh := w.shopify
	if sh == nil {
		return river.JobCancel(platform.ErrNoShopify)
	}
	s, shop, ok, err := w.activeShipment(ctx, job.Args.ShipmentID)
	if !ok || !shop.Settings.V.ShopifyTrackingLinks || s.Ended != "" {
		return err
	}
	var parcels []storage.Shipment
	err = w.db.InTx(ctx, func(tx *storage.Tx) error {
		parcels, err = tx.ActiveShipments(ctx, s.ShopID, s.OrderID)
		return err
	})
	if err != nil {
		return err
	}
	info := shopify.FulfillmentTracking{Company: s.CarrierCompany}
	for _, p := range parcels {
		if p.PlatformFulfillmentID == s.PlatformFulfillmentID {
			info.Numbers = append(info.Numbers, p.TrackingNumber)
			info.URLs = append(info.URLs, w.trackingURL(p.PublicToken))
		}
	}
	if err := sh.Client.UpdateFulfillmentTracking(ctx, shop.Domain, s.PlatformFulfillmentID, info); err != nil {
		err = fmt.Errorf("point tracking link of shipment %d at its page on %s: %w", s.ID, shop.Domain, err)
		w.log.Warn("tracking link not written", "shop", shop.Domain, "shipment", s.ID, "attempt", job.Attempt, "err", err)
		return platform.ShopifyJobError(job.Attempt, err)
	}
	return nil
}
