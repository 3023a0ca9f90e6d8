package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestPushSubscriptionsLifecycle(t *testing.T) {
	t.Parallel()
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
		due, err := db.ShipmentsToSubscribe(ctx, "ups", now, now.Add(24*time.Hour), 10)
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
		due, err = db.ShipmentsToSubscribe(ctx, "ups", now, now.Add(24*time.Hour), 10)
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

func TestFailedSubscribeCallsBackOff(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "p.myshopify.com")
		fresh := newShipment(t, db, shop, "1ZA")
		renewing := newShipment(t, db, shop, "1ZB")
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		soon := now.Add(12 * time.Hour)
		if err := db.SaveSubscriptions(ctx, []storage.PushSubscription{{ShipmentID: renewing.ID, ShopID: shop.ID, Carrier: "ups",
			TrackingNumber: "1ZB", Status: storage.SubscriptionLive, SubscribedAt: now.Add(-13 * 24 * time.Hour), ExpiresAt: &soon}}); err != nil {
			t.Fatal(err)
		}
		retry := func(attempts int) time.Time { return now.Add(time.Duration(attempts) * time.Hour) }
		due := func(at time.Time) int {
			t.Helper()
			ships, err := db.ShipmentsToSubscribe(ctx, "ups", at, at.Add(24*time.Hour), 10)
			if err != nil {
				t.Fatal(err)
			}
			return len(ships)
		}
		if n := due(now); n != 2 {
			t.Fatalf("due before any failure = %d; want both", n)
		}
		for range 2 {
			if err := db.DeferSubscriptions(ctx, []storage.Shipment{*fresh, *renewing}, now, retry); err != nil {
				t.Fatal(err)
			}
		}
		for _, tt := range []struct {
			at   time.Time
			want int
		}{{now.Add(time.Minute), 0}, {now.Add(2*time.Hour - time.Minute), 0}, {now.Add(2 * time.Hour), 2}} {
			if n := due(tt.at); n != tt.want {
				t.Errorf("due at now+%s after two failures = %d; want %d", tt.at.Sub(now), n, tt.want)
			}
		}
		pending, _ := db.Subscription(ctx, fresh.ID)
		live, _ := db.Subscription(ctx, renewing.ID)
		if pending.Status != storage.SubscriptionPending || pending.Attempts != 2 || pending.Watch(now).Live ||
			live.Status != storage.SubscriptionLive || live.Attempts != 2 || !live.Watch(now).Live {
			t.Fatalf("after two failures: new %+v, renewing %+v; want pending (polled) and still live, 2 attempts each", pending, live)
		}
		later := now.Add(14 * 24 * time.Hour)
		if err := db.SaveSubscriptions(ctx, []storage.PushSubscription{{ShipmentID: fresh.ID, ShopID: shop.ID, Carrier: "ups",
			TrackingNumber: "1ZA", Status: storage.SubscriptionLive, SubscribedAt: now, ExpiresAt: &later}}); err != nil {
			t.Fatal(err)
		}
		if err := db.ConfirmPushes(ctx, fresh.ID, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		sub, _ := db.Subscription(ctx, fresh.ID)
		if sub.RetryAt != nil || sub.Attempts != 0 || !sub.Watch(now).ConfirmedAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("after a success and a confirming poll = %+v; want the backoff cleared and the confirmation kept", sub)
		}
	})
}
