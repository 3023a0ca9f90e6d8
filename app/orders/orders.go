// Package orders syncs the stores' orders into shipments, the same way for
// every platform: stored webhook deliveries (Shopify, WooCommerce; carrier
// pushes are handed on), the Shopify backfill and reconcile, and the
// WooCommerce reconcile and webhook upkeep. A new tracking number becomes a
// shipment with its carrier resolved, its first poll due and "shipped"
// fired, in the transaction that stores it.
package orders

import (
	"context"
	"errors"
	"github.com/ordertrack/ordertrack/app/phone"
	"log/slog"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/detect"
	"github.com/ordertrack/ordertrack/storage"
)

// Notifier queues, in tx and on queue, the notifications a shipment's fired
// triggers send.
type Notifier interface {
	EnqueueOn(ctx context.Context, tx *storage.Tx, queue string, shipmentID int64, fired []tracking.Fired) error
}

// WriteBack queues, in tx, telling the shipment's store about the triggers
// that fired (a WooCommerce order note, a Shopify fulfillment event), and
// pointing the store's tracking link (storeURL) at the tracking page.
type WriteBack interface {
	ShipmentChanged(ctx context.Context, tx *storage.Tx, shipmentID int64, fired []tracking.Fired) error
	EnqueueTrackingLink(ctx context.Context, tx *storage.Tx, shop *storage.Shop, ship *storage.Shipment, storeURL string) error
}

// CarrierPushes applies a stored carrier push (a tracking update a carrier
// sent us) to the shipments with its number.
type CarrierPushes interface {
	ProcessPush(ctx context.Context, d *storage.WebhookDelivery) error
}

// Slots bounds how many of one shop's deliveries this machine processes at
// once, so one shop's flood leaves workers for every other shop.
type Slots interface {
	TakeSlot(shop string) (release func(), ok bool)
}

// Deps are what a Syncer works with.
type Deps struct {
	DB      *storage.DB
	Jobs    *jobs.Client
	Log     *slog.Logger
	Now     func() time.Time
	Shopify *platform.Shopify // nil without SHOPIFY_API_KEY
	Woo     platform.Woo
	// AppURL is where the stores' webhooks point.
	AppURL string
	// MaxParcelsPerFulfillment bounds the tracking numbers one fulfillment
	// brings; zero is DefaultMaxParcels.
	MaxParcelsPerFulfillment int

	Notifier      Notifier
	WriteBack     WriteBack // nil: the stores are not told
	CarrierPushes CarrierPushes
	Slots         Slots
}

// Syncer turns the stores' orders into shipments.
type Syncer struct {
	db          *storage.DB
	jobs        *jobs.Client
	log         *slog.Logger
	now         func() time.Time
	shopify     *platform.Shopify
	woo         platform.Woo
	appURL      string
	maxParcels  int
	notifier    Notifier
	writeBack   WriteBack
	pushes      CarrierPushes
	slots       Slots
	notifyPaces notifyPacer
}

// New builds a Syncer.
func New(d Deps) *Syncer {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.MaxParcelsPerFulfillment <= 0 {
		d.MaxParcelsPerFulfillment = DefaultMaxParcels
	}
	return &Syncer{
		db: d.DB, jobs: d.Jobs, log: d.Log, now: d.Now, shopify: d.Shopify, woo: d.Woo, appURL: d.AppURL,
		maxParcels: d.MaxParcelsPerFulfillment, notifier: d.Notifier, writeBack: d.WriteBack, pushes: d.CarrierPushes, slots: d.Slots,
	}
}

// Parcel is one tracking number a store reported for an order.
type Parcel struct {
	FulfillmentID string
	Company       string // the store's free-text carrier name
	Number        string
	URL           string
	Kind          string             // storage.KindDelivery or storage.KindReturn
	Items         []storage.LineItem // the order lines it carries, when the store says
}

// Fulfillment is one fulfillment's whole state as the store reports it:
// its parcels, or that it was cancelled. An empty ID means the parcels are
// the whole order's (WooCommerce keeps one list of tracking rows per order).
type Fulfillment struct {
	ID        string
	Cancelled bool // cancelled, failed or errored: it will never deliver
	// Return marks a return's parcels: each reverse delivery adds one, so
	// a number missing from one is not retired.
	Return    bool
	UpdatedAt time.Time
	Parcels   []Parcel
}

// Change is what a store says about an order, applied by Apply.
type Change struct {
	Order *storage.Order
	// Fulfillments are each fulfillment's newest state: a number missing
	// from its fulfillment is retired, a cancelled fulfillment ends its
	// parcels.
	Fulfillments []Fulfillment
	// RemovalsKnown says the order's line items carry Removed (the store
	// said how many of each are left); otherwise the stored counts stay.
	RemovalsKnown bool
	// Refunded says the store marks the whole order refunded: nothing more
	// will be delivered.
	Refunded bool
}

