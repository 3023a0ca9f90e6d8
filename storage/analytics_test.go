package storage_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func nov(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }

func tp(t time.Time) *time.Time { return &t }

// analyticsFixture builds shop A's four shipments created in November (one
// on time, one late, one flagged delayed in transit, one delivered without a
// promise), one of A's shipments from October, and shop B's shipment, each
// with problem events, messages and support contacts (made when their
// shipment was), so every query must both count and exclude.
type analyticsFixture struct {
	db           *storage.DB
	shopA, shopB *storage.Shop
	a            [4]*storage.Shipment
}

func newAnalyticsFixture(t *testing.T, db *storage.DB) *analyticsFixture {
	t.Helper()
	f := &analyticsFixture{db: db, shopA: newShop(t, db, "a.myshopify.com"), shopB: newShop(t, db, "b.myshopify.com")}
	f.a[0] = f.shipment(t, f.shopA, storage.Shipment{Carrier: "ups", Service: "Ground", DestCountry: "US", DestRegion: "CA",
		Stage: "delivered", ShippedAt: tp(nov(2, 10)), DeliveredAt: tp(nov(5, 15)), ETALatest: tp(nov(5, 0)), PageViews: 3, CreatedAt: nov(2, 9)})
	f.a[1] = f.shipment(t, f.shopA, storage.Shipment{Carrier: "ups", Service: "Ground", DestCountry: "US", DestRegion: "CA",
		Stage: "delivered", ShippedAt: tp(nov(2, 11)), DeliveredAt: tp(nov(9, 12)), ETALatest: tp(nov(6, 0)), CreatedAt: nov(2, 10)})
	f.a[2] = f.shipment(t, f.shopA, storage.Shipment{Carrier: "usps", DestCountry: "US", DestRegion: "NY",
		Stage: "in_transit", Problem: "delayed", ShippedAt: tp(nov(3, 10)), ETALatest: tp(nov(6, 0)), PageViews: 1, CreatedAt: nov(3, 8)})
	f.a[3] = f.shipment(t, f.shopA, storage.Shipment{Carrier: "usps", DestCountry: "US", DestRegion: "NY",
		Stage: "delivered", ShippedAt: tp(nov(3, 10)), DeliveredAt: tp(nov(5, 18)), PageViews: 2, CreatedAt: nov(3, 23)})
	october := f.shipment(t, f.shopA, storage.Shipment{Carrier: "ups", Service: "Ground", DestCountry: "US", DestRegion: "CA",
		Stage: "delivered", ShippedAt: tp(nov(2, 10)), DeliveredAt: tp(nov(4, 10)), PageViews: 7, CreatedAt: time.Date(2026, 10, 31, 23, 0, 0, 0, time.UTC)})
	other := f.shipment(t, f.shopB, storage.Shipment{Carrier: "ups", Service: "Ground", DestCountry: "US", DestRegion: "CA",
		Stage: "delivered", ShippedAt: tp(nov(2, 10)), DeliveredAt: tp(nov(4, 10)), ETALatest: tp(nov(3, 0)), PageViews: 5, CreatedAt: nov(2, 12)})

	f.event(t, f.a[0], "delivered", "", "D", "Delivered")
	f.event(t, f.a[1], "out_for_delivery", "failed_attempt", "NA", "Receiver not available")
	f.event(t, f.a[1], "out_for_delivery", "failed_attempt", "NA", "Receiver not available")
	f.event(t, f.a[1], "in_transit", "exception", "DM", "Damaged")
	f.event(t, f.a[2], "in_transit", "exception", "DM", "Damaged")
	f.event(t, october, "out_for_delivery", "failed_attempt", "NA", "Receiver not available")
	f.event(t, other, "out_for_delivery", "failed_attempt", "NA", "Receiver not available")

	f.message(t, f.a[0], "email", "delivered")
	f.message(t, f.a[0], "email", "opened")
	f.message(t, f.a[0], "sms", "sent")
	f.message(t, f.a[1], "sms", "failed")
	f.message(t, f.a[2], "email", "sent")
	f.message(t, october, "email", "sent")
	f.message(t, other, "email", "opened")

	f.action(t, f.a[1], "not_received")
	f.action(t, f.a[1], "contact_support")
	f.action(t, f.a[2], "contact_support")
	f.action(t, f.a[0], "confirm_address")
	f.action(t, october, "contact_support")
	f.action(t, other, "contact_support")
	return f
}

