package storage_test

import (
	"context"
	"errors"
	"maps"
	"strconv"
	"strings"
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
		// Lines with an image of their own, with a product whose image is
		// cached, and with a product never fetched.
		order.LineItems = storage.JSON[[]storage.LineItem]{V: []storage.LineItem{
			{ID: "l1", Title: "Mug", Quantity: 1, ImageURL: "https://cdn.example.com/own.jpg", Product: "gid://shopify/Product/1"},
			{ID: "l2", Title: "Tote", Quantity: 1, Product: "gid://shopify/Product/2"},
			{ID: "l3", Title: "Pin", Quantity: 1, Product: "gid://shopify/Product/3"},
		}}
		if _, err := db.UpsertOrder(ctx, order); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveProductImages(ctx, []storage.ProductImage{
			{ShopID: shop.ID, Product: "gid://shopify/Product/1", URL: "https://cdn.example.com/product1.jpg"},
			{ShopID: shop.ID, Product: "gid://shopify/Product/2", URL: "https://cdn.example.com/product2.jpg"},
		}); err != nil {
			t.Fatal(err)
		}
		wantImages := map[string]string{"l1": "https://cdn.example.com/own.jpg", "l2": "https://cdn.example.com/product2.jpg", "l3": ""}

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
			if !maps.Equal(rows.Images, wantImages) {
				t.Errorf("PageRows(%q) images = %v; want %v", token, rows.Images, wantImages)
			}
			if n := queries.Load(); n > 7 {
				t.Errorf("PageRows(%q) made %d queries; want at most 7 (the order, then shop, shipments, scans, requests, ETA changes, product images)", token, n)
			}
		}
		for _, token := range []string{"", "no-such-token"} {
			if _, err := db.PageRows(ctx, token); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("PageRows(%q) = %v; want ErrNotFound", token, err)
			}
		}
	})
}

// TestPageRowsReadByIndexBeforeStatistics: the page's scans, requests and
// ETA changes are read through the shipment index even when Postgres has no
// statistics on a grown table yet (a bulk import, a busy week before
// autovacuum's analyze). Planned as a join, they read every row of every
// shop: 8 ms a page at 24k scans, growing with each scan stored.
func TestPageRowsReadByIndexBeforeStatistics(t *testing.T) {
	t.Parallel()
	db := storagetest.Open(t, storage.Postgres)
	shop := newShop(t, db, "plans.myshopify.com")
	page := newShipment(t, db, shop, "1ZPLAN1")
	other := newShipment(t, db, shop, "1ZPLAN2")
	storagetest.Exec(t, db, "INSERT INTO shipments (shop_id, order_id, carrier, tracking_number, public_token, stage, tracking_url, created_at, updated_at) SELECT $1, $2, 'ups', '1Z999AA1' || n, 'OHpkA_wS26ABBrCfEws0f' || n, 'in_transit', 'https://www.ups.com/track?loc=en_US&tracknum=1Z999AA1' || n || '&requester=ST/trackdetails', now(), now() FROM generate_series(1, 6000) n", shop.ID, other.OrderID)
	for table, fill := range map[string]string{
		"tracking_events":  "INSERT INTO tracking_events (shop_id, shipment_id, fingerprint, occurred_at, stage, code, description, city, region, postal_code, country, created_at) SELECT shop_id, id, '1796046519|LC|Los Angeles|90021|' || n, now(), 'in_transit', 'LC', 'Shipping label created, carrier awaiting item', 'Los Angeles', 'CA', '90021', 'US', now() FROM shipments, generate_series(1, 8) n WHERE order_id = $1",
		"customer_actions": "INSERT INTO customer_actions (shop_id, shipment_id, kind, source, created_at) SELECT shop_id, id, 'contact', 'page', now() FROM shipments, generate_series(1, 10) n WHERE order_id = $1",
		"eta_changes":      "INSERT INTO eta_changes (shop_id, shipment_id, source, created_at) SELECT shop_id, id, 'carrier', now() FROM shipments, generate_series(1, 10) n WHERE order_id = $1",
	} {
		storagetest.Exec(t, db, "ALTER TABLE "+table+" SET (autovacuum_enabled = false)")
		storagetest.Exec(t, db, fill, other.OrderID)
	}
	// pgx prepares the page's queries, and Postgres plans a prepared
	// statement once for any order (a generic plan) after a few runs: both
	// plans must read by index.
	ctx := context.Background()
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
		if _, err := conn.ExecContext(ctx, "SET plan_cache_mode = "+mode); err != nil {
			t.Fatal(err)
		}
		for table, q := range storage.PageRowQueries {
			if _, err := conn.ExecContext(ctx, "PREPARE page_rows AS "+q); err != nil {
				t.Fatalf("prepare the page's %s query: %v", table, err)
			}
			rows, err := conn.QueryContext(ctx, "EXPLAIN EXECUTE page_rows("+strconv.FormatInt(page.OrderID, 10)+")")
			if err != nil {
				t.Fatalf("explain the page's %s query: %v", table, err)
			}
			var plan []string
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, line)
			}
			rows.Close()
			if _, err := conn.ExecContext(ctx, "DEALLOCATE page_rows"); err != nil {
				t.Fatal(err)
			}
			if joined := strings.Join(plan, "\n"); strings.Contains(joined, "Seq Scan on "+table) {
				t.Errorf("with %s, the page reads all of %s:\n%s", mode, table, joined)
			}
		}
	}
}