// SyncOrder upserts an order and adds parcels to it, retiring nothing:
// for callers that know only new numbers (the demo, backfills).
func (s *Syncer) SyncOrder(ctx context.Context, shop *storage.Shop, o *storage.Order, parcels []Parcel) error {
	// Numbers are kept in E.164, read in the shipping country; one that
	// cannot be dialled is kept as typed, and messaging records it as
	// invalid instead of sending to it.
	if e, err := phone.E164(o.Phone, o.Country); err == nil {
		o.Phone = e
	}
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		o.ShopID = shop.ID
		stale, err := tx.UpsertOrder(ctx, o)
		if err != nil || stale {
			return err
		}
		for _, p := range parcels {
			if err := s.addParcel(ctx, tx, shop, o, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// Apply is the platform-neutral half of order ingest, in one transaction:
// upsert the order (a stale copy changes nothing), bring each fulfillment
// to its newest state (stale ones change nothing), and stop tracking the
// order when it is cancelled or nothing is left to deliver. A new tracking
// number becomes a shipment with its carrier resolved, its first poll due
// and "shipped" fired.
func (s *Syncer) Apply(ctx context.Context, shop *storage.Shop, ch Change) error {
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		o := ch.Order
		o.ShopID = shop.ID
		if prev, err := tx.OrderByPlatformID(ctx, shop.ID, o.PlatformID); err == nil {
			o.LineItems.V = carryRemovals(prev.LineItems.V, o.LineItems.V, ch.RemovalsKnown)
		} else if !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		stale, err := tx.UpsertOrder(ctx, o)
		if err != nil || stale {
			return err
		}
		if o.Stopped == "" {
			for _, f := range ch.Fulfillments {
				if err := s.applyFulfillment(ctx, tx, shop, o, f); err != nil {
					return err
				}
			}
		}
		return s.stopIfOver(ctx, tx, shop, o, ch.Refunded)
	})
}

// carryRemovals keeps what single refunds and edits removed (and, unless
// the new copy says, what is left of each line) across a new copy of the
// order's lines, matched by line id.
func carryRemovals(prev, next []storage.LineItem, removalsKnown bool) []storage.LineItem {
	byID := make(map[string]storage.LineItem, len(prev))
	for _, li := range prev {
		if li.ID != "" {
			byID[li.ID] = li
		}
	}
	for i := range next {
		old, ok := byID[next[i].ID]
		if !ok {
			continue
		}
		next[i].Changes = old.Changes
		if !removalsKnown {
			next[i].Removed = old.Removed
		}
	}
	return next
}

// applyFulfillment brings one fulfillment's parcels to the state the store
// reports.
func (s *Syncer) applyFulfillment(ctx context.Context, tx *storage.Tx, shop *storage.Shop, o *storage.Order, f Fulfillment) error {
	if f.ID != "" {
		row := &storage.Fulfillment{ShopID: shop.ID, OrderID: o.ID, PlatformID: f.ID, Status: "active"}
		switch {
		case f.Cancelled:
			row.Status = storage.StopCancelled
		case f.Return:
			row.Status = "return"
		}
		if !f.UpdatedAt.IsZero() {
			t := f.UpdatedAt.UTC()
			row.PlatformUpdatedAt = &t
		}
		stale, err := tx.UpsertFulfillment(ctx, row)
		if err != nil || stale {
			return err
		}
	}
	active, err := tx.ActiveShipments(ctx, shop.ID, o.ID)
	if err != nil {
		return err
	}
	keep := make(map[string]bool, len(f.Parcels))
	if !f.Cancelled {
		for _, p := range f.Parcels {
			keep[detect.Normalize(p.Number)] = true
		}
	}
	var gone []int64
	for _, sh := range active {
		if (f.ID == "" || sh.PlatformFulfillmentID == f.ID) && !keep[sh.TrackingNumber] && (f.Cancelled || !f.Return) {
			gone = append(gone, sh.ID)
		}
	}
	reason := storage.EndReplaced
	if f.Cancelled {
		reason = storage.StopCancelled
	}
	if err := tx.EndShipments(ctx, shop.ID, gone, reason, s.now()); err != nil {
		return err
	}
	if f.Cancelled {
		return nil
	}
	for _, p := range f.Parcels {
		if err := s.addParcel(ctx, tx, shop, o, p); err != nil {
			return err
		}
	}
	return nil
}

// stopIfOver stops tracking the order when the store cancelled it or no
// item is left to deliver (refunded, or edited away): its parcels end, and
// a shopper who was told a parcel shipped hears once that it will not come.
func (s *Syncer) stopIfOver(ctx context.Context, tx *storage.Tx, shop *storage.Shop, o *storage.Order, refunded bool) error {
	reason := ""
	switch {
	case o.CancelledAt != nil:
		reason = storage.StopCancelled
	case refunded:
		reason = storage.StopRefunded
	case len(o.LineItems.V) > 0 && nothingLeft(o.LineItems.V):
		reason = storage.StopItemsRemoved
		if refundedAway(o.LineItems.V) {
			reason = storage.StopRefunded
		}
	default:
		return nil
	}
	now := s.now().UTC()
	if _, err := tx.StopOrder(ctx, o, reason, now); err != nil {
		return err
	}
	active, err := tx.ActiveShipments(ctx, shop.ID, o.ID)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(active))
	var told *storage.Shipment
	for i, sh := range active {
		if sh.Kind == storage.KindReturn {
			continue // a refund is how a return ends: the parcel back is still followed
		}
		ids = append(ids, sh.ID)
		if told != nil || tracking.Stage(sh.Stage).Terminal() {
			continue
		}
		shipped, err := tx.HasTrigger(ctx, sh.ID, string(tracking.TriggerShipped))
		if err != nil {
			return err
		}
		if shipped {
			told = &active[i]
		}
	}
	if err := tx.EndShipments(ctx, shop.ID, ids, reason, now); err != nil {
		return err
	}
	if told == nil {
		return nil
	}
	fired, err := tx.Shop(shop.ID).FireTriggers(ctx, told.ID, []tracking.Fired{{Trigger: tracking.TriggerCancelled, Key: string(tracking.TriggerCancelled), At: now}})
	if err != nil {
		return err
	}
	return s.tell(ctx, tx, shop, told.ID, fired, now)
}