// fixtureSeq numbers fixture rows uniquely across the parallel tests.
var fixtureSeq atomic.Int64

func (f *analyticsFixture) shipment(t *testing.T, shop *storage.Shop, s storage.Shipment) *storage.Shipment {
	t.Helper()
	seq := fixtureSeq.Add(1)
	ctx := context.Background()
	o := &storage.Order{ShopID: shop.ID, PlatformID: fmt.Sprint("o-", seq), Name: fmt.Sprint("#", 1000+seq)}
	if _, err := f.db.UpsertOrder(ctx, o); err != nil {
		t.Fatalf("create order: %v", err)
	}
	s.ShopID, s.OrderID, s.TrackingNumber, s.PublicToken = shop.ID, o.ID, fmt.Sprint("TN", seq), storage.NewToken()
	if err := f.db.Gorm.WithContext(ctx).Create(&s).Error; err != nil {
		t.Fatalf("create shipment: %v", err)
	}
	return &s
}

func (f *analyticsFixture) event(t *testing.T, s *storage.Shipment, stage, problem, code, desc string) {
	t.Helper()
	e := storage.TrackingEvent{ShopID: s.ShopID, ShipmentID: s.ID, Fingerprint: fmt.Sprint("fp", fixtureSeq.Add(1)), OccurredAt: nov(4, 0),
		Stage: stage, Problem: problem, Code: code, Description: desc}
	if err := f.db.Gorm.Create(&e).Error; err != nil {
		t.Fatalf("create event: %v", err)
	}
}

func (f *analyticsFixture) message(t *testing.T, s *storage.Shipment, channel, status string) {
	t.Helper()
	n := storage.Notification{ShopID: s.ShopID, ShipmentID: &s.ID, Trigger: "shipped", Channel: channel, DedupeKey: fmt.Sprint("k", fixtureSeq.Add(1)), Status: status, CreatedAt: s.CreatedAt}
	if err := f.db.Gorm.Create(&n).Error; err != nil {
		t.Fatalf("create notification: %v", err)
	}
}

func (f *analyticsFixture) action(t *testing.T, s *storage.Shipment, kind string) {
	t.Helper()
	a := storage.CustomerAction{ShopID: s.ShopID, ShipmentID: &s.ID, Kind: kind, Source: "page", CreatedAt: s.CreatedAt}
	if err := f.db.Gorm.Create(&a).Error; err != nil {
		t.Fatalf("create action: %v", err)
	}
}

var november = storage.AnalyticsWindow{First: nov(1, 0), Last: nov(30, 0)}

func day(d int) time.Time { return nov(d, 0) }

