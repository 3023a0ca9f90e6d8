package storage_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestFindOrderTokenMatchesContactAsTyped(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		addOrder := func(shop *storage.Shop, name, email, phone string) string {
			t.Helper()
			o := &storage.Order{ShopID: shop.ID, PlatformID: name, Name: name, Email: email, Phone: phone}
			if _, err := db.UpsertOrder(ctx, o); err != nil {
				t.Fatal(err)
			}
			s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: "ups", TrackingNumber: "1Z" + name, Stage: "packed"}
			if _, err := db.UpsertShipment(ctx, s); err != nil {
				t.Fatal(err)
			}
			return s.PublicToken
		}
		shop, other := newShop(t, db, "demo.myshopify.com"), newShop(t, db, "other.myshopify.com")
		us := addOrder(shop, "#1001", "Ann@Example.com", "+14155550100")
		// WooCommerce keeps the billing phone as the shopper typed it.
		uk := addOrder(shop, "#1002", "", "07911 123456")
		addOrder(other, "#1003", "bob@example.com", "+12125550199")

		for _, tc := range []struct {
			order, contact string
			want           string // "" for not found
		}{
			{"#1001", "+14155550100", us},
			{"1001", "(415) 555-0100", us},
			{"#1001", "+1 (415) 555-0100", us},
			{"#1001", "1-415-555-0100", us},
			{"#1001", "415.555.0100", us},
			{"#1001", "555-0100", us},
			{"#1001", "ann@example.COM", us},
			{"#1002", "+44 7911 123456", uk},
			{"#1002", "0044 7911 123456", uk},
			{"#1002", "07911123456", uk},
			{"#1001", "(415) 555-0199", ""},   // another number
			{"#1001", "+44 415 555 0100", ""}, // another country
			{"#1002", "+44 7911 123457", ""},
			{"#1001", "0100", ""}, // too few digits to mean anything
			{"#1001", "50100", ""},
			{"#1001", "x5550100@example.com", ""}, // an email is never a phone
			{"#1001", "example.com", ""},
			{"#1003", "(212) 555-0199", ""}, // another shop's order
			{"#1003", "bob@example.com", ""},
			{"#1001", "(212) 555-0199", ""},
			{"#1004", "(415) 555-0100", ""},
			{"#1001", "", ""},
		} {
			got, err := db.FindOrderToken(ctx, "demo.myshopify.com", tc.order, tc.contact)
			switch {
			case tc.want != "" && (err != nil || got != tc.want):
				t.Errorf("FindOrderToken(%q, %q) = %q, %v; want %q", tc.order, tc.contact, got, err, tc.want)
			case tc.want == "" && !errors.Is(err, storage.ErrNotFound):
				t.Errorf("FindOrderToken(%q, %q) = %q, %v; want ErrNotFound", tc.order, tc.contact, got, err)
			}
		}
	})
}

// A flush after a busy spell writes thousands of pages' views: each
// shipment gets its own count, however many statements that takes, and a
// token of no shipment is ignored.
func TestAddPageViewsCountsEachPage(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "views.myshopify.com")
		o := &storage.Order{ShopID: shop.ID, PlatformID: "1", Name: "#1"}
		if _, err := db.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		const n = 1201 // more than two statements' worth
		views := map[string]int{"no-such-page": 5}
		ships := make([]*storage.Shipment, n)
		for i := range ships {
			ships[i] = &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: "ups", TrackingNumber: fmt.Sprintf("1ZVIEWS%06d", i), Stage: "packed"}
			if _, err := db.UpsertShipment(ctx, ships[i]); err != nil {
				t.Fatal(err)
			}
			views[ships[i].PublicToken] = i%7 + 1
		}
		for range 2 {
			if err := db.AddPageViews(ctx, views); err != nil {
				t.Fatal(err)
			}
		}
		for _, s := range ships {
			got, err := db.ShipmentByToken(ctx, s.PublicToken)
			if err != nil {
				t.Fatal(err)
			}
			if want := 2 * views[s.PublicToken]; got.PageViews != want {
				t.Fatalf("shipment %s has %d views; want %d", s.TrackingNumber, got.PageViews, want)
			}
		}
	})
}
