package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestAdminShipmentDetailShowsTimelineMessagesAndRequests(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		ctx := context.Background()
		tokA := seedOrder(t, a, "shop-a.myshopify.com", "#1001", "ana@example.com")
		tokB := seedOrder(t, a, "shop-b.myshopify.com", "#2001", "bo@example.com")
		shipA, _ := a.db.ShipmentByToken(ctx, tokA)
		shipB, _ := a.db.ShipmentByToken(ctx, tokB)
		if err := a.shopper.RecordAction(ctx, shipA, "reschedule", "sms", map[string]string{"date": "2026-12-01"}); err != nil {
			t.Fatal(err)
		}
		s := signIn(t, a, base, shipA.ShopID)
		code, page := s.get(fmt.Sprintf("%s/admin/shipments/%d", base, shipA.ID))
		if code != http.StatusOK || !strings.Contains(page, "#1001") || !strings.Contains(page, ">Reschedule<") || !strings.Contains(page, "2026-12-01") {
			t.Fatalf("detail page = %d; want the order, the request and its date", code)
		}
		apptest.WaitUntil(t, "the shipped email in the log", func() bool {
			n := storagetest.Count(t, a.db, "notifications", "shipment_id = ? AND trigger = ?", shipA.ID, "shipped")
			return n > 0
		})
		if _, page := s.get(fmt.Sprintf("%s/admin/shipments/%d", base, shipA.ID)); !strings.Contains(page, "ana@example.com") {
			t.Fatal("detail page does not list the message sent to the shopper")
		}
		if code, _ := s.get(fmt.Sprintf("%s/admin/shipments/%d", base, shipB.ID)); code != http.StatusNotFound {
			t.Fatalf("shop A opening shop B's shipment = %d; want 404", code)
		}
		if code, page := s.get(base + "/admin/shipments?from=2000-01-01&to=2000-01-02"); code != http.StatusOK || strings.Contains(page, "1Z999AA10123456784") {
			t.Fatal("a date range before the shipment still lists it")
		}
	})
}

// TestAdminShipmentsDateFilterUsesTheShopsDays: from and to are days in the
// shop's zone, as in analytics, not UTC days.
func TestAdminShipmentsDateFilterUsesTheShopsDays(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		shop := ownerShop(t, a)
		if err := a.db.Gorm.Model(shop).Update("timezone", "America/New_York").Error; err != nil {
			t.Fatal(err)
		}
		order := &storage.Order{ShopID: shop.ID, PlatformID: "1001", Name: "#1001", Email: "ana@example.com", Locale: "en"}
		if err := a.db.Gorm.Create(order).Error; err != nil {
			t.Fatal(err)
		}
		// 23:30 on November 25 in New York, 04:30 on the 26th in UTC.
		created := time.Date(2026, time.November, 26, 4, 30, 0, 0, time.UTC)
		ship := &storage.Shipment{
			ShopID: shop.ID, OrderID: order.ID, Carrier: "ups", TrackingNumber: "1Z999AA10123456784",
			PublicToken: storage.NewToken(), Stage: "in_transit", CreatedAt: created,
		}
		if err := a.db.Gorm.Create(ship).Error; err != nil {
			t.Fatal(err)
		}
		s := signIn(t, a, base, shop.ID)
		tests := []struct {
			query  string
			listed bool
		}{
			{"from=2026-11-25&to=2026-11-25", true},
			{"from=2026-11-25", true},
			{"to=2026-11-25", true},
			{"from=2026-11-26&to=2026-11-26", false},
			{"from=2026-11-26", false},
			{"to=2026-11-24", false},
		}
		for _, tt := range tests {
			code, page := s.get(base + "/admin/shipments?" + tt.query)
			if code != http.StatusOK {
				t.Fatalf("%s: status %d", tt.query, code)
			}
			if got := strings.Contains(page, ship.TrackingNumber); got != tt.listed {
				t.Errorf("%s: listed = %t; want %t", tt.query, got, tt.listed)
			}
		}
	})
}
