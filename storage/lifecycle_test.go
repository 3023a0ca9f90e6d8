package storage_test

import (
	"context"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// An ended shipment is history: a poll that was under way when it ended
// neither revives its schedule nor adds news, and carrier pushes no longer
// find it.
func TestEndedShipmentIgnoresPollsAndPushes(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "s.myshopify.com")
		s := newShipment(t, db, shop, "1Z999AA10123456784")
		polled := *s // loaded by the poll job before the store cancelled
		if err := db.InTx(ctx, func(tx *storage.Tx) error {
			return tx.EndShipments(ctx, shop.ID, []int64{s.ID}, storage.StopCancelled, at(21, 9))
		}); err != nil {
			t.Fatal(err)
		}
		next := at(22, 0)
		fired, err := db.ApplyUpdate(ctx, &polled, storage.Update{
			State: tracking.State{Stage: tracking.StageInTransit, StageAt: at(21, 10)}, NextPollAt: &next, Polled: true,
			Fired: []tracking.Fired{{Trigger: tracking.TriggerInTransit, Key: "in_transit", At: at(21, 10)}},
		})
		if err != nil || len(fired) != 0 {
			t.Fatalf("ApplyUpdate on an ended shipment fired %v (err %v); want nothing", fired, err)
		}
		got, err := db.ShipmentsByID(ctx, []int64{s.ID})
		if err != nil {
			t.Fatal(err)
		}
		if g := got[0]; g.Ended != storage.StopCancelled || g.NextPollAt != nil || g.Stage != "packed" {
			t.Fatalf("after a late poll: ended %q, next poll %v, stage %s; want cancelled, no poll, packed", g.Ended, g.NextPollAt, g.Stage)
		}
		pushed, err := db.ShipmentsByNumber(ctx, "1Z999AA10123456784")
		if err != nil || len(pushed) != 0 {
			t.Fatalf("ShipmentsByNumber found %d ended shipments (err %v); want none", len(pushed), err)
		}
	})
}

// A fulfillment's state is kept by its newest platform time: an older copy
// is stale, the same time again is not (a replay).
func TestUpsertFulfillmentIgnoresStaleState(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "s.myshopify.com")
		s := newShipment(t, db, shop, "1Z1")
		newer, older := at(21, 12), at(21, 10)
		tests := []struct {
			name  string
			at    *storage.Fulfillment
			stale bool
		}{
			{"first", &storage.Fulfillment{Status: "cancelled", PlatformUpdatedAt: &newer}, false},
			{"older", &storage.Fulfillment{Status: "active", PlatformUpdatedAt: &older}, true},
			{"same time again", &storage.Fulfillment{Status: "cancelled", PlatformUpdatedAt: &newer}, false},
		}
		for _, tt := range tests {
			tt.at.ShopID, tt.at.OrderID, tt.at.PlatformID = shop.ID, s.OrderID, "gid://shopify/Fulfillment/1"
			stale, err := db.UpsertFulfillment(ctx, tt.at)
			if err != nil || stale != tt.stale {
				t.Errorf("%s: stale=%v err=%v; want stale=%v", tt.name, stale, err, tt.stale)
			}
		}
		var status string
		storagetest.Query(t, db, "SELECT status FROM fulfillments WHERE shop_id = ?", []any{shop.ID}, &status)
		if status != "cancelled" {
			t.Fatalf("stored status %q; want the newest, cancelled", status)
		}
	})
}
