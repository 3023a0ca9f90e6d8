package writeback

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/storage"
)

// EnqueueWooNotes queues a private order note per fired trigger, inside the
// transaction that fired them, when the shipment's shop is on WooCommerce.
func (w *Writer) EnqueueWooNotes(ctx context.Context, tx *storage.Tx, shipmentID int64, fired []tracking.Fired) error {
	s, woo, err := tx.WooShipment(ctx, shipmentID)
	if err != nil || !woo {
		return err
	}
	for _, f := range fired {
		what := locale.Merchant().MerchantTrigger(f.Trigger)
		note := fmt.Sprintf("ordertrack: %s %s: %s.", registry.Name(s.Carrier, s.CarrierCompany), s.TrackingNumber, what)
		if _, err := w.jobs.InsertTx(ctx, tx.SQL(), jobs.WooNoteArgs{ShopID: s.ShopID, OrderID: s.OrderID, Note: note}, nil); err != nil {
			return fmt.Errorf("enqueue order note for %s: %w", f.Key, err)
		}
	}
	return nil
}

// EnqueueWooActionNote queues, in the transaction that stores act, a private
// order note telling a WooCommerce merchant what the shopper asked for: the
// note commits, or rolls back, with the request. Requests about shipments of
// other platforms, or about no shipment, have none.
func (w *Writer) EnqueueWooActionNote(ctx context.Context, tx *storage.Tx, act *storage.CustomerAction) error {
	if act.ShipmentID == nil {
		return nil
	}
	s, woo, err := tx.WooShipment(ctx, *act.ShipmentID)
	if err != nil || !woo {
		return err
	}
	note := wooActionNote(s, act.Kind, act.Source, act.Details.V)
	if _, err := w.jobs.InsertTx(ctx, tx.SQL(), jobs.WooNoteArgs{ShopID: s.ShopID, OrderID: s.OrderID, Note: note}, nil); err != nil {
		return fmt.Errorf("enqueue order note for shopper action on shipment %d: %w", s.ID, err)
	}
	return nil
}

// wooActionNote is the private order note for a shopper's request: the
// sentence every merchant text uses, the parcel, then the details one per
// line.
func wooActionNote(s *storage.Shipment, kind, source string, details map[string]string) string {
	c := locale.Merchant()
	keys := make([]string, 0, len(details))
	for k := range details {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "ordertrack: %s %s (%s %s).", c.T("merchant.shopper"), c.MerchantAction(kind, source),
		registry.Name(s.Carrier, s.CarrierCompany), s.TrackingNumber)
	for _, k := range keys {
		fmt.Fprintf(&b, "\n%s: %s", k, details[k])
	}
	return b.String()
}

// WooNote writes one note to the store. A deleted order or revoked keys
// cancel the job; other failures retry with River's backoff.
func (w *Writer) WooNote(ctx context.Context, job *river.Job[jobs.WooNoteArgs]) error {
	shop, err := w.woo.JobShop(ctx, job.Args.ShopID)
	if err != nil {
		return err
	}
	o, err := w.db.OrderByID(ctx, job.Args.OrderID)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && o.ShopID != shop.ID) {
		return river.JobCancel(fmt.Errorf("order %d of shop %d: %w", job.Args.OrderID, shop.ID, storage.ErrNotFound))
	}
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(o.PlatformID, 10, 64)
	if err != nil {
		return river.JobCancel(fmt.Errorf("order %d has no WooCommerce id: %w", o.ID, err))
	}
	cl, _, err := w.woo.Client(ctx, shop)
	if err != nil {
		return err
	}
	_, err = cl.AddOrderNote(ctx, id, job.Args.Note, false)
	if errors.Is(err, woocommerce.ErrNotFound) {
		return river.JobCancel(err)
	}
	return platform.WooJobError(err)
}
