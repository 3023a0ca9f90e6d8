package orders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/egress"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/storage"
)

const (
	// WooTickEvery paces the reconcile and webhook checks per store.
	WooTickEvery = 10 * time.Minute
	// wooReconcileOverlap re-reads orders just before the cursor: WooCommerce
	// coalesces updates for up to 10 minutes and store clocks drift.
	wooReconcileOverlap = 15 * time.Minute
	// wooFirstLookback is how far back a store's first reconcile reads, so
	// orders already in flight when the merchant connects get tracked.
	wooFirstLookback = 14 * 24 * time.Hour
)

// processWoo applies one stored WooCommerce webhook. Parse failures and
// revoked keys are jobs.ErrMalformed (kept failed, replayable); anything else is
// retried.
func (s *Syncer) processWoo(ctx context.Context, d *storage.WebhookDelivery) error {
	shop, err := s.db.ShopByDomain(ctx, storage.WooCommerce, d.ShopDomain)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("%w: unknown shop %q", jobs.ErrMalformed, d.ShopDomain)
	}
	if err != nil {
		return err
	}
	d.ShopID = &shop.ID
	switch d.Topic {
	case woocommerce.TopicOrderCreated, woocommerce.TopicOrderUpdated:
		o, err := woocommerce.DecodeOrder(d.Payload)
		if err != nil {
			return malformed(err)
		}
		refused, err := s.syncWooOrder(ctx, shop, o)
		d.Note = refusalNote(refused)
		return err
	case woocommerce.TopicOrderDeleted:
		id, err := woocommerce.DecodeDeleted(d.Payload)
		if err != nil {
			return malformed(err)
		}
		platformID := strconv.FormatInt(id, 10)
		err = s.db.CancelOrder(ctx, shop.ID, platformID, s.now())
		if errors.Is(err, storage.ErrNotFound) {
			return nil // never ingested: nothing to cancel
		}
		if err != nil {
			return err
		}
		// A deleted order is a cancelled one: its parcels stop too.
		return s.db.InTx(ctx, func(tx *storage.Tx) error {
			o, err := tx.OrderByPlatformID(ctx, shop.ID, platformID)
			if err != nil {
				return err
			}
			return s.stopIfOver(ctx, tx, shop, o, false)
		})
	case woocommerce.TopicTrackingUpdated:
		act, err := woocommerce.DecodeAction(d.Payload)
		if err != nil {
			return malformed(err)
		}
		id, err := act.OrderID()
		if err != nil {
			return malformed(err)
		}
		cl, _, err := s.woo.Client(ctx, shop)
		if err != nil {
			return err
		}
		o, err := cl.GetOrder(ctx, id)
		switch {
		case errors.Is(err, woocommerce.ErrNotFound):
			return nil // deleted since; order.deleted handles it
		case errors.Is(err, woocommerce.ErrUnauthorized), errors.Is(err, egress.ErrRefused):
			return malformed(err) // replay after the merchant reconnects
		case err != nil:
			return err
		}
		refused, err := s.syncWooOrder(ctx, shop, o)
		d.Note = refusalNote(refused)
		return err
	default:
		return malformed(fmt.Errorf("unhandled topic %q", d.Topic))
	}
}

// syncWooOrder stores an order and its tracking numbers, up to the limit
// per fulfillment (a WooCommerce order's tracking items count as one); it
// returns what it refused.
func (s *Syncer) syncWooOrder(ctx context.Context, shop *storage.Shop, o woocommerce.Order) ([]Refusal, error) {
	parcels := make([]Parcel, 0, len(o.Tracking))
	for _, t := range o.Tracking {
		company := t.ProviderName
		if company == "" {
			company = t.Provider
		}
		p := Parcel{FulfillmentID: t.ID, Company: company, Number: t.Number, URL: t.URL}
		if t.Return {
			p.Kind = storage.KindReturn
		}
		parcels = append(parcels, p)
	}
	order := fmt.Sprintf("order %d", o.ID)
	parcels, refused := s.boundParcels(shop, parcels, func(Parcel) string { return order })
	// The tracking rows are the order's whole list: a row the merchant
	// deleted retires its shipment.
	if err := s.Apply(ctx, shop, Change{
		Order: wooOrder(shop, o), Fulfillments: []Fulfillment{{Parcels: parcels}}, Refunded: o.Status == "refunded",
	}); err != nil {
		return refused, err
	}
	return refused, s.recordWooConsent(ctx, shop, o)
}

func wooOrder(shop *storage.Shop, o woocommerce.Order) *storage.Order {
	ship, bill := o.Shipping, o.Billing
	if ship.Address1 == "" && ship.Country == "" {
		ship = bill // virtual or same-as-billing orders leave shipping empty
	}
	name := strings.TrimSpace(ship.FirstName + " " + ship.LastName)
	if billName := strings.TrimSpace(bill.FirstName + " " + bill.LastName); billName != "" {
		name = billName
	}
	phone := bill.Phone
	if phone == "" {
		phone = o.Shipping.Phone
	}
	so := &storage.Order{
		PlatformID: strconv.FormatInt(o.ID, 10), Name: "#" + o.Number, Email: bill.Email, Phone: phone, CustomerName: name,
		Country: ship.Country, Currency: o.Currency, Total: o.Total, Timezone: tracking.DestinationZone(ship.Country, ship.State),
		COD: o.COD || slices.Contains(shop.Settings.V.CODGateways, o.PaymentMethod),
		ShippingAddress: storage.JSON[storage.Address]{V: storage.Address{
			Name: strings.TrimSpace(ship.FirstName + " " + ship.LastName), Address1: ship.Address1, Address2: ship.Address2,
			City: ship.City, Region: ship.State, PostalCode: ship.Postcode, Country: ship.Country,
		}},
	}
	for _, li := range o.LineItems {
		so.LineItems.V = append(so.LineItems.V, storage.LineItem{ID: strconv.FormatInt(li.ID, 10), Title: li.Name, Quantity: li.Quantity})
	}
	if len(o.ShippingLines) > 0 {
		so.ShippingMethod = o.ShippingLines[0].MethodTitle
	}
	if !o.DateCreated.IsZero() {
		so.CreatedAt = o.DateCreated.UTC() // the page's "placed on", not when we first stored it
	}
	if !o.DateModified.IsZero() {
		t := o.DateModified.UTC()
		so.PlatformUpdatedAt = &t
	}
	if o.Status == "cancelled" || o.Status == "trash" {
		t := o.DateModified.UTC()
		so.CancelledAt = &t
	}
	return so
}

