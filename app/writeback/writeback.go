// Package writeback tells the stores what ordertrack learned: carrier
// statuses as Shopify fulfillment events and WooCommerce order notes, and
// shoppers' requests as Shopify order tags and notes (an address
// correction replaces the shipping address) or WooCommerce order notes.
// Every write is a job enqueued in the transaction that stores the change
// it reports, so it is written exactly when the change is.
package writeback

import (
	"context"
	"log/slog"
	"time"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// Deps are what a Writer works with.
type Deps struct {
	DB      *storage.DB
	Jobs    *jobs.Client
	Log     *slog.Logger
	Now     func() time.Time
	Shopify *platform.Shopify // nil without SHOPIFY_API_KEY
	Woo     platform.Woo
	// TrackingURL is a shipment's tracking page by its public token.
	TrackingURL func(publicToken string) string
}

// Writer enqueues and runs the write-backs to the stores.
type Writer struct {
	db      *storage.DB
	jobs    *jobs.Client
	log     *slog.Logger
	now     func() time.Time
	shopify *platform.Shopify
	woo     platform.Woo

	trackingURL func(publicToken string) string
}

// New builds a Writer.
func New(d Deps) *Writer {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Writer{db: d.DB, jobs: d.Jobs, log: d.Log, now: d.Now, shopify: d.Shopify, woo: d.Woo, trackingURL: d.TrackingURL}
}

// ShipmentChanged queues, in tx, telling the shipment's store about the
// triggers that fired: a WooCommerce order note per trigger, or a Shopify
// fulfillment event with the new status.
func (w *Writer) ShipmentChanged(ctx context.Context, tx *storage.Tx, shipmentID int64, fired []tracking.Fired) error {
	if err := w.EnqueueWooNotes(ctx, tx, shipmentID, fired); err != nil {
		return err
	}
	return w.EnqueueFulfillmentEvent(ctx, tx, shipmentID)
}