func TestAnalyticsCountsOnlyTheShopsShipmentsInTheWindow(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newAnalyticsFixture(t, db)
		got, err := db.Scope(f.shopA.ID).Analytics(context.Background(), november, 10)
		if err != nil {
			t.Fatal(err)
		}
		sort.Slice(got.Lanes, func(i, j int) bool {
			a, b := got.Lanes[i], got.Lanes[j]
			return fmt.Sprint(a.Carrier, a.DeliveredOn.Unix()) < fmt.Sprint(b.Carrier, b.DeliveredOn.Unix())
		})
		wantLanes := []storage.LaneGroup{
			{Carrier: "ups", Service: "Ground", DestCountry: "US", DestRegion: "CA", ShippedOn: day(2), DeliveredOn: day(5), Counts: storage.Counts{Shipments: 1, Delivered: 1, Promised: 1, OnTime: 1}, PageViews: 3, Viewed: 1},
			{Carrier: "ups", Service: "Ground", DestCountry: "US", DestRegion: "CA", ShippedOn: day(2), DeliveredOn: day(9), Counts: storage.Counts{Shipments: 1, Delivered: 1, Promised: 1, Delayed: 1}},
			{Carrier: "usps", DestCountry: "US", DestRegion: "NY", ShippedOn: day(3), DeliveredOn: day(5), Counts: storage.Counts{Shipments: 1, Delivered: 1}, PageViews: 2, Viewed: 1},
			{Carrier: "usps", DestCountry: "US", DestRegion: "NY", Counts: storage.Counts{Shipments: 1, Delayed: 1}, PageViews: 1, Viewed: 1},
		}
		// Sorting by the Unix second puts the zero date ("-62135596800") before
		// real dates within a carrier.
		wantLanes[2], wantLanes[3] = wantLanes[3], wantLanes[2]
		checkEqual(t, "lanes", got.Lanes, wantLanes)

		sort.Slice(got.Problems, func(i, j int) bool {
			return got.Problems[i].Carrier+got.Problems[i].Problem < got.Problems[j].Carrier+got.Problems[j].Problem
		})
		checkEqual(t, "problems", got.Problems, []storage.ProblemCount{
			{Carrier: "ups", Problem: "exception", Shipments: 1},
			{Carrier: "ups", Problem: "failed_attempt", Shipments: 1},
			{Carrier: "usps", Problem: "exception", Shipments: 1},
		})
		checkEqual(t, "reasons", got.Reasons, []storage.ProblemReason{
			{Problem: "exception", Code: "DM", Description: "Damaged", Events: 2, Shipments: 2},
			{Problem: "failed_attempt", Code: "NA", Description: "Receiver not available", Events: 2, Shipments: 1},
		})
		sort.Slice(got.Stages, func(i, j int) bool { return got.Stages[i].Stage < got.Stages[j].Stage })
		checkEqual(t, "stages", got.Stages, []storage.ProblemStage{
			{Stage: "in_transit", Problem: "exception", Shipments: 2},
			{Stage: "out_for_delivery", Problem: "failed_attempt", Shipments: 1},
		})
		sort.Slice(got.Messages, func(i, j int) bool {
			return got.Messages[i].Channel+got.Messages[i].Status < got.Messages[j].Channel+got.Messages[j].Status
		})
		checkEqual(t, "messages", got.Messages, []storage.MessageCount{
			{Channel: "email", Status: "delivered", N: 1}, {Channel: "email", Status: "opened", N: 1}, {Channel: "email", Status: "sent", N: 1},
			{Channel: "sms", Status: "failed", N: 1}, {Channel: "sms", Status: "sent", N: 1},
		})
		checkEqual(t, "contacts", got.Contacts, storage.Contacts{Actions: 3, Shipments: 2})
		checkEqual(t, "days", got.Days, []storage.DayCount{
			{Day: day(2), Counts: storage.Counts{Shipments: 2, Delivered: 2, Promised: 2, OnTime: 1, Delayed: 1}},
			{Day: day(3), Counts: storage.Counts{Shipments: 2, Delivered: 1, Delayed: 1}},
		})
	})
}

func TestAnalyticsOfAnEmptyWindowIsEmpty(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newAnalyticsFixture(t, db)
		december := storage.AnalyticsWindow{First: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Last: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)}
		got, err := db.Scope(f.shopA.ID).Analytics(context.Background(), december, 10)
		if err != nil {
			t.Fatal(err)
		}
		checkEqual(t, "december", got, storage.AnalyticsData{})
	})
}

func checkEqual[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func TestAnalyticsLocalDaySQLAgreesWithGo(t *testing.T) {
	t.Parallel()
	var zones []*time.Location
	for _, name := range []string{"UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "Europe/London"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	// Around each 2026 offset change, and around each local midnight next
	// to one, to the second.
	instants := func(loc *time.Location) []time.Time {
		var out []time.Time
		for t := time.Date(2026, 1, 1, 0, 0, 0, 0, loc); t.Year() == 2026; {
			_, end := t.ZoneBounds()
			if end.IsZero() || end.Year() > 2026 {
				break
			}
			y, m, d := end.In(loc).Date()
			for day := d - 1; day <= d+1; day++ {
				midnight := time.Date(y, m, day, 0, 0, 0, 0, loc)
				out = append(out, midnight.Add(-time.Second), midnight)
			}
			out = append(out, end.Add(-time.Second), end)
			t = end
		}
		return append(out, time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC), time.Date(2099, 12, 31, 23, 59, 59, 0, loc))
	}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		for _, loc := range zones {
			for _, at := range instants(loc) {
				got, err := db.LocalDay(context.Background(), at, loc)
				if err != nil {
					t.Fatal(err)
				}
				y, m, d := at.In(loc).Date()
				if want := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400; got != want {
					t.Errorf("%s in %s: SQL day %s, want %s", at.UTC().Format(time.RFC3339), loc,
						time.Unix(got*86400, 0).UTC().Format(time.DateOnly), at.In(loc).Format(time.DateOnly))
				}
			}
		}
	})
}

