package storage_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func at(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }

func newShipment(t *testing.T, db *storage.DB, shop *storage.Shop, number string) *storage.Shipment {
	t.Helper()
	ctx := context.Background()
	o := &storage.Order{ShopID: shop.ID, PlatformID: "o-" + number, Name: "#1001"}
	if _, err := db.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	next := at(20, 0)
	s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: "ups", TrackingNumber: number, Stage: "packed", NextPollAt: &next}
	if _, err := db.UpsertShipment(ctx, s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestUpsertOrderIgnoresStaleUpdate(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "s.myshopify.com")
		newer, older := at(21, 12), at(21, 10)
		o := &storage.Order{ShopID: shop.ID, PlatformID: "42", Email: "new@example.com", PlatformUpdatedAt: &newer}
		if stale, err := db.UpsertOrder(ctx, o); err != nil || stale {
			t.Fatalf("first upsert stale=%v err=%v", stale, err)
		}
		old := &storage.Order{ShopID: shop.ID, PlatformID: "42", Email: "old@example.com", PlatformUpdatedAt: &older}
		stale, err := db.UpsertOrder(ctx, old)
		if err != nil {
			t.Fatal(err)
		}
		if !stale || old.Email != "new@example.com" || old.ID != o.ID {
			t.Fatalf("stale upsert: stale=%v email=%q id=%d; want stale, new@example.com, id %d", stale, old.Email, old.ID, o.ID)
		}
	})
}

func TestUpsertShipmentIsIdempotent(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		shop := newShop(t, db, "s.myshopify.com")
		a := newShipment(t, db, shop, "1Z999")
		b := &storage.Shipment{ShopID: shop.ID, OrderID: a.OrderID, Carrier: "ups", TrackingNumber: "1Z999", Stage: "packed"}
		created, err := db.UpsertShipment(context.Background(), b)
		if err != nil {
			t.Fatal(err)
		}
		if created || b.ID != a.ID || b.PublicToken != a.PublicToken {
			t.Fatalf("second upsert created=%v id=%d token=%q; want same row %d %q", created, b.ID, b.PublicToken, a.ID, a.PublicToken)
		}
	})
}

func TestClaimDueLeasesOnlyDueShipments(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "s.myshopify.com")
		due := newShipment(t, db, shop, "DUE1")
		later := newShipment(t, db, shop, "LATER1")
		future := at(28, 0)
		db.Gorm.Model(later).Update("next_poll_at", future)
		now := at(21, 0)
		got, err := db.ClaimDue(ctx, now, 10*time.Minute, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != due.ID {
			t.Fatalf("claimed %+v; want only shipment %d", got, due.ID)
		}
		again, err := db.ClaimDue(ctx, now.Add(time.Minute), 10*time.Minute, 100)
		if err != nil || len(again) != 0 {
			t.Fatalf("second claim inside the lease = %+v, %v; want nothing", again, err)
		}
	})
}

// Schedulers on several machines claim at once, and an uninstall stops
// polling meanwhile: no shipment is leased twice, and none of the stopped
// shop is leased after it stopped.
func TestClaimDueUnderConcurrentClaimsAndUninstall(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "s.myshopify.com")
		stopped := newShop(t, db, "stopped.myshopify.com")
		const n = 120
		for i := range n {
			newShipment(t, db, shop, fmt.Sprintf("CLAIM%03d", i))
			newShipment(t, db, stopped, fmt.Sprintf("STOP%03d", i))
		}
		now := at(21, 0)
		var mu sync.Mutex
		claimed := map[int64]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					var got []storage.Due
					err := db.InTx(ctx, func(tx *storage.Tx) error {
						var err error
						got, err = tx.ClaimDue(ctx, now, 10*time.Minute, 7)
						return err
					})
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, d := range got {
						claimed[d.ID]++
					}
					mu.Unlock()
				}
			}()
		}
		if err := db.Uninstall(ctx, stopped.ID); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		for id, c := range claimed {
			if c != 1 {
				t.Errorf("shipment %d leased %d times; want once", id, c)
			}
		}
		var polling int64
		db.Gorm.Model(&storage.Shipment{}).Where("shop_id = ? AND next_poll_at IS NOT NULL", stopped.ID).Count(&polling)
		if polling != 0 {
			t.Errorf("%d shipments of the uninstalled shop scheduled for polling; want 0", polling)
		}
		var mine int64
		db.Gorm.Model(&storage.Shipment{}).Where("shop_id = ? AND next_poll_at > ?", shop.ID, now).Count(&mine)
		if mine != n {
			t.Errorf("%d of the active shop's %d shipments leased; want all", mine, n)
		}
	})
}

