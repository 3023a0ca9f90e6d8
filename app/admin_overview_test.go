package app

import (
	"context"
	"fmt"
	"github.com/ordertrack/ordertrack/app/apptest"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// TestAdminReadsLikeAMerchantsTool: human labels in pipeline order, times in
// the shop's zone, customer and destination columns, search by email and
// phone, and shopper requests with their order and a handled state.
func TestAdminReadsLikeAMerchantsTool(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		ctx := context.Background()
		shop := ownerShop(t, a)
		if err := a.db.Gorm.Model(shop).Update("timezone", "America/Los_Angeles").Error; err != nil {
			t.Fatal(err)
		}
		o := &storage.Order{ShopID: shop.ID, PlatformID: "1001", Name: "#1001", Email: "Ana@Example.com", Phone: "+14155550100", CustomerName: "Ana Lopez", Locale: "en"}
		if err := a.db.Gorm.Create(o).Error; err != nil {
			t.Fatal(err)
		}
		for i, st := range []string{"in_transit", "delivered", "available_for_pickup", "confirmed"} {
			s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: "ups", TrackingNumber: fmt.Sprintf("1Z999AA1012345678%d", i),
				PublicToken: storage.NewToken(), Stage: st, DestRegion: "CA", DestCountry: "US"}
			if st == "in_transit" {
				s.Problem = "failed_attempt"
			}
			if err := a.db.Gorm.Create(s).Error; err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				if err := a.shopper.RecordAction(ctx, s, "reschedule", "page", map[string]string{"date": "2026-12-01"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		s := signIn(t, a, base, shop.ID)
		_, home := s.get(base + "/admin")
		order := []string{">Order confirmed<", ">In transit<", ">Ready for pickup<", ">Delivered<"}
		last := -1
		for _, label := range order {
			i := strings.Index(home, label)
			if i < 0 || i < last {
				t.Fatalf("overview stage cards: %q at %d after %d; want %v in pipeline order", label, i, last, order)
			}
			last = i
		}
		for _, want := range []string{">Delivery attempted<", `<a href="/admin/shipments/`, ">#1001</a>", "Ana Lopez", ">Reschedule<", "PST", "Mark handled"} {
			if !strings.Contains(home, want) {
				t.Errorf("overview lacks %q", want)
			}
		}
		if strings.Contains(home, ">in_transit<") || strings.Contains(home, ">failed_attempt<") {
			t.Error("overview shows raw codes")
		}

		acts, err := a.db.Scope(shop.ID).ActionRows(ctx, 5)
		if err != nil || len(acts) != 1 {
			t.Fatalf("actions = %v, %v", acts, err)
		}
		if code, _ := s.post(fmt.Sprintf("/admin/actions/%d/handled", acts[0].ID), url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("mark handled: %d", code)
		}
		if _, home = s.get(base + "/admin"); !strings.Contains(home, ">Handled<") || strings.Contains(home, "Mark handled") {
			t.Error("the request is not shown handled")
		}
		if n := storagetest.Count(t, a.db, "customer_actions", "status = ?", "handled"); n != 1 {
			t.Errorf("%d handled requests stored; want 1", n)
		}

		for _, q := range []string{"ana@example.com", "+1 415-555-0100", "#1001", "1Z999AA10123456780"} {
			_, list := s.get(base + "/admin/shipments?q=" + url.QueryEscape(q))
			if !strings.Contains(list, "1Z999AA10123456780") || !strings.Contains(list, "Ana Lopez") || !strings.Contains(list, "CA, US") || !strings.Contains(list, `>Shopper's page</a>`) {
				t.Errorf("search %q does not find the order with its customer, destination and page link", q)
			}
		}
	})
}