// TestAnalyticsCountsTheShopsLocalDays is a November report of a New York
// shop. US daylight saving time ends on 1 November 2026 at 06:00 UTC, so the
// month starts at 04:00 UTC and ends at 05:00 UTC on 1 December.
func TestAnalyticsCountsTheShopsLocalDays(t *testing.T) {
	t.Parallel()
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := &analyticsFixture{db: db, shopA: newShop(t, db, "ny.myshopify.com")}
		// Created 22:00 on 1 Nov in New York, shipped 22:30 the same
		// evening, delivered 21:00 on the 4th: promised the 4th, on time,
		// though in UTC it was shipped on the 2nd and delivered on the 5th.
		evening := f.shipment(t, f.shopA, storage.Shipment{Carrier: "ups", Service: "Ground", DestCountry: "US", DestRegion: "NY", Stage: "delivered",
			ShippedAt: tp(utc(2, 3, 30)), DeliveredAt: tp(utc(5, 2, 0)), ETALatest: tp(utc(4, 0, 0)), CreatedAt: utc(2, 3, 0)})
		// 00:30 on 1 Nov (still daylight time) is in the month; 23:30 on
		// 31 Oct and 00:00 on 1 Dec are not; 23:59 on 30 Nov is.
		f.shipment(t, f.shopA, storage.Shipment{Carrier: "usps", Stage: "in_transit", CreatedAt: utc(1, 4, 30)})
		october := f.shipment(t, f.shopA, storage.Shipment{Carrier: "usps", Stage: "in_transit", CreatedAt: utc(1, 3, 30)})
		f.shipment(t, f.shopA, storage.Shipment{Carrier: "usps", Stage: "in_transit", CreatedAt: time.Date(2026, 12, 1, 5, 0, 0, 0, time.UTC)})
		f.shipment(t, f.shopA, storage.Shipment{Carrier: "usps", Stage: "in_transit", CreatedAt: time.Date(2026, 12, 1, 4, 59, 0, 0, time.UTC)})
		f.event(t, evening, "out_for_delivery", "failed_attempt", "NA", "Receiver not available")
		f.event(t, october, "in_transit", "exception", "DM", "Damaged")
		f.message(t, evening, "email", "sent")
		f.message(t, october, "email", "sent")
		f.action(t, evening, "contact_support")
		f.action(t, october, "contact_support")

		w := storage.AnalyticsWindow{First: nov(1, 0), Last: nov(30, 0), Zone: newYork}
		got, err := db.Scope(f.shopA.ID).Analytics(context.Background(), w, 10)
		if err != nil {
			t.Fatal(err)
		}
		checkEqual(t, "days", got.Days, []storage.DayCount{
			{Day: day(1), Counts: storage.Counts{Shipments: 2, Delivered: 1, Promised: 1, OnTime: 1}},
			{Day: day(30), Counts: storage.Counts{Shipments: 1}},
		})
		var delivered []storage.LaneGroup
		for _, l := range got.Lanes {
			if l.Delivered > 0 {
				delivered = append(delivered, l)
			}
		}
		checkEqual(t, "delivered lanes", delivered, []storage.LaneGroup{{Carrier: "ups", Service: "Ground", DestCountry: "US", DestRegion: "NY",
			ShippedOn: day(1), DeliveredOn: day(4), Counts: storage.Counts{Shipments: 1, Delivered: 1, Promised: 1, OnTime: 1}}})
		checkEqual(t, "problems", got.Problems, []storage.ProblemCount{{Carrier: "ups", Problem: "failed_attempt", Shipments: 1}})
		checkEqual(t, "messages", got.Messages, []storage.MessageCount{{Channel: "email", Status: "sent", N: 1}})
		checkEqual(t, "contacts", got.Contacts, storage.Contacts{Actions: 1, Shipments: 1})
	})
}

