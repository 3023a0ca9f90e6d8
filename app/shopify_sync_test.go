package app

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/orders"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
)

func TestCarrierStatusIsWrittenBackToTheShopifyFulfillment(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		event tracking.Event
		want  string
	}{
		{"in transit", tracking.Event{Stage: tracking.StageInTransit, Code: "I", Description: "Departed facility", Location: tracking.Location{City: "Louisville", Country: "US"}}, "IN_TRANSIT"},
		{"out for delivery", tracking.Event{Stage: tracking.StageOutForDelivery, Code: "O", Description: "Out for delivery"}, "OUT_FOR_DELIVERY"},
		{"failed attempt", tracking.Event{Stage: tracking.StageOutForDelivery, Problem: tracking.ProblemFailedAttempt, Code: "X", Description: "Nobody home"}, "ATTEMPTED_DELIVERY"},
		{"delivered", tracking.Event{Stage: tracking.StageDelivered, Code: "D", Description: "Delivered"}, "DELIVERED"},
	}
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, _, fake := startShopifyApp(t, dbURL, nil)
		ctx := context.Background()
		shop := installTestShop(t, a, fake, shopA, time.Hour)
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				id := int64(9100 + i)
				o := shopifytest.SampleOrder(id, time.Now())
				number := fmt.Sprintf("1ZWRITEBACK%06d", id)
				o.Fulfillments[0].Numbers = []string{number}
				fake.AddOrder(shopA, o)
				seedShopifyOrder(t, a, shop, o)
				s := shipmentOf(t, a, shop.ID, number)
				ev := tc.event
				ev.Time = time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
				if err := a.polling.ApplyResult(ctx, &s, tracking.Result{Number: number, Events: []tracking.Event{ev}}, false, 0); err != nil {
					t.Fatal(err)
				}
				fulfillment := fmt.Sprintf("gid://shopify/Fulfillment/%d", o.Fulfillments[0].ID)
				var got []shopifytest.FulfillmentEvent
				apptest.WaitUntil(t, "the fulfillment event on Shopify", func() bool {
					got = nil
					for _, e := range fake.FulfillmentEvents(shopA) {
						if e.FulfillmentID == fulfillment {
							got = append(got, e)
						}
					}
					return len(got) > 0
				})
				if len(got) != 1 || got[0].Status != tc.want {
					t.Fatalf("events on %s = %+v; want one %s", fulfillment, got, tc.want)
				}
				if got[0].HappenedAt != ev.Time.Format(time.RFC3339) || got[0].Message != ev.Description {
					t.Fatalf("event happened at %q with %q; want the scan's time %s and description", got[0].HappenedAt, got[0].Message, ev.Time.Format(time.RFC3339))
				}
			})
		}
	})
}

func TestNoWriteBackWithoutAShopifyToken(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, _, _ := startShopifyApp(t, dbURL, nil)
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.Shopify, Domain: shopB}
		if err := a.db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		o := shopifytest.SampleOrder(9200, time.Now())
		seedShopifyOrder(t, a, shop, o)
		s := shipmentOf(t, a, shop.ID, o.Fulfillments[0].Numbers[0])
		ev := tracking.Event{Time: time.Now().Add(-time.Hour), Stage: tracking.StageInTransit, Code: "I", Description: "Departed"}
		if err := a.polling.ApplyResult(ctx, &s, tracking.Result{Number: s.TrackingNumber, Events: []tracking.Event{ev}}, false, 0); err != nil {
			t.Fatal(err)
		}
		if s = shipmentOf(t, a, shop.ID, s.TrackingNumber); s.Stage != string(tracking.StageInTransit) {
			t.Fatalf("stage %s; want in_transit (the poll must still apply)", s.Stage)
		}
		if n := countJobs(t, a, "shopify_fulfillment_event"); n != 0 {
			t.Fatalf("%d write-back jobs for a shop without a token; want 0", n)
		}
	})
}

func TestFulfillmentBeforeItsOrderFetchesTheOrder(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		shop := installTestShop(t, a, fake, shopA, time.Hour)
		o := shopifytest.SampleOrder(9300, time.Now())
		fake.AddOrder(shopA, o)
		if code := apptest.PostShopifyWebhook(t, base, shopA, "fulfillments/create", "wh-early", o.Fulfillments[0].WebhookJSON(o.ID), testSecret); code != http.StatusOK {
			t.Fatalf("fulfillment webhook: status %d; want 200", code)
		}
		var ship storage.Shipment
		apptest.WaitUntil(t, "the shipment of the early fulfillment", func() bool {
			return a.db.Gorm.Where("shop_id = ?", shop.ID).Take(&ship).Error == nil
		})
		order, err := a.db.OrderByPlatformID(context.Background(), shop.ID, "gid://shopify/Order/9300")
		if err != nil || order.Name != "#1001" || order.Email != "ana@example.com" || ship.OrderID != order.ID {
			t.Fatalf("order = %+v, %v; want #1001 fetched from Shopify and linked to the shipment", order, err)
		}
		if n := fake.Stats(shopA).GraphQLRequests; n != 1 {
			t.Fatalf("%d GraphQL requests; want the one order fetch", n)
		}
	})
}

func TestReconcileSyncsOrdersUpdatedSinceTheCursor(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, _, fake := startShopifyApp(t, dbURL, nil)
		ctx := context.Background()
		shop := installTestShop(t, a, fake, shopA, time.Hour)
		uninstalled := installTestShop(t, a, fake, shopB, time.Hour)
		if err := a.db.Uninstall(ctx, uninstalled.ID); err != nil {
			t.Fatal(err)
		}
		cursor := time.Now().UTC().Add(-3 * time.Hour).Truncate(time.Second)
		if err := a.db.AdvanceSyncedThrough(ctx, shop.ID, cursor); err != nil {
			t.Fatal(err)
		}
		missed := backfillOrder(9700, cursor.Add(time.Hour))                       // webhook lost after the cursor
		overlap := backfillOrder(9701, cursor.Add(-5*time.Minute))                 // inside the overlap
		old := backfillOrder(9702, cursor.Add(-orders.ReconcileOverlap-time.Hour)) // synced long ago
		for _, o := range []shopifytest.Order{missed, overlap, old} {
			fake.AddOrder(shopA, o)
			fake.AddOrder(shopB, o)
		}
		if _, err := a.jobs.Insert(ctx, jobs.ShopifyReconcileArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		apptest.WaitUntil(t, "the sync cursor at the missed order", func() bool {
			through, err := a.db.SyncedThrough(ctx, shop.ID)
			return err == nil && through.Equal(missed.UpdatedAt)
		})
		for _, tc := range []struct {
			id   string
			want bool
		}{{"9700", true}, {"9701", true}, {"9702", false}} {
			_, err := a.db.OrderByPlatformID(ctx, shop.ID, "gid://shopify/Order/"+tc.id)
			if got := err == nil; got != tc.want {
				t.Errorf("order %s synced = %v; want %v", tc.id, got, tc.want)
			}
		}
		if n := fake.Stats(shopB).GraphQLRequests; n != 0 {
			t.Errorf("the uninstalled shop got %d GraphQL requests; want none", n)
		}
	})
}
