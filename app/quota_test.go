package app

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
)

// fakeDHL answers the DHL Unified Tracking API with a recorded in-transit
// shipment for whatever number is asked, and counts calls.
func fakeDHL(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	body, err := os.ReadFile("../integrations/carriers/dhl/testdata/in_transit.json")
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		number := r.URL.Query().Get("trackingNumber")
		w.Header().Set("Content-Type", "application/json")
		w.Write(bytes.ReplaceAll(body, []byte("00340434161094042557"), []byte(number)))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestDHLDailyQuotaHoldsAcrossPolls(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		dhl, calls := fakeDHL(t)
		a, _ := startApp(t, dbURL, Config{Carriers: CarrierCredentials{DHLAPIKey: "k", DHLBaseURL: dhl.URL}}, atRecordingTime())
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.Shopify, Domain: "q.myshopify.com"}
		if err := a.db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		o := &storage.Order{PlatformID: "q1", Name: "#1"}
		if err := a.syncOrder(ctx, shop, o, []parcel{{Company: "DHL", Number: "00340434161094042557"}}); err != nil {
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
		waitUntil(t, "the poll postponed to tomorrow", func() bool {
			ships, _ := a.db.OrderShipments(ctx, shop.ID, o.ID)
			return len(ships) == 1 && ships[0].NextPollAt != nil && !ships[0].NextPollAt.Before(tomorrow)
		})
		if n := calls.Load(); n != 0 {
			t.Fatalf("DHL called %d times over its daily quota; want 0", n)
		}
	})
}

func TestDHLShipmentIsFetchedAtMostTenTimesADay(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		dhl, calls := fakeDHL(t)
		a, _ := startApp(t, dbURL, Config{Carriers: CarrierCredentials{DHLAPIKey: "k", DHLBaseURL: dhl.URL}}, atRecordingTime())
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.Shopify, Domain: "q.myshopify.com"}
		if err := a.db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		o := &storage.Order{PlatformID: "q1", Name: "#1"}
		if err := a.syncOrder(ctx, shop, o, []parcel{{Company: "DHL", Number: "00340434161094042557"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.jobs.Insert(ctx, jobs.SchedulePollsArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		var ship storage.Shipment
		waitUntil(t, "the DHL poll", func() bool {
			ships, _ := a.db.OrderShipments(ctx, shop.ID, o.ID)
			if len(ships) == 1 && ships[0].PollCount == 1 {
				ship = ships[0]
				return true
			}
			return false
		})
		if calls.Load() != 1 || ship.NextPollAt == nil || ship.NextPollAt.Before(recordedAt.Add(2*time.Hour+20*time.Minute)) {
			t.Fatalf("after one DHL poll: %d calls, next poll %v; want the next no sooner than 2.4 h (10 a day)", calls.Load(), ship.NextPollAt)
		}
	})
}
