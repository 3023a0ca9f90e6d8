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
	case shopify.TopicRefundsCreate:
		r, err := shopify.DecodeRefund(d.Payload)
		if err != nil {
			return malformed(err)
		}
		changes := make(map[string]int, len(r.Items))
		for _, it := range r.Items {
			changes[it.LineItemID] += it.Quantity
		}
		return s.removeItems(ctx, shop, r.OrderID, "refund:"+r.ID, changes)
	case shopify.TopicReturnsRequest, shopify.TopicReturnsApprove, shopify.TopicReturnsCancel, shopify.TopicReturnsDecline:
		r, err := shopify.DecodeReturn(d.Payload)
		if err != nil {
			return malformed(err)
		}
		return s.syncShopifyReturn(ctx, shop, r, d.Topic == shopify.TopicReturnsCancel || d.Topic == shopify.TopicReturnsDecline)
	case shopify.TopicReverseDeliveriesAttach:
		rd, err := shopify.DecodeReverseDelivery(d.Payload)
		if err != nil {
			return malformed(err)
		}
		return s.syncReverseDelivery(ctx, shop, rd)
	case shopify.TopicOrdersEdited:
		e, err := shopify.DecodeOrderEdit(d.Payload)
		if err != nil {
			return malformed(err)
		}
		changes := make(map[string]int, len(e.Removals))
		for _, it := range e.Removals {
			changes[it.LineItemID] += it.Quantity
		}
		return s.removeItems(ctx, shop, e.OrderID, "edit:"+e.ID, changes)
	case shopify.TopicAppUninstalled:
		if _, err := shopify.DecodeUninstalled(d.Payload); err != nil {
			return malformed(err)
		}
		return s.db.Uninstall(ctx, shop.ID)
	case shopify.TopicShopUpdate:
		info, err := shopify.DecodeShopUpdate(d.Payload)
		if err != nil {
			return malformed(err)
		}
		return s.ApplyShopifyIdentity(ctx, shop, info)
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
		return s.exportCustomerData(ctx, shop, r.Customer.Email, r.Customer.Phone)
	default:
		return malformed(fmt.Errorf("unhandled topic %q", d.Topic))
	}
}

// SyncShopifyOrder stores an order and brings each of its fulfillments to
// the state it reports, keeping up to the per-fulfillment limit of tracking
// numbers; it returns what it refused.
func (s *Syncer) SyncShopifyOrder(ctx context.Context, shop *storage.Shop, o shopify.Order) ([]Refusal, error) {
	var fs []Fulfillment
	var refused []Refusal
	for _, f := range o.Fulfillments {
		sf, r := s.shopifyFulfillment(shop, f)
		fs = append(fs, sf)
		refused = append(refused, r...)
	}
	removalsKnown := len(o.LineItems) > 0
	for _, li := range o.LineItems {
		removalsKnown = removalsKnown && li.CurrentQuantity != nil
	}
	so := shopifyOrder(o)
	if !removalsKnown {
		// Without current_quantity the order's refunds say what is gone.
		for _, r := range o.Refunds {
			applyRemoval(so.LineItems.V, "refund:"+r.ID, refundChanges(r))
		}
	}
	if err := s.Apply(ctx, shop, Change{Order: so, Fulfillments: fs, RemovalsKnown: removalsKnown, Refunded: o.FinancialStatus == "refunded"}); err != nil {
		return refused, err
	}
	return refused, s.fetchImages(ctx, shop, so.LineItems.V)
}

func refundChanges(r shopify.Refund) map[string]int {
	out := make(map[string]int, len(r.Items))
	for _, it := range r.Items {
		out[it.LineItemID] += it.Quantity
	}
	return out
}

// applyRemoval records that change (a refund or edit, by key) removed
// quantities of lines, once.
func applyRemoval(items []storage.LineItem, key string, removed map[string]int) {
	for i := range items {
		n, ok := removed[items[i].ID]
		if !ok {
			continue
		}
		if items[i].Changes == nil {
			items[i].Changes = map[string]int{}
		}
		items[i].Changes[key] = n
	}
}

