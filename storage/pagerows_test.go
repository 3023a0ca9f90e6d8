package storage_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// TestPageRowsLoadsAnOrderInTwoRoundTrips: a shipment's token and the
// order's own open the same rows — the shop, every parcel of the order with
// its scans, requests and ETA changes, nothing of another order — in the
// same handful of queries however many parcels there are.
func TestPageRowsLoadsAnOrderInTwoRoundTrips(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "rows.myshopify.com")
		a := newShipment(t, db, shop, "1ZROWS1")
		b := &storage.Shipment{ShopID: shop.ID, OrderID: a.OrderID, Carrier: "ups", TrackingNumber: "1ZROWS2", Stage: "packed"}
		if _, err := db.UpsertShipment(ctx, b); err != nil {
			t.Fatal(err)
		}
		other := newShipment(t, db, shop, "1ZOTHER")
		for i, s := range []*storage.Shipment{a, b, other} {
			for _, day := range []int{21, 22} {
				ev := tracking.Event{Time: at(day, 8+i), Stage: tracking.StageInTransit, Description: s.TrackingNumber + " scan", Location: tracking.Location{City: "Leeds"}}
				eta := tracking.ETA{Window: tracking.Window{Earliest: at(day+3, 0), Latest: at(day+4, 0)}, Source: tracking.SourceCarrier}
				if _, err := db.ApplyUpdate(ctx, s, storage.Update{Added: []tracking.Event{ev}, State: tracking.State{Stage: tracking.StageInTransit}, ETA: eta, Polled: true}); err != nil {
					t.Fatal(err)
				}
			}
			act := &storage.CustomerAction{ShopID: shop.ID, ShipmentID: &s.ID, OrderID: &s.OrderID, Kind: "contact", Source: "page", Status: "open"}
			if err := db.CreateCustomerAction(ctx, act); err != nil {
				t.Fatal(err)
			}
		}
		order, err := db.OrderByID(ctx, a.OrderID)
		if err != nil {
			t.Fatal(err)
		}

		var queries atomic.Int64
		if err := db.Gorm.Callback().Query().Before("gorm:query").Register("count_page_queries", func(*gorm.DB) { queries.Add(1) }); err != nil {
			t.Fatal(err)
		}
		for _, token := range []string{a.PublicToken, b.PublicToken, order.PublicToken} {
			queries.Store(0)
			rows, err := db.PageRows(ctx, token)
			if err != nil {
				t.Fatalf("PageRows(%q): %v", token, err)
			}
			if rows.Shop.ID != shop.ID || rows.Order.ID != a.OrderID || len(rows.Shipments) != 2 || rows.Shipments[0].ID != a.ID || rows.Shipments[1].ID != b.ID {
				t.Fatalf("PageRows(%q) = shop %d, order %d, %d shipments; want shop %d, order %d with shipments %d and %d", token, rows.Shop.ID, rows.Order.ID, len(rows.Shipments), shop.ID, a.OrderID, a.ID, b.ID)
			}
			for _, s := range []*storage.Shipment{a, b} {
				evs := rows.Events[s.ID]
				if len(evs) != 2 || !evs[0].Time.Before(evs[1].Time) || evs[0].Description != s.TrackingNumber+" scan" || evs[0].Location.City != "Leeds" {
					t.Errorf("events of %s = %+v; want its 2 scans, oldest first", s.TrackingNumber, evs)
				}
				if len(rows.Actions[s.ID]) != 1 || len(rows.ETAChanges[s.ID]) != 2 {
					t.Errorf("%s: %d requests, %d ETA changes; want 1 and 2", s.TrackingNumber, len(rows.Actions[s.ID]), len(rows.ETAChanges[s.ID]))
				}
			}
			if len(rows.Events[other.ID]) != 0 || len(rows.Actions[other.ID]) != 0 || len(rows.ETAChanges[other.ID]) != 0 {
				t.Errorf("rows of another order leaked into the page: %+v", rows)
			}
			if n := queries.Load(); n > 6 {
				t.Errorf("PageRows(%q) made %d queries; want at most 6 (the order, then shop, shipments, scans, requests, ETA changes)", token, n)
			}
		}
		for _, token := range []string{"", "no-such-token"} {
			if _, err := db.PageRows(ctx, token); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("PageRows(%q) = %v; want ErrNotFound", token, err)
			}
		}
	})
}