func TestAnalyticsRecountsWhenTheZoneChanges(t *testing.T) {
	t.Parallel()
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newAnalyticsFixture(t, db)
		scope := db.Scope(f.shopA.ID)
		days := func(zone *time.Location) []time.Time {
			t.Helper()
			got, err := scope.Analytics(context.Background(), storage.AnalyticsWindow{First: nov(1, 0), Last: nov(30, 0), Zone: zone}, 10)
			if err != nil {
				t.Fatal(err)
			}
			var out []time.Time
			for _, d := range got.Days {
				out = append(out, d.Day)
			}
			return out
		}
		// The fixture's shipments are created at 09:00, 10:00, 08:00 and
		// 23:00 UTC on the 2nd and 3rd: 23:00 is still the 3rd in New York,
		// and October's 23:00 UTC on the 31st is 19:00 there.
		for _, tt := range []struct {
			zone *time.Location
			want []time.Time
		}{
			{time.UTC, []time.Time{day(2), day(3)}},
			{newYork, []time.Time{day(2), day(3)}},
			{time.UTC, []time.Time{day(2), day(3)}},
		} {
			checkEqual(t, "days in "+tt.zone.String(), days(tt.zone), tt.want)
		}
		f.shipment(t, f.shopA, storage.Shipment{Carrier: "ups", Stage: "in_transit", CreatedAt: time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)})
		checkEqual(t, "days in New York with a shipment at 21:00 on the 30th", days(newYork), []time.Time{day(2), day(3), day(30)})
		checkEqual(t, "days in UTC, where it is December", days(time.UTC), []time.Time{day(2), day(3)})
	})
}

// normalize orders what the queries return in no particular order.
func normalize(d storage.AnalyticsData) storage.AnalyticsData {
	sort.Slice(d.Lanes, func(i, j int) bool { return fmt.Sprintf("%+v", d.Lanes[i]) < fmt.Sprintf("%+v", d.Lanes[j]) })
	sort.Slice(d.Problems, func(i, j int) bool { return fmt.Sprintf("%+v", d.Problems[i]) < fmt.Sprintf("%+v", d.Problems[j]) })
	sort.Slice(d.Stages, func(i, j int) bool { return fmt.Sprintf("%+v", d.Stages[i]) < fmt.Sprintf("%+v", d.Stages[j]) })
	sort.Slice(d.Messages, func(i, j int) bool { return fmt.Sprintf("%+v", d.Messages[i]) < fmt.Sprintf("%+v", d.Messages[j]) })
	return d
}

// TestAnalyticsFollowsShipmentChanges changes shipments and messages after
// a report was built every way the app does (a poll that delivers, page
// views, a new shipment and message, a message opened, a deleted order) and
// checks the next report against the changes and against rollups rebuilt
// from scratch.
func TestAnalyticsFollowsShipmentChanges(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newAnalyticsFixture(t, db)
		scope := db.Scope(f.shopA.ID)
		if _, err := scope.Analytics(ctx, november, 10); err != nil {
			t.Fatal(err)
		}

		// The delayed USPS parcel fails an attempt, then is delivered on the 7th.
		s := f.a[2]
		_, err := db.ApplyUpdate(ctx, s, storage.Update{
			Added: []tracking.Event{{Time: nov(6, 15), Stage: tracking.StageOutForDelivery, Problem: tracking.ProblemFailedAttempt, Code: "NA", Description: "Receiver not available"},
				{Time: nov(7, 12), Stage: tracking.StageDelivered}},
			State: tracking.State{Stage: tracking.StageDelivered, StageAt: nov(7, 12), LastEventAt: nov(7, 12)},
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.AddPageViews(ctx, map[string]int{f.a[1].PublicToken: 4}); err != nil {
			t.Fatal(err)
		}
		fresh := f.shipment(t, f.shopA, storage.Shipment{Carrier: "dhl", DestCountry: "DE", Stage: "in_transit", CreatedAt: nov(20, 12)})
		f.message(t, fresh, "sms", "sent")
		if err := db.Gorm.Model(&storage.Notification{}).Where("shipment_id = ? AND channel = 'email'", f.a[2].ID).
			Update("status", storage.NotificationOpened).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Delete(&storage.Order{}, f.a[3].OrderID).Error; err != nil {
			t.Fatal(err)
		}

		got, err := scope.Analytics(ctx, november, 10)
		if err != nil {
			t.Fatal(err)
		}
		checkEqual(t, "days", got.Days, []storage.DayCount{
			{Day: day(2), Counts: storage.Counts{Shipments: 2, Delivered: 2, Promised: 2, OnTime: 1, Delayed: 1}},
			{Day: day(3), Counts: storage.Counts{Shipments: 1, Delivered: 1, Promised: 1, Delayed: 1}},
			{Day: day(20), Counts: storage.Counts{Shipments: 1}},
		})
		var views int64
		for _, l := range got.Lanes {
			views += l.PageViews
		}
		if views != 3+4+1 {
			t.Errorf("page views = %d, want 8", views)
		}
		checkEqual(t, "messages", normalize(got).Messages, []storage.MessageCount{
			{Channel: "email", Status: "delivered", N: 1}, {Channel: "email", Status: "opened", N: 2},
			{Channel: "sms", Status: "failed", N: 1}, {Channel: "sms", Status: "sent", N: 2},
		})
		checkEqual(t, "stages", normalize(got).Stages, []storage.ProblemStage{
			{Stage: "in_transit", Problem: "exception", Shipments: 2},
			{Stage: "out_for_delivery", Problem: "failed_attempt", Shipments: 2},
		})

		if _, err := db.SQL.ExecContext(ctx, "DELETE FROM analytics_builds"); err != nil {
			t.Fatal(err)
		}
		rebuilt, err := scope.Analytics(ctx, november, 10)
		if err != nil {
			t.Fatal(err)
		}
		checkEqual(t, "report after changes vs rebuilt", normalize(got), normalize(rebuilt))
	})
}

