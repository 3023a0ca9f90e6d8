package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestPushSubscriptionsLifecycle(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "p.myshopify.com")
		other := newShop(t, db, "q.myshopify.com")
		a := newShipment(t, db, shop, "1ZA")
		b := newShipment(t, db, shop, "1ZB")
		c := newShipment(t, db, other, "1ZC")
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		ids := func(ships []storage.Shipment) []int64 {
			var out []int64
			for _, s := range ships {
				out = append(out, s.ID)
			}
			return out
		}
		due, err := db.ShipmentsToSubscribe(ctx, "ups", now.Add(24*time.Hour), 10)
		if err != nil || len(due) != 3 {
			t.Fatalf("to subscribe = %v, %v; want all three shipments", ids(due), err)
		}
		soon, later := now.Add(12*time.Hour), now.Add(14*24*time.Hour)
		err = db.SaveSubscriptions(ctx, []storage.PushSubscription{
			{ShipmentID: a.ID, ShopID: shop.ID, Carrier: "ups", TrackingNumber: "1ZA", Status: storage.SubscriptionLive, SubscribedAt: now, ExpiresAt: &later},
			{ShipmentID: b.ID, ShopID: shop.ID, Carrier: "ups", TrackingNumber: "1ZB", Status: storage.SubscriptionLive, SubscribedAt: now, ExpiresAt: &soon},
			{ShipmentID: c.ID, ShopID: other.ID, Carrier: "ups", TrackingNumber: "1ZC", Status: storage.SubscriptionFailed, SubscribedAt: now, Failure: "invalid"},
		})
		if err != nil {
			t.Fatal(err)
		}
		due, err = db.ShipmentsToSubscribe(ctx, "ups", now.Add(24*time.Hour), 10)
		if err != nil || len(due) != 1 || due[0].ID != b.ID {
			t.Fatalf("to subscribe = %v, %v; want only the one expiring within a day (refused ones are not asked again)", ids(due), err)
		}
		if err := db.RecordPushed(ctx, a.ID, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		sub, err := db.Subscription(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if w := sub.Watch(now.Add(2 * time.Hour)); !w.Live || !w.LastPushAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("watch = %+v; want live with the push's time", w)
		}
		if w := sub.Watch(later.Add(time.Minute)); w.Live {
			t.Fatalf("watch after expiry = %+v; want not live", w)
		}
		for _, ok := range []bool{true, false, false} {
			if err := db.CountPush(ctx, "ups", ok, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		stats, err := db.PushStats(ctx, shop.ID, []string{"ups", "usps"})
		if err != nil {
			t.Fatal(err)
		}
		ups := stats[0]
		if ups.Subscribed != 2 || ups.Received != 1 || ups.Rejected != 2 || ups.LastPushAt == nil || !ups.LastPushAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("ups stats = %+v; want 2 subscribed, 1 received, 2 rejected, last push at %s", ups, now.Add(time.Hour))
		}
		if stats[1] != (storage.PushStat{Carrier: "usps"}) {
			t.Fatalf("usps stats = %+v; want zeros", stats[1])
		}
		if err := db.StopPolling(ctx, []int64{a.ID}); err != nil {
			t.Fatal(err)
		}
		end, err := db.SubscriptionsToEnd(ctx, "ups", 10)
		if err != nil || len(end) != 1 || end[0].ShipmentID != a.ID {
			t.Fatalf("to end = %+v, %v; want the shipment no longer polled", end, err)
		}
		if err := db.EndSubscription(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if end, _ := db.SubscriptionsToEnd(ctx, "ups", 10); len(end) != 0 {
			t.Fatalf("to end after ending = %+v; want none", end)
		}
		live, err := db.LiveSubscriptions(ctx)
		if err != nil || live["ups"] != 1 {
			t.Fatalf("live = %v, %v; want 1 on ups", live, err)
		}
	})
}
