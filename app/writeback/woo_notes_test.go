package writeback

import (
	"context"
	"errors"
	"testing"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// seedShipment stores a shop of platform with one order and shipment.
func seedShipment(t *testing.T, db *storage.DB, p storage.Platform, domain string) *storage.Shipment {
	t.Helper()
	ctx := context.Background()
	shop := &storage.Shop{Platform: p, Domain: domain, Name: domain}
	if err := db.UpsertShop(ctx, shop); err != nil {
		t.Fatal(err)
	}
	s := &storage.Shipment{ShopID: shop.ID, Carrier: "ups", TrackingNumber: "1Z999AA10123456784", Stage: "packed"}
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		o := &storage.Order{ShopID: shop.ID, PlatformID: "1001", Name: "#1001"}
		if _, err := tx.UpsertOrder(ctx, o); err != nil {
			return err
		}
		s.OrderID = o.ID
		_, err := tx.UpsertShipment(ctx, s)
		return err
	})
	if err != nil {
		t.Fatalf("seed %s shipment: %v", p, err)
	}
	return s
}

var errRollback = errors.New("roll back")

// A shopper request's WooCommerce order note is a job inserted in the
// transaction that stores the request: visible there, gone when it rolls
// back, kept when it commits.
func TestWooActionNoteIsEnqueuedInTheActionsTransaction(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		cl, err := jobs.NewClient(db, jobs.Options{})
		if err != nil {
			t.Fatal(err)
		}
		w := New(Deps{DB: db, Jobs: cl})
		woo := seedShipment(t, db, storage.WooCommerce, "store.example")
		shopify := seedShipment(t, db, storage.Shopify, "shop.myshopify.com")
		action := func(s *storage.Shipment, onShipment bool) *storage.CustomerAction {
			act := &storage.CustomerAction{ShopID: s.ShopID, OrderID: &s.OrderID, Kind: "contact_support", Source: "page", Status: "new",
				Details: storage.JSON[map[string]string]{V: map[string]string{"note": "Where is my mug?"}}}
			if onShipment {
				act.ShipmentID = &s.ID
			}
			return act
		}
		// store runs the request's transaction and returns how many note
		// jobs it saw before ending with end.
		store := func(act *storage.CustomerAction, end error) (inTx int, err error) {
			err = db.InTx(ctx, func(tx *storage.Tx) error {
				if err := tx.CreateCustomerAction(ctx, act); err != nil {
					return err
				}
				if err := w.EnqueueWooActionNote(ctx, tx, act); err != nil {
					return err
				}
				if err := tx.SQL().QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE kind = 'woo_note'").Scan(&inTx); err != nil {
					return err
				}
				return end
			})
			return inTx, err
		}

		rolledBack := []struct {
			name     string
			act      *storage.CustomerAction
			wantInTx int
		}{
			{"WooCommerce shipment", action(woo, true), 1},
			{"Shopify shipment", action(shopify, true), 0},
			{"no shipment", action(woo, false), 0},
		}
		for _, tc := range rolledBack {
			inTx, err := store(tc.act, errRollback)
			if !errors.Is(err, errRollback) {
				t.Fatalf("%s: transaction ended with %v; want the rollback", tc.name, err)
			}
			if inTx != tc.wantInTx {
				t.Errorf("%s: %d note jobs inside the transaction; want %d", tc.name, inTx, tc.wantInTx)
			}
			if n := storagetest.Count(t, db, "river_job", "kind = ?", "woo_note"); n != 0 {
				t.Errorf("%s: %d note jobs after the rollback; want none", tc.name, n)
			}
		}

		if _, err := store(action(woo, true), nil); err != nil {
			t.Fatal(err)
		}
		if n := storagetest.Count(t, db, "river_job", "kind = ?", "woo_note"); n != 1 {
			t.Errorf("%d note jobs after the commit; want 1", n)
		}
	})
}
