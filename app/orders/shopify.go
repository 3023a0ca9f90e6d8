package orders

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// processShopify applies one stored Shopify webhook. Parse failures are
// jobs.ErrMalformed (kept as failed, replayable); anything else is retried.
func (s *Syncer) processShopify(ctx context.Context, d *storage.WebhookDelivery) error {
	shop, err := s.db.ShopByDomain(ctx, storage.Shopify, d.ShopDomain)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("%w: unknown shop %q", jobs.ErrMalformed, d.ShopDomain)
	}
	if err != nil {
		return err
	}
	d.ShopID = &shop.ID
	switch d.Topic {
	case shopify.TopicOrdersCreate, shopify.TopicOrdersUpdated, shopify.TopicOrdersCancelled:
		o, err := shopify.DecodeOrder(d.Payload)
		if err != nil {
			return malformed(err)
		}
		refused, err := s.SyncShopifyOrder(ctx, shop, o)
		d.Note = refusalNote(refused)
		return err
	case shopify.TopicFulfillmentsCreate, shopify.TopicFulfillmentsUpdate:
		f, err := shopify.DecodeFulfillment(d.Payload)
		if err != nil {
			return malformed(err)
		}
		refused, err := s.syncShopifyFulfillment(ctx, shop, f)
		d.Note = refusalNote(refused)
		return err
	case shopify.TopicAppUninstalled:
		if _, err := shopify.DecodeUninstalled(d.Payload); err != nil {
			return malformed(err)
		}
		return s.db.Uninstall(ctx, shop.ID)
	case shopify.TopicShopRedact:
		if _, err := shopify.DecodeShopRedact(d.Payload); err != nil {
			return malformed(err)
		}
		d.ShopID = nil // the delivery row goes with the shop
		return s.db.DeleteShop(ctx, shop.ID)
	case shopify.TopicCustomersRedact:
		r, err := shopify.DecodeCustomerRedact(d.Payload)
		if err != nil {
			return malformed(err)
		}
		ids := make([]string, len(r.OrdersToRedact))
		for i, id := range r.OrdersToRedact {
			ids[i] = shopify.GID("Order", id)
		}
		return s.db.RedactCustomer(ctx, shop.ID, r.Customer.Email, r.Customer.Phone, ids)
	case shopify.TopicCustomersDataRequest:
		r, err := shopify.DecodeDataRequest(d.Payload)
		if err != nil {
			return malformed(err)
		}
		return s.data.ExportCustomerData(ctx, shop, r.Customer.Email, r.Customer.Phone)
	default:
		return malformed(fmt.Errorf("unhandled topic %q", d.Topic))
	}
}

// SyncShopifyOrder stores an order and its fulfillments' tracking numbers,
// up to the per-fulfillment limit; it returns what it refused.
func (s *Syncer) SyncShopifyOrder(ctx context.Context, shop *storage.Shop, o shopify.Order) ([]Refusal, error) {
	var parcels []Parcel
	for _, f := range o.Fulfillments {
		parcels = append(parcels, fulfillmentParcels(f)...)
	}
	parcels, refused := s.boundParcels(shop, parcels, byFulfillment)
	return refused, s.SyncOrder(ctx, shop, shopifyOrder(o), parcels)
}

// syncShopifyFulfillment adds a fulfillment's tracking numbers to its order.
// A fulfillment can arrive before its order: then the order is fetched from
// Shopify when the shop has a token, else the delivery is retried (with
// backoff) until orders/create has been processed. Tracking numbers over
// the per-fulfillment limit are refused and returned.
func (s *Syncer) syncShopifyFulfillment(ctx context.Context, shop *storage.Shop, f shopify.Fulfillment) ([]Refusal, error) {
	o, err := s.db.OrderByPlatformID(ctx, shop.ID, f.OrderID)
	if errors.Is(err, storage.ErrNotFound) {
		fetched, ferr := s.fetchShopifyOrder(ctx, shop, f.OrderID)
		if ferr != nil {
			return nil, ferr
		}
		if fetched {
			o, err = s.db.OrderByPlatformID(ctx, shop.ID, f.OrderID)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("fulfillment %s before its order %s: %w", f.ID, f.OrderID, err)
	}
	parcels, refused := s.boundParcels(shop, fulfillmentParcels(f), byFulfillment)
	return refused, s.db.InTx(ctx, func(tx *storage.Tx) error {
		for _, p := range parcels {
			if err := s.addParcel(ctx, tx, shop, o, p); err != nil {
				return err
			}
		}
		return nil
	})
}

func fulfillmentParcels(f shopify.Fulfillment) []Parcel {
	if f.Status == "CANCELLED" || f.Status == "ERROR" || f.Status == "FAILURE" {
		return nil
	}
	out := make([]Parcel, 0, len(f.Tracking))
	for _, t := range f.Tracking {
		out = append(out, Parcel{FulfillmentID: f.ID, Company: t.Company, Number: t.Number, URL: t.URL})
	}
	return out
}

func shopifyOrder(o shopify.Order) *storage.Order {
	name := strings.TrimSpace(o.Customer.FirstName + " " + o.Customer.LastName)
	if name == "" {
		name = o.ShippingAddress.Name
	}
	so := &storage.Order{
		PlatformID: o.ID, Name: o.Name, Email: o.ContactEmail(), Phone: o.ContactPhone(), CustomerName: name, CustomerID: o.Customer.ID,
		Locale: o.Locale, Country: o.ShippingAddress.CountryCode, Currency: o.Currency, Total: o.Total, COD: o.COD,
		Timezone: tracking.DestinationZone(o.ShippingAddress.CountryCode, o.ShippingAddress.ProvinceCode),
		ShippingAddress: storage.JSON[storage.Address]{V: storage.Address{
			Name: o.ShippingAddress.Name, Address1: o.ShippingAddress.Address1, Address2: o.ShippingAddress.Address2,
			City: o.ShippingAddress.City, Region: o.ShippingAddress.ProvinceCode, PostalCode: o.ShippingAddress.Zip,
			Country: o.ShippingAddress.CountryCode,
		}},
	}
	for _, li := range o.LineItems {
		so.LineItems.V = append(so.LineItems.V, storage.LineItem{Title: li.Title, Variant: li.VariantTitle, Quantity: li.Quantity, Price: li.Price, ImageURL: li.ImageURL})
	}
	if !o.CreatedAt.IsZero() {
		so.CreatedAt = o.CreatedAt.UTC() // the page's "placed on", not when we first stored it
	}
	if !o.UpdatedAt.IsZero() {
		t := o.UpdatedAt.UTC()
		so.PlatformUpdatedAt = &t
	}
	if !o.CancelledAt.IsZero() {
		t := o.CancelledAt.UTC()
		so.CancelledAt = &t
	}
	return so
}