func nothingLeft(items []storage.LineItem) bool {
	for _, li := range items {
		if li.Left() > 0 {
			return false
		}
	}
	return true
}

func refundedAway(items []storage.LineItem) bool {
	for _, li := range items {
		for k := range li.Changes {
			if strings.HasPrefix(k, "refund:") {
				return true
			}
		}
	}
	return false
}

func (s *Syncer) addParcel(ctx context.Context, tx *storage.Tx, shop *storage.Shop, o *storage.Order, p Parcel) error {
	number := detect.Normalize(p.Number)
	if number == "" {
		return nil
	}
	carrier, service := resolveCarrier(number, p.Company, o.ShippingAddress.V.Country)
	now := s.now().UTC()
	addr := o.ShippingAddress.V
	carrierURL := p.URL
	if s.appURL != "" && strings.HasPrefix(carrierURL, strings.TrimRight(s.appURL, "/")+"/t/") {
		carrierURL = "" // the store links to our page (we pointed it there): the page links the carrier's own
	}
	ship := &storage.Shipment{
		ShopID: shop.ID, OrderID: o.ID, PlatformFulfillmentID: p.FulfillmentID, Carrier: carrier, Service: service,
		CarrierCompany: p.Company, TrackingNumber: number, TrackingURL: carrierURL, Stage: string(tracking.StagePacked),
		DestCountry: addr.Country, DestRegion: tracking.Region(addr.Country, addr.Region), NextPollAt: &now,
		Kind: p.Kind, Items: storage.JSON[[]storage.LineItem]{V: p.Items},
	}
	created, err := tx.UpsertShipment(ctx, ship)
	if err != nil {
		return err
	}
	if s.writeBack != nil {
		if err := s.writeBack.EnqueueTrackingLink(ctx, tx, shop, ship, p.URL); err != nil {
			return err
		}
	}
	if !created {
		if ship.Ended == "" {
			return nil
		}
		// The store brought the number back (a fulfillment restored, a
		// number put back): track it again; its shopper was told before.
		return tx.ReviveShipment(ctx, ship, now)
	}
	first := tracking.TriggerShipped
	if ship.Kind == storage.KindReturn {
		first = tracking.TriggerReturnLabel
	}
	fired, err := tx.Shop(ship.ShopID).FireTriggers(ctx, ship.ID, []tracking.Fired{{Trigger: first, Key: string(first), At: now}})
	if err != nil {
		return err
	}
	return s.tell(ctx, tx, shop, ship.ID, fired, now)
}

// tell queues, in tx, the shopper's messages about the triggers that fired
// (on the bulk queue past the shop's pace) and the store's write-back.
func (s *Syncer) tell(ctx context.Context, tx *storage.Tx, shop *storage.Shop, shipmentID int64, fired []tracking.Fired, now time.Time) error {
	if len(fired) == 0 {
		return nil
	}
	if err := s.notifier.EnqueueOn(ctx, tx, s.notifyPaces.queue(shop.Domain, len(fired), now), shipmentID, fired); err != nil {
		return err
	}
	if s.writeBack == nil {
		return nil
	}
	return s.writeBack.ShipmentChanged(ctx, tx, shipmentID, fired)
}

// resolveCarrier names the carrier from the store's wording first (merchants
// pick it from a list), else from the number's format and check digit.
func resolveCarrier(number, company, country string) (carrier, service string) {
	if strings.HasPrefix(number, "SIM") {
		return "sim", ""
	}
	cands := detect.DetectWith(number, detect.Hints{Company: company, Country: country})
	if c, ok := detect.CarrierFromCompany(company); ok {
		for _, cand := range cands {
			if cand.Carrier == c {
				return c, cand.Service
			}
		}
		return c, ""
	}
	if len(cands) > 0 {
		return cands[0].Carrier, cands[0].Service
	}
	if company != "" {
		return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(company), " ", "_")), ""
	}
	return "unknown", ""
}
