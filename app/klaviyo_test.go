package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/klaviyo/klaviyotest"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// klaviyoShipment stores a Shopify order of shop with one parcel and moves
// it to stage, as a poll would.
func klaviyoShipment(t *testing.T, a *App, shop *storage.Shop, id int64, ev tracking.Event) storage.Shipment {
	t.Helper()
	o := shopifytest.SampleOrder(id, time.Now())
	number := fmt.Sprintf("1ZKLAVIYO%06d", id)
	o.Fulfillments[0].Numbers = []string{number}
	seedShopifyOrder(t, a, shop, o)
	s := shipmentOf(t, a, shop.ID, number)
	ev.Time = time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	if err := a.polling.ApplyResult(context.Background(), &s, tracking.Result{Number: number, Events: []tracking.Event{ev}}, false, 0); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestKlaviyoGetsEveryTriggerAndHandedTriggersOnlyThere(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		fake := klaviyotest.NewServer(t, "pk_shop_a")
		a, _ := startApp(t, dbURL, Config{KlaviyoBaseURL: fake.URL})
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.Shopify, Domain: shopA, Settings: storage.JSON[storage.Settings]{V: storage.Settings{Klaviyo: []string{"delivered"}}}}
		if err := a.db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		if err := a.db.SetKlaviyoKey(ctx, shop.ID, "pk_shop_a"); err != nil {
			t.Fatal(err)
		}
		fake.Throttle(1, 1) // Klaviyo's first answer: 429, Retry-After: 1

		cases := []struct {
			name        string
			event       tracking.Event
			trigger     string
			metric      string
			byOrdertrak bool
		}{
			{"sent by ordertrack too", tracking.Event{Stage: tracking.StageInTransit, Code: "I", Description: "Departed"}, "in_transit", "ordertrack Shipment In Transit", true},
			{"handed to Klaviyo", tracking.Event{Stage: tracking.StageDelivered, Code: "D", Description: "Delivered"}, "delivered", "ordertrack Shipment Delivered", false},
		}
		for i, tc := range cases {
			s := klaviyoShipment(t, a, shop, int64(9800+i), tc.event)
			var got klaviyotest.Event
			apptest.WaitUntil(t, tc.name+": the Klaviyo event", func() bool {
				for _, e := range fake.Events() {
					if e.Properties["tracking_number"] == s.TrackingNumber && e.Metric == tc.metric {
						got = e
						return true
					}
				}
				return false
			})
			if got.Email != "ana@example.com" || got.Key != "pk_shop_a" || got.UniqueID == "" {
				t.Errorf("%s: event for %q with key %q, unique id %q; want the order's email, the shop's key and a unique id", tc.name, got.Email, got.Key, got.UniqueID)
			}
			if got.Properties["sent_by_ordertrack"] != tc.byOrdertrak {
				t.Errorf("%s: sent_by_ordertrack = %v, want %v", tc.name, got.Properties["sent_by_ordertrack"], tc.byOrdertrak)
			}
			apptest.WaitUntil(t, tc.name+": jobs done", func() bool { return jobsSettled(t, a, "notify", "send", "klaviyo_event") })
			messages := storagetest.Count(t, a.db, "notifications", "shipment_id = ? AND trigger = ? AND status = ?", s.ID, tc.trigger, "sent")
			if want := map[bool]int64{true: 1, false: 0}[tc.byOrdertrak]; messages != want {
				t.Errorf("%s: %d messages sent by ordertrack, want %d", tc.name, messages, want)
			}
		}
		if n, accepted := fake.Requests(), len(fake.Events()); n != accepted+1 {
			t.Errorf("Klaviyo got %d requests for %d events, want one more (the throttled one, retried once)", n, accepted)
		}
	})
}

func TestNoKlaviyoEventsWithoutAKey(t *testing.T) {
	t.Parallel()
	fake := klaviyotest.NewServer(t, "pk_shop_a")
	a, _ := startApp(t, storagetest.URL(t, storage.SQLite), Config{KlaviyoBaseURL: fake.URL})
	shop := &storage.Shop{Platform: storage.Shopify, Domain: shopA, Settings: storage.JSON[storage.Settings]{V: storage.Settings{Klaviyo: []string{"in_transit"}}}}
	if err := a.db.UpsertShop(context.Background(), shop); err != nil {
		t.Fatal(err)
	}
	s := klaviyoShipment(t, a, shop, 9850, tracking.Event{Stage: tracking.StageInTransit, Code: "I", Description: "Departed"})
	apptest.WaitUntil(t, "the in-transit message (no key: ordertrack sends it)", func() bool {
		return storagetest.Count(t, a.db, "notifications", "shipment_id = ? AND trigger = ? AND status = ?", s.ID, "in_transit", "sent") == 1
	})
	if n := countJobs(t, a, "klaviyo_event"); n != 0 || fake.Requests() != 0 {
		t.Fatalf("%d Klaviyo jobs, %d requests for a shop without a key; want none", n, fake.Requests())
	}
}
