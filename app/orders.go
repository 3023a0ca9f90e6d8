package app

import (
	"context"
	"strings"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/detect"
	"github.com/ordertrack/ordertrack/storage"
)

// parcel is one tracking number a store reported for an order.
type parcel struct {
	FulfillmentID string
	Company       string // the store's free-text carrier name
	Number        string
	URL           string
}

// syncOrder is the platform-neutral half of order ingest: upsert the order
// (stale updates change nothing), create a shipment per new tracking number
// with its carrier resolved, schedule its first poll, and fire "shipped".
func (a *App) syncOrder(ctx context.Context, shop *storage.Shop, o *storage.Order, parcels []parcel) error {
	return a.db.InTx(ctx, func(tx *storage.Tx) error {
		o.ShopID = shop.ID
		stale, err := tx.UpsertOrder(ctx, o)
		if err != nil || stale {
			return err
		}
		for _, p := range parcels {
			if err := a.addParcel(ctx, tx, shop, o, p); err != nil {
				return err
			}
		}
		return nil
	})
}

func (a *App) addParcel(ctx context.Context, tx *storage.Tx, shop *storage.Shop, o *storage.Order, p parcel) error {
	number := detect.Normalize(p.Number)
	if number == "" {
		return nil
	}
	carrier, service := resolveCarrier(number, p.Company)
	now := a.now().UTC()
	addr := o.ShippingAddress.V
	s := &storage.Shipment{
		ShopID: shop.ID, OrderID: o.ID, PlatformFulfillmentID: p.FulfillmentID, Carrier: carrier, Service: service,
		CarrierCompany: p.Company, TrackingNumber: number, TrackingURL: p.URL, Stage: string(tracking.StagePacked),
		DestCountry: addr.Country, DestRegion: tracking.Region(addr.Country, addr.Region), NextPollAt: &now,
	}
	created, err := tx.UpsertShipment(ctx, s)
	if err != nil || !created {
		return err
	}
	fired, err := tx.Shop(s.ShopID).FireTriggers(ctx, s.ID, []tracking.Fired{{Trigger: tracking.TriggerShipped, Key: string(tracking.TriggerShipped), At: now}})
	if err != nil {
		return err
	}
	return a.enqueueNotifyOn(ctx, tx, a.notifyPaces.queue(shop.Domain, len(fired), now), s.ID, fired)
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