func TestApplyUpdateStoresEventsAndTriggersOnce(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "s.myshopify.com")
		s := newShipment(t, db, shop, "1ZAPPLY")
		ev := tracking.Event{Time: at(21, 9), Stage: tracking.StageInTransit, Movement: tracking.MovementDeparted, Code: "I", Description: "Departed", Location: tracking.Location{City: "Louisville"}}
		u := storage.Update{
			Added: []tracking.Event{ev}, State: tracking.State{Stage: tracking.StageInTransit, LastEventAt: ev.Time, StageAt: ev.Time},
			ETA:   tracking.ETA{Window: tracking.Window{Earliest: at(24, 0), Latest: at(25, 0)}, Source: tracking.SourceCarrier},
			Fired: []tracking.Fired{{Trigger: tracking.TriggerInTransit, Key: "in_transit"}}, Polled: true,
		}
		for i, wantFired := range []int{1, 0} {
			fired, err := db.ApplyUpdate(ctx, s, u)
			if err != nil {
				t.Fatal(err)
			}
			if len(fired) != wantFired {
				t.Fatalf("apply %d fired %d triggers; want %d", i, len(fired), wantFired)
			}
		}
		events, err := db.Events(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || !events[0].Time.Equal(ev.Time) || events[0].Location.City != "Louisville" || events[0].Movement != tracking.MovementDeparted {
			t.Fatalf("events = %+v; want the one departure scan", events)
		}
		var changes int64
		db.Gorm.Model(&storage.ETAChange{}).Where("shipment_id = ?", s.ID).Count(&changes)
		if changes != 1 {
			t.Fatalf("eta changes = %d; want 1 (the second identical estimate is no change)", changes)
		}
		got, _ := db.ShipmentsByID(ctx, []int64{s.ID})
		if got[0].Stage != "in_transit" || got[0].PollCount != 2 || got[0].NextPollAt != nil || got[0].ShippedAt == nil {
			t.Fatalf("shipment after update = %+v", got[0])
		}
	})
}

// dueShipments stores n shipments of one order of shop, the i-th due at
// from + i seconds, in one statement.
func dueShipments(t *testing.T, db *storage.DB, shop *storage.Shop, carrier, prefix string, n int, from time.Time) {
	t.Helper()
	o := &storage.Order{ShopID: shop.ID, PlatformID: "o-" + prefix, Name: "#1001"}
	if _, err := db.UpsertOrder(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	ships := make([]storage.Shipment, n)
	for i := range ships {
		next := from.Add(time.Duration(i) * time.Second)
		ships[i] = storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: carrier, TrackingNumber: fmt.Sprintf("%s%04d", prefix, i),
			PublicToken: storage.NewToken(), Stage: "packed", NextPollAt: &next}
	}
	if err := db.Gorm.CreateInBatches(ships, 100).Error; err != nil {
		t.Fatal(err)
	}
}

// One shop's backlog came due first; another shop's few polls still get
// their turn in the same tick, before the backlog's second half.
func TestClaimDueTakesShopsInTurns(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		big := newShop(t, db, "big.myshopify.com")
		small := newShop(t, db, "small.myshopify.com")
		dueShipments(t, db, big, "ups", "BIG", 300, at(20, 0))
		dueShipments(t, db, small, "ups", "SMALL", 10, at(20, 1)) // after all of big's
		got, err := db.ClaimDue(ctx, at(21, 0), 10*time.Minute, 30)
		if err != nil {
			t.Fatal(err)
		}
		var order []int64
		count := map[int64]int{}
		for _, d := range got {
			order = append(order, d.ShopID)
			count[d.ShopID]++
		}
		if len(got) != 30 || count[small.ID] != 10 || count[big.ID] != 20 {
			t.Fatalf("claimed %d: %d of the small shop, %d of the big; want all 10 of the small shop's and 20 of the big's", len(got), count[small.ID], count[big.ID])
		}
		for i := range 20 { // big was created first: the lower id goes first in each turn
			if want := []int64{big.ID, small.ID}[i%2]; order[i] != want {
				t.Fatalf("claim order by shop = %v; want the shops alternating (big %d, small %d) while both have due polls", order, big.ID, small.ID)
			}
		}
	})
}

// DHL Express scans stored before their wording got codes are uncoded and
// "packed"; a refetch that reads them recodes the stored rows in place
// (tracking.Merge) rather than adding each scan twice.
func TestApplyUpdateRecodesUncodedScans(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "s.myshopify.com")
		s := newShipment(t, db, shop, "1234567890")
		place := tracking.Location{City: "LEIPZIG", Country: "DE"}
		old := tracking.Event{Time: at(21, 9), Stage: tracking.StagePacked, Description: "Delivered - Signed for by: A", Location: place}
		if _, err := db.ApplyUpdate(ctx, s, storage.Update{Added: []tracking.Event{old}}); err != nil {
			t.Fatal(err)
		}
		coded := old
		coded.Code, coded.Stage = "delivered", tracking.StageDelivered
		stored, _ := db.Events(ctx, s.ID)
		merged, added, recoded := tracking.Merge(stored, []tracking.Event{coded})
		if len(added) != 0 || len(recoded) != 1 || len(merged) != 1 {
			t.Fatalf("merge: %d added, %d recoded, %d merged; want 0, 1, 1", len(added), len(recoded), len(merged))
		}
		if _, err := db.ApplyUpdate(ctx, s, storage.Update{Added: added, Recoded: recoded}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Events(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Code != "delivered" || got[0].Stage != tracking.StageDelivered {
			t.Fatalf("stored timeline %+v; want the one scan, recoded delivered", got)
		}
		// The next refetch finds it by its new fingerprint: nothing changes.
		if _, added, recoded := tracking.Merge(got, []tracking.Event{coded}); len(added)+len(recoded) != 0 {
			t.Fatalf("refetch after recoding: %d added, %d recoded; want none", len(added), len(recoded))
		}
	})
}
