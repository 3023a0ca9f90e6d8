package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// Phones are stored as the store spelled them, so the query narrows by the
// last four digits; many other customers may share them.
func TestCustomerOrdersFindsAPhoneBehindManySharingItsLastDigits(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.Shopify, Domain: "phones.myshopify.com"}
		if err := db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		add := func(i int, phone string) {
			o := &storage.Order{ShopID: shop.ID, PlatformID: fmt.Sprint(i), Name: fmt.Sprintf("#%d", 1000+i), Phone: phone, CreatedAt: at.Add(time.Duration(i) * time.Minute)}
			if err := db.Gorm.Create(o).Error; err != nil {
				t.Fatal(err)
			}
		}
		add(0, "+1 (415) 555-4567") // the customer's, the oldest
		for i := 1; i <= 250; i++ {
			add(i, fmt.Sprintf("+1 212-%03d-4567", i)) // others ending in 4567, newer
		}
		got, err := db.Scope(shop.ID).CustomerOrders(ctx, "", "+14155554567")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Order.Name != "#1000" {
			names := []string{}
			for _, o := range got {
				names = append(names, o.Order.Name)
			}
			t.Fatalf("customer orders = %v; want [#1000]", names)
		}
	})
}
