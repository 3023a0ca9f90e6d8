package messaging

import (
	"context"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/metrics"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// With the switches on, the merchant hears once about an order not
// shipped after its working days and about a label no carrier scanned;
// with them off, or before the days have passed, nothing is sent.
func TestPreShipmentAlerts(t *testing.T) {
	placed := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) // a Monday
	tests := []struct {
		name          string
		settings      storage.Settings
		now           time.Time
		wantTriggers  []string
		wantShipments int // alerts about a parcel
	}{
		{"switches off", storage.Settings{}, placed.AddDate(0, 0, 10), nil, 0},
		{"not yet due", storage.Settings{NotShippedAlertDays: 3, LabelIdleAlertDays: 3}, placed.AddDate(0, 0, 2), nil, 0},
		{"both due", storage.Settings{NotShippedAlertDays: 3, LabelIdleAlertDays: 3}, placed.AddDate(0, 0, 4), []string{TriggerLabelIdle, TriggerNotShipped}, 1},
		{"weekend does not count", storage.Settings{NotShippedAlertDays: 5}, placed.AddDate(0, 0, 6), nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := storagetest.Open(t, storage.SQLite)
			ctx := context.Background()
			shop := &storage.Shop{Platform: storage.Shopify, Domain: "s.myshopify.com", Name: "S", Status: "active", Email: "owner@s.example"}
			if err := db.UpsertShop(ctx, shop); err != nil {
				t.Fatal(err)
			}
			if err := db.SaveSettings(ctx, shop.ID, tt.settings); err != nil {
				t.Fatal(err)
			}
			waiting := &storage.Order{ShopID: shop.ID, PlatformID: "1", Name: "#1001", CreatedAt: placed}
			labelled := &storage.Order{ShopID: shop.ID, PlatformID: "2", Name: "#1002", CreatedAt: placed}
			untracked := &storage.Order{ShopID: shop.ID, PlatformID: "3", Name: "#1003", CreatedAt: placed} // fulfilled without a number
			for _, o := range []*storage.Order{waiting, labelled, untracked} {
				if _, err := db.UpsertOrder(ctx, o); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.UpsertFulfillment(ctx, &storage.Fulfillment{ShopID: shop.ID, OrderID: untracked.ID, PlatformID: "f-3", Status: "active"}); err != nil {
				t.Fatal(err)
			}
			label := &storage.Shipment{ShopID: shop.ID, OrderID: labelled.ID, Carrier: "ups", TrackingNumber: "1Z999AA10123456784", Stage: "packed", CreatedAt: placed}
			if _, err := db.UpsertShipment(ctx, label); err != nil {
				t.Fatal(err)
			}
			m, err := New(Deps{DB: db, Now: func() time.Time { return tt.now }, Metrics: metrics.New()})
			if err != nil {
				t.Fatal(err)
			}
			for range 2 { // the hourly check runs again: nothing twice
				if err := m.PreShipmentAlertsJob(ctx, nil); err != nil {
					t.Fatal(err)
				}
			}
			var sent []storage.Notification
			if err := db.Gorm.Where("shop_id = ?", shop.ID).Order("trigger").Find(&sent).Error; err != nil {
				t.Fatal(err)
			}
			var got []string
			shipments := 0
			for _, n := range sent {
				got = append(got, n.Trigger)
				if n.ShipmentID != nil {
					shipments++
				}
				if n.Recipient != "owner@s.example" || n.Status != storage.NotificationSent {
					t.Errorf("%s to %q, %s; want sent to the owner", n.Trigger, n.Recipient, n.Status)
				}
			}
			if len(got) != len(tt.wantTriggers) || shipments != tt.wantShipments {
				t.Fatalf("alerts %v (%d about a parcel); want %v (%d)", got, shipments, tt.wantTriggers, tt.wantShipments)
			}
			for i := range got {
				if got[i] != tt.wantTriggers[i] {
					t.Fatalf("alerts %v; want %v", got, tt.wantTriggers)
				}
			}
		})
	}
}
