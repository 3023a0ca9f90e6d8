package storage_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

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

var fixtureSeq int

func (f *analyticsFixture) shipment(t *testing.T, shop *storage.Shop, s storage.Shipment) *storage.Shipment {
	t.Helper()
	fixtureSeq++
	ctx := context.Background()
	o := &storage.Order{ShopID: shop.ID, PlatformID: fmt.Sprint("o-", fixtureSeq), Name: fmt.Sprint("#", 1000+fixtureSeq)}
	if _, err := storage.UpsertOrder(ctx, f.db.Gorm, o); err != nil {
		t.Fatalf("create order: %v", err)
	}
	s.ShopID, s.OrderID, s.TrackingNumber, s.PublicToken = shop.ID, o.ID, fmt.Sprint("TN", fixtureSeq), storage.NewToken()
	if err := f.db.Gorm.WithContext(ctx).Create(&s).Error; err != nil {
		t.Fatalf("create shipment: %v", err)
	}
	return &s
}

func (f *analyticsFixture) event(t *testing.T, s *storage.Shipment, stage, problem, code, desc string) {
	t.Helper()
	fixtureSeq++
	e := storage.TrackingEvent{ShopID: s.ShopID, ShipmentID: s.ID, Fingerprint: fmt.Sprint("fp", fixtureSeq), OccurredAt: nov(4, 0),
		Stage: stage, Problem: problem, Code: code, Description: desc}
	if err := f.db.Gorm.Create(&e).Error; err != nil {
		t.Fatalf("create event: %v", err)
	}
}

func (f *analyticsFixture) message(t *testing.T, s *storage.Shipment, channel, status string) {
	t.Helper()
	fixtureSeq++
	n := storage.Notification{ShopID: s.ShopID, ShipmentID: &s.ID, Trigger: "shipped", Channel: channel, DedupeKey: fmt.Sprint("k", fixtureSeq), Status: status, CreatedAt: s.CreatedAt}
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

var november = storage.AnalyticsWindow{From: nov(1, 0), To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}

func day(d int) time.Time { return nov(d, 0) }

func TestAnalyticsCountsOnlyTheShopsShipmentsInTheWindow(t *testing.T) {
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
			{Carrier: "ups", Service: "Ground", DestCountry: "US", DestRegion: "CA", ShippedOn: day(2), DeliveredOn: day(5), Shipments: 1, Delivered: 1, Promised: 1, OnTime: 1, PageViews: 3, Viewed: 1},
			{Carrier: "ups", Service: "Ground", DestCountry: "US", DestRegion: "CA", ShippedOn: day(2), DeliveredOn: day(9), Shipments: 1, Delivered: 1, Promised: 1, Delayed: 1},
			{Carrier: "usps", DestCountry: "US", DestRegion: "NY", ShippedOn: day(3), DeliveredOn: day(5), Shipments: 1, Delivered: 1, PageViews: 2, Viewed: 1},
			{Carrier: "usps", DestCountry: "US", DestRegion: "NY", Shipments: 1, Delayed: 1, PageViews: 1, Viewed: 1},
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
			{Day: day(2), Shipments: 2, Delivered: 2, Promised: 2, OnTime: 1, Delayed: 1},
			{Day: day(3), Shipments: 2, Delivered: 1, Delayed: 1},
		})
	})
}

func TestAnalyticsOfAnEmptyWindowIsEmpty(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newAnalyticsFixture(t, db)
		december := storage.AnalyticsWindow{From: november.To, To: november.To.AddDate(0, 1, 0)}
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