// WooTick fans out per-store work; each store's jobs are unique while
// pending, so a slow store never piles up.
func (s *Syncer) WooTick(ctx context.Context, _ *river.Job[jobs.WooTickArgs]) error {
	stores, err := s.db.ActiveWooStores(ctx)
	if err != nil {
		return err
	}
	for _, ws := range stores {
		if _, err := s.jobs.Insert(ctx, jobs.WooWebhooksArgs{ShopID: ws.ShopID}, nil); err != nil {
			return fmt.Errorf("enqueue webhook check of shop %d: %w", ws.ShopID, err)
		}
		if _, err := s.jobs.Insert(ctx, jobs.WooReconcileArgs{ShopID: ws.ShopID}, nil); err != nil {
			return fmt.Errorf("enqueue reconcile of shop %d: %w", ws.ShopID, err)
		}
	}
	return nil
}

// Backoff of a store's periodic jobs while its address is refused: the
// address changes only when the merchant fixes it, so the 10-minute tick
// must not try it every time.
const (
	wooRefusedFirst = time.Hour
	wooRefusedLimit = 24 * time.Hour
)

// snoozeOnRefused puts off a store's periodic job while its address is
// refused. The snoozed job stays pending, so the tick adds no copy of it;
// revoked keys still cancel.
func (s *Syncer) snoozeOnRefused(job *rivertype.JobRow, shopID int64, err error) error {
	if !errors.Is(err, egress.ErrRefused) {
		return platform.WooJobError(err)
	}
	d, snooze := jobs.SnoozeDoubling(job, wooRefusedFirst, wooRefusedLimit)
	s.log.Warn("woocommerce store address refused; the merchant must reconnect with a public https address", "shop", shopID, "job", job.Kind, "retry_in", d, "err", err)
	return snooze
}

// WooWebhooks creates missing webhooks and re-enables disabled ones.
func (s *Syncer) WooWebhooks(ctx context.Context, job *river.Job[jobs.WooWebhooksArgs]) error {
	shop, err := s.woo.JobShop(ctx, job.Args.ShopID)
	if err != nil {
		return err
	}
	cl, ws, err := s.woo.Client(ctx, shop)
	if err != nil {
		return err
	}
	sec, err := s.db.Secrets(shop)
	if err != nil {
		return err
	}
	sync, err := cl.EnsureWebhooks(ctx, "ordertrack", s.appURL+"/webhooks/woocommerce/"+ws.ShopKey, sec.WebhookSecret)
	if err != nil {
		return s.snoozeOnRefused(job.JobRow, shop.ID, err)
	}
	if len(sync.Created)+len(sync.Reenabled) > 0 {
		s.log.Info("woocommerce webhooks repaired", "shop", shop.ID, "created", len(sync.Created), "reenabled", len(sync.Reenabled))
	}
	if len(sync.Paused) > 0 {
		topics := make([]string, len(sync.Paused))
		for i, w := range sync.Paused {
			topics[i] = w.Topic
		}
		s.log.Warn("woocommerce webhooks paused by the merchant; relying on reconcile", "shop", shop.ID, "topics", topics)
	}
	return s.db.SetWooWebhookHealth(ctx, shop.ID, len(sync.Paused))
}

// WooReconcile reads orders modified since the cursor (minus an overlap) and
// syncs them; stale copies change nothing, so re-reading is safe.
func (s *Syncer) WooReconcile(ctx context.Context, job *river.Job[jobs.WooReconcileArgs]) error {
	shop, err := s.woo.JobShop(ctx, job.Args.ShopID)
	if err != nil {
		return err
	}
	cl, ws, err := s.woo.Client(ctx, shop)
	if err != nil {
		return err
	}
	since := s.now().Add(-wooFirstLookback)
	var through time.Time
	if ws.ReconciledThrough != nil {
		through = ws.ReconciledThrough.UTC()
		since = through.Add(-wooReconcileOverlap)
	}
	orders, err := cl.OrdersModifiedAfter(ctx, since)
	if err != nil {
		return s.snoozeOnRefused(job.JobRow, shop.ID, err)
	}
	newest := through
	for _, o := range orders {
		if _, err := s.syncWooOrder(ctx, shop, o); err != nil { // a refusal is logged
			return fmt.Errorf("reconcile order %d of shop %d: %w", o.ID, shop.ID, err)
		}
		if o.DateModified.After(newest) {
			newest = o.DateModified
		}
	}
	if newest.After(through) {
		return s.db.SetWooCursor(ctx, shop.ID, newest)
	}
	return nil
}
