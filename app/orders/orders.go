// Package orders syncs the stores' orders into shipments, the same way for
// every platform: stored webhook deliveries (Shopify, WooCommerce; carrier
// pushes are handed on), the Shopify backfill and reconcile, and the
// WooCommerce reconcile and webhook upkeep. A new tracking number becomes a
// shipment with its carrier resolved, its first poll due and "shipped"
// fired, in the transaction that stores it.
package orders

import (
	"context"
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
	EnqueueNotifyOn(ctx context.Context, tx *storage.Tx, queue string, shipmentID int64, fired []tracking.Fired) error
}

// CarrierPushes applies a stored carrier push (a tracking update a carrier
// sent us) to the shipments with its number.
type CarrierPushes interface {
	ProcessCarrierPush(ctx context.Context, d *storage.WebhookDelivery) error
}

// Slots bounds how many of one shop's deliveries this machine processes at
// once, so one shop's flood leaves workers for every other shop.
type Slots interface {
	Acquire(shop string) (release func(), ok bool)
}

// CustomerData answers a Shopify customers/data_request.
type CustomerData interface {
	ExportCustomerData(ctx context.Context, shop *storage.Shop, email, phone string) error
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
	CarrierPushes CarrierPushes
	Slots         Slots
	CustomerData  CustomerData
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
	pushes      CarrierPushes
	slots       Slots
	data        CustomerData
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
		maxParcels: d.MaxParcelsPerFulfillment, notifier: d.Notifier, pushes: d.CarrierPushes, slots: d.Slots, data: d.CustomerData,
	}
}

// Parcel is one tracking number a store reported for an order.
type Parcel struct {
	FulfillmentID string
	Company       string // the store's free-text carrier name
	Number        string
	URL           string
}

// SyncOrder is the platform-neutral half of order ingest: upsert the order
// (stale updates change nothing), create a shipment per new tracking number
// with its carrier resolved, schedule its first poll, and fire "shipped".
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

func (s *Syncer) addParcel(ctx context.Context, tx *storage.Tx, shop *storage.Shop, o *storage.Order, p Parcel) error {
	number := detect.Normalize(p.Number)
	if number == "" {
		return nil
	}
	carrier, service := resolveCarrier(number, p.Company)
	now := s.now().UTC()
	addr := o.ShippingAddress.V
	ship := &storage.Shipment{
		ShopID: shop.ID, OrderID: o.ID, PlatformFulfillmentID: p.FulfillmentID, Carrier: carrier, Service: service,
		CarrierCompany: p.Company, TrackingNumber: number, TrackingURL: p.URL, Stage: string(tracking.StagePacked),
		DestCountry: addr.Country, DestRegion: tracking.Region(addr.Country, addr.Region), NextPollAt: &now,
	}
	created, err := tx.UpsertShipment(ctx, ship)
	if err != nil || !created {
		return err
	}
	fired, err := tx.Shop(ship.ShopID).FireTriggers(ctx, ship.ID, []tracking.Fired{{Trigger: tracking.TriggerShipped, Key: string(tracking.TriggerShipped), At: now}})
	if err != nil {
		return err
	}
	return s.notifier.EnqueueNotifyOn(ctx, tx, s.notifyPaces.queue(shop.Domain, len(fired), now), ship.ID, fired)
}

// resolveCarrier names the carrier from the store's wording first (merchants
// pick it from a list), else from the number's format and check digit.
func resolveCarrier(number, company string) (carrier, service string) {
	if strings.HasPrefix(number, "SIM") {
		return "sim", ""
	}
	cands := detect.Detect(number, company)
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