// removeItems applies one refund or order edit (key) to a stored order's
// lines; when nothing is left to deliver, tracking stops. An order not
// stored yet has nothing to stop (its orders/create carries the removals).
func (s *Syncer) removeItems(ctx context.Context, shop *storage.Shop, orderID, key string, removed map[string]int) error {
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		o, err := tx.OrderByPlatformID(ctx, shop.ID, orderID)
		if errors.Is(err, storage.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		applyRemoval(o.LineItems.V, key, removed)
		if err := tx.SetLineItems(ctx, o); err != nil {
			return err
		}
		return s.stopIfOver(ctx, tx, shop, o, false)
	})
}

// syncShopifyFulfillment brings one fulfillment of an order to the state it
// reports. A fulfillment can arrive before its order: then the order is
// fetched from Shopify when the shop has a token, else the delivery is
// retried (with backoff) until orders/create has been processed. Tracking
// numbers over the per-fulfillment limit are refused and returned.
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
	sf, refused := s.shopifyFulfillment(shop, f)
	return refused, s.db.InTx(ctx, func(tx *storage.Tx) error {
		if o.Stopped != "" {
			return nil
		}
		return s.applyFulfillment(ctx, tx, shop, o, sf)
	})
}

// shopifyFulfillment is a fulfillment's state with its tracking numbers up
// to the per-fulfillment limit, each parcel carrying the fulfillment's lines.
func (s *Syncer) shopifyFulfillment(shop *storage.Shop, f shopify.Fulfillment) (Fulfillment, []Refusal) {
	out := Fulfillment{ID: f.ID, Cancelled: f.Cancelled(), UpdatedAt: f.UpdatedAt}
	if out.Cancelled {
		return out, nil
	}
	var items []storage.LineItem
	for _, li := range f.LineItems {
		items = append(items, storage.LineItem{ID: li.ID, Title: li.Title, Variant: li.VariantTitle, Quantity: li.Quantity})
	}
	parcels := make([]Parcel, 0, len(f.Tracking))
	for _, t := range f.Tracking {
		parcels = append(parcels, Parcel{FulfillmentID: f.ID, Company: t.Company, Number: t.Number, URL: t.URL, Items: items})
	}
	var refused []Refusal
	out.Parcels, refused = s.boundParcels(shop, parcels, byFulfillment)
	return out, refused
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
		item := storage.LineItem{ID: li.ID, Title: li.Title, Variant: li.VariantTitle, Quantity: li.Quantity, Price: li.Price, ImageURL: li.ImageURL, Product: li.Product}
		if li.CurrentQuantity != nil {
			item.Removed = li.Quantity - *li.CurrentQuantity
		}
		so.LineItems.V = append(so.LineItems.V, item)
	}
	so.ShippingMethod = o.ShippingMethod
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

// syncShopifyReturn links a return to its order (its reverse deliveries
// name only the return) and, when the return is cancelled or declined,
// ends the parcels coming back for it.
func (s *Syncer) syncShopifyReturn(ctx context.Context, shop *storage.Shop, r shopify.Return, cancelled bool) error {
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		o, err := tx.OrderByPlatformID(ctx, shop.ID, r.OrderID)
		if errors.Is(err, storage.ErrNotFound) {
			return nil // an order from before the install: nothing of it is tracked
		}
		if err != nil {
			return err
		}
		return s.applyFulfillment(ctx, tx, shop, o, Fulfillment{ID: r.ID, Return: true, Cancelled: cancelled})
	})
}

// syncReverseDelivery tracks the parcel a shopper sends back for a return.
// A reverse delivery can arrive before its return's request: retried with
// backoff until returns/request links the return to its order.
func (s *Syncer) syncReverseDelivery(ctx context.Context, shop *storage.Shop, rd shopify.ReverseDelivery) error {
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		ret, err := tx.FulfillmentByPlatformID(ctx, shop.ID, rd.ReturnID)
		if err != nil {
			return fmt.Errorf("reverse delivery %s before its return %s: %w", rd.ID, rd.ReturnID, err)
		}
		if ret.Status == storage.StopCancelled {
			return nil
		}
		o, err := tx.ShopOrder(ctx, shop.ID, ret.OrderID)
		if err != nil {
			return err
		}
		return s.addParcel(ctx, tx, shop, o, Parcel{FulfillmentID: rd.ReturnID, Company: rd.Tracking.Company, Number: rd.Tracking.Number, URL: rd.Tracking.URL, Kind: storage.KindReturn})
	})
}
