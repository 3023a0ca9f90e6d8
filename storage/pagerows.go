package storage

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// PageRows is everything a tracking page shows of one order: its shop, the
// order, its shipments (oldest first) and, by shipment ID, their scans
// (oldest first), the shopper's requests and the ETA changes.
type PageRows struct {
	Shop       *Shop
	Order      *Order
	Shipments  []Shipment
	Events     map[int64][]tracking.Event
	Actions    map[int64][]CustomerAction
	ETAChanges map[int64][]ETAChange
}

// PageRows loads the page a token opens (a shipment's, or the order's own)
// in two round trips however many parcels the order has: the order, then
// the shop, shipments, scans, requests and ETA changes at once (at once on
// Postgres; SQLite's one connection takes them in turn). A token that opens
// nothing is ErrNotFound.
func (db *DB) PageRows(ctx context.Context, token string) (*PageRows, error) {
	if token == "" {
		return nil, fmt.Errorf("page: %w", ErrNotFound)
	}
	var o Order
	err := db.Gorm.WithContext(ctx).
		Where("id = (SELECT order_id FROM shipments WHERE public_token = ?) OR (public_token = ? AND public_token <> '')", token, token).
		Take(&o).Error
	if err != nil {
		return nil, notFound(err, "page")
	}
	r := &PageRows{Order: &o}
	// The order's own shipments, found by order alone: with the shop in the
	// subquery too, Postgres may intersect the shop's whole shipment index
	// with the order's, a cost that grows with the shop. An order's
	// shipments are its shop's.
	ofOrder := "shipment_id IN (SELECT id FROM shipments WHERE order_id = ?)"
	var events []TrackingEvent
	var actions []CustomerAction
	var etas []ETAChange
	g, gctx := errgroup.WithContext(ctx)
	q := func() *gorm.DB { return db.Gorm.WithContext(gctx) }
	g.Go(func() error {
		var s Shop
		if err := q().Take(&s, o.ShopID).Error; err != nil {
			return notFound(err, "shop %d", o.ShopID)
		}
		r.Shop = &s
		return nil
	})
	g.Go(func() error {
		if err := q().Where("order_id = ?", o.ID).Order("id").Find(&r.Shipments).Error; err != nil {
			return fmt.Errorf("shipments of order %d: %w", o.ID, err)
		}
		return nil
	})
	g.Go(func() error {
		if err := q().Where(ofOrder, o.ID).Order("shipment_id, occurred_at, id").Find(&events).Error; err != nil {
			return fmt.Errorf("events of order %d: %w", o.ID, err)
		}
		return nil
	})
	g.Go(func() error {
		if err := q().Where("shop_id = ? AND "+ofOrder, o.ShopID, o.ID).Order("created_at, id").Find(&actions).Error; err != nil {
			return fmt.Errorf("actions of order %d: %w", o.ID, err)
		}
		return nil
	})
	g.Go(func() error {
		if err := q().Where(ofOrder, o.ID).Order("created_at, id").Find(&etas).Error; err != nil {
			return fmt.Errorf("eta changes of order %d: %w", o.ID, err)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	r.Events = map[int64][]tracking.Event{}
	for _, e := range events {
		r.Events[e.ShipmentID] = append(r.Events[e.ShipmentID], e.event())
	}
	r.Actions = map[int64][]CustomerAction{}
	for _, a := range actions {
		if a.ShipmentID != nil {
			r.Actions[*a.ShipmentID] = append(r.Actions[*a.ShipmentID], a)
		}
	}
	r.ETAChanges = map[int64][]ETAChange{}
	for _, c := range etas {
		r.ETAChanges[c.ShipmentID] = append(r.ETAChanges[c.ShipmentID], c)
	}
	return r, nil
}