func TestRefreshAnalyticsFoldsEveryShopsChanges(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newAnalyticsFixture(t, db)
		// Shop A's rollup exists; shop B's does not yet.
		if _, err := db.Scope(f.shopA.ID).Analytics(ctx, november, 10); err != nil {
			t.Fatal(err)
		}
		if err := db.AddPageViews(ctx, map[string]int{f.a[0].PublicToken: 2}); err != nil {
			t.Fatal(err)
		}
		gone := newShop(t, db, "gone.myshopify.com")
		f.shipment(t, gone, storage.Shipment{Carrier: "ups", Stage: "in_transit", CreatedAt: nov(5, 0)})
		if err := db.DeleteShop(ctx, gone.ID); err != nil {
			t.Fatal(err)
		}

		if err := db.RefreshAnalytics(ctx); err != nil {
			t.Fatal(err)
		}
		count := func(table string) (n int64) {
			t.Helper()
			if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, queue := range []string{"analytics_shipment_queue", "analytics_message_queue"} {
			if n := count(queue); n != 0 {
				t.Errorf("%d changes left in %s after the refresh", n, queue)
			}
		}
		if n := count("analytics_builds"); n != 2 {
			t.Errorf("%d shops built, want A and B", n)
		}
		var views int64
		if err := db.SQL.QueryRowContext(ctx, "SELECT sum(page_views) FROM analytics_shipment_days WHERE shop_id = $1", f.shopA.ID).Scan(&views); err != nil {
			t.Fatal(err)
		}
		// A's shipments have 3+2 (the 1st), 1, 2 and 7 views.
		if views != 15 {
			t.Errorf("shop A's rollup counts %d page views, want 15", views)
		}
	})
}

// TestAnalyticsFoldsConcurrentChangesOnce has reports and the periodic
// refresh fold changes while page views keep arriving: every change must be
// counted exactly once.
func TestAnalyticsFoldsConcurrentChangesOnce(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newAnalyticsFixture(t, db)
		scope := db.Scope(f.shopA.ID)
		if _, err := scope.Analytics(ctx, november, 10); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		for w := range 3 {
			wg.Go(func() {
				for i := range 10 {
					if err := db.AddPageViews(ctx, map[string]int{f.a[(w+i)%len(f.a)].PublicToken: 1}); err != nil {
						errs <- err
					}
				}
			})
		}
		for range 2 {
			wg.Go(func() {
				for range 5 {
					if _, err := scope.Analytics(ctx, november, 10); err != nil {
						errs <- err
					}
					if err := db.RefreshAnalytics(ctx); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got, err := scope.Analytics(ctx, november, 10)
		if err != nil {
			t.Fatal(err)
		}
		var views int64
		for _, l := range got.Lanes {
			views += l.PageViews
		}
		if want := int64(3 + 1 + 2 + 30); views != want {
			t.Errorf("page views = %d, want %d", views, want)
		}
	})
}
