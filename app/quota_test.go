package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/orders"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestDHLDailyQuotaHoldsAcrossPolls(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		dhl := apptest.NewDHL(t)
		a, _ := startApp(t, dbURL, Config{Carriers: map[string]registry.Creds{"dhl": {"api_key": "k", registry.BaseURL: dhl.URL}}}, atRecordingTime())
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.Shopify, Domain: "q.myshopify.com"}
		if err := a.db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		o := &storage.Order{PlatformID: "q1", Name: "#1"}
		if err := a.orders.SyncOrder(ctx, shop, o, []orders.Parcel{{Company: "DHL", Number: "00340434161094042557"}}); err != nil {
			t.Fatal(err)
		}
		// The day's 250 calls are already spent (by another machine, say).
		if ok, err := a.db.ReserveCarrierCalls(ctx, "dhl", recordedAt, 250, 250); err != nil || !ok {
			t.Fatalf("spend the quota: %v %v", ok, err)
		}
		if _, err := a.jobs.Insert(ctx, jobs.SchedulePollsArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		tomorrow := recordedAt.Truncate(24 * time.Hour).Add(24 * time.Hour) // well past the scheduler's 15-minute lease
		apptest.WaitUntil(t, "the poll postponed to tomorrow", func() bool {
			ships, _ := a.db.OrderShipments(ctx, shop.ID, o.ID)
			return len(ships) == 1 && ships[0].NextPollAt != nil && !ships[0].NextPollAt.Before(tomorrow)
		})
		if n := dhl.Calls(); n != 0 {
			t.Fatalf("DHL called %d times over its daily quota; want 0", n)
		}
	})
}

func TestDHLShipmentIsFetchedAtMostTenTimesADay(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		dhl := apptest.NewDHL(t)
		a, _ := startApp(t, dbURL, Config{Carriers: map[string]registry.Creds{"dhl": {"api_key": "k", registry.BaseURL: dhl.URL}}}, atRecordingTime())
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.Shopify, Domain: "q.myshopify.com"}
		if err := a.db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		o := &storage.Order{PlatformID: "q1", Name: "#1"}
		if err := a.orders.SyncOrder(ctx, shop, o, []orders.Parcel{{Company: "DHL", Number: "00340434161094042557"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.jobs.Insert(ctx, jobs.SchedulePollsArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		var ship storage.Shipment
		apptest.WaitUntil(t, "the DHL poll", func() bool {
			ships, _ := a.db.OrderShipments(ctx, shop.ID, o.ID)
			if len(ships) == 1 && ships[0].PollCount == 1 {
				ship = ships[0]
				return true
			}
			return false
		})
		if dhl.Calls() != 1 || ship.NextPollAt == nil || ship.NextPollAt.Before(recordedAt.Add(2*time.Hour+20*time.Minute)) {
			t.Fatalf("after one DHL poll: %d calls, next poll %v; want the next no sooner than 2.4 h (10 a day)", dhl.Calls(), ship.NextPollAt)
		}
	})
}

// seedDHLDue stores n orders of shop, each with one DHL shipment to poll at due.
func seedDHLDue(t *testing.T, a *App, shop *storage.Shop, n int, due time.Time) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		o := &storage.Order{ShopID: shop.ID, PlatformID: fmt.Sprintf("%s-%d", shop.Domain, i), Name: fmt.Sprintf("#%d", 1001+i)}
		if _, err := a.db.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: "dhl", TrackingNumber: fmt.Sprintf("JJD%d%06d", shop.ID, i),
			Stage: string(tracking.StagePacked), NextPollAt: &due}
		if _, err := a.db.UpsertShipment(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
}

// One shop's 300 due DHL polls came due before another shop's 10, with 20
// calls left of the platform's daily 250: the small shop gets all of its
// polls, the big one the rest, and its other polls wait for tomorrow.
func TestSharedDHLQuotaGivesEveryShopItsShare(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		dhl := apptest.NewDHL(t)
		a, _ := startApp(t, dbURL, Config{Carriers: map[string]registry.Creds{"dhl": {"api_key": "k", registry.BaseURL: dhl.URL}}}, atRecordingTime(),
			withCarrierRates(map[string]rate.Limit{"dhl": rate.Inf})) // the quota, not DHL's 1 call/s, is under test
		ctx := context.Background()
		big := &storage.Shop{Platform: storage.Shopify, Domain: "big.myshopify.com"}
		small := &storage.Shop{Platform: storage.Shopify, Domain: "small.myshopify.com"}
		for _, s := range []*storage.Shop{big, small} {
			if err := a.db.UpsertShop(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		// 230 of the day's calls went earlier to parcels since delivered.
		if ok, err := a.db.ReserveCarrierCalls(ctx, "dhl", recordedAt, 230, 250); err != nil || !ok {
			t.Fatalf("spend 230 calls: %v %v", ok, err)
		}
		later := recordedAt.Add(72 * time.Hour)
		seedDHLDue(t, a, big, 300, later)
		seedDHLDue(t, a, small, 10, later)
		// Both come due at once (the scheduler runs meanwhile), the big
		// shop's first.
		storagetest.ExecInTx(t, a.db,
			storagetest.Statement{SQL: "UPDATE shipments SET next_poll_at = ? WHERE shop_id = ?", Args: []any{recordedAt.Add(-time.Hour), big.ID}},
			storagetest.Statement{SQL: "UPDATE shipments SET next_poll_at = ? WHERE shop_id = ?", Args: []any{recordedAt.Add(-time.Minute), small.ID}})
		if _, err := a.jobs.Insert(ctx, jobs.SchedulePollsArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		tomorrow := recordedAt.Truncate(24 * time.Hour).Add(24 * time.Hour)
		count := func(shop *storage.Shop) (polled, postponed int64) {
			polled = storagetest.Count(t, a.db, "shipments", "shop_id = ? AND poll_count > 0", shop.ID)
			postponed = storagetest.Count(t, a.db, "shipments", "shop_id = ? AND poll_count = 0 AND next_poll_at >= ?", shop.ID, tomorrow)
			return polled, postponed
		}
		apptest.WaitUntil(t, "every due poll polled or postponed", func() bool {
			bp, bw := count(big)
			sp, sw := count(small)
			return bp+bw == 300 && sp+sw == 10
		})
		bp, _ := count(big)
		sp, sw := count(small)
		if sp != 10 || sw != 0 || bp != 10 || dhl.Calls() != 20 {
			t.Fatalf("small shop: %d polled, %d postponed; big shop: %d polled; DHL called %d times; want the small shop's 10 polled, the big shop's 10 of the 20 calls left",
				sp, sw, bp, dhl.Calls())
		}
	})
}
