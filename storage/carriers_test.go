package storage_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestCarrierAccountsAreSealedAndScopedToTheShop(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := newShop(t, db, "a.myshopify.com")
		b := newShop(t, db, "b.myshopify.com")
		creds := map[string]string{"client_id": "merchant-ups-id", "client_secret": "merchant-ups-secret"}
		if err := db.SetCarrierAccount(ctx, a.ID, "ups", creds); err != nil {
			t.Fatal(err)
		}
		var raw []byte
		if err := db.SQL.QueryRowContext(ctx, "SELECT credentials FROM carrier_accounts WHERE shop_id = $1", a.ID).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), "merchant-ups-secret") {
			t.Fatal("carrier credentials stored in plain text")
		}
		got, err := db.CarrierAccountCredentials(ctx, a.ID, "ups")
		if err != nil || got["client_secret"] != "merchant-ups-secret" {
			t.Fatalf("credentials = %v, %v", got, err)
		}
		if _, err := db.CarrierAccountCredentials(ctx, b.ID, "ups"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("shop B reading UPS account: err = %v; want ErrNotFound", err)
		}
		keys, err := db.CarrierAccountKeys(ctx)
		if err != nil || len(keys) != 1 || !keys[storage.CarrierAccountKey{ShopID: a.ID, Carrier: "ups"}] {
			t.Fatalf("account keys = %v, %v", keys, err)
		}
	})
}

func TestReserveCarrierCallsHoldsTheDailyQuota(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		day := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
		got := []bool{}
		for _, n := range []int{100, 100, 60, 50} {
			ok, err := db.ReserveCarrierCalls(ctx, "dhl", day, n, 250)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ok)
		}
		if want := []bool{true, true, false, true}; !slices.Equal(got, want) {
			t.Fatalf("reservations = %v; want %v (250 a day: 100+100 fit, 60 does not, 50 does)", got, want)
		}
		if ok, _ := db.ReserveCarrierCalls(ctx, "dhl", day.AddDate(0, 0, 1), 250, 250); !ok {
			t.Fatal("the next day's quota is fresh")
		}
	})
}

// The platform's DHL quota has 20 calls left; a shop with 300 polls waiting
// asks first, 300 times, then a shop with 10: the second shop still gets
// all of its 10, because the first stops at its share.
func TestSharedCarrierQuotaKeepsEachShopsShare(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		big := newShop(t, db, "big.myshopify.com")
		small := newShop(t, db, "small.myshopify.com")
		day := at(21, 9)
		dueShipments(t, db, big, "dhl", "JJDBIG", 300, day)
		dueShipments(t, db, small, "dhl", "JJDSMALL", 10, day)
		if ok, err := db.ReserveCarrierCalls(ctx, "dhl", day, 230, 250); err != nil || !ok {
			t.Fatalf("spend 230 calls: %v %v", ok, err)
		}
		reserve := func(shop *storage.Shop, times int) (granted int) {
			for range times {
				ok, err := db.ReserveSharedCarrierCalls(ctx, "dhl", shop.ID, day, 1, 250, func(spent int, use map[int64]tracking.QuotaUse) bool {
					return tracking.ShareQuota(250, spent, use, shop.ID, 1)
				})
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					granted++
				}
			}
			return granted
		}
		if got := reserve(big, 300); got != 10 {
			t.Errorf("the shop with 300 polls got %d of the 20 calls left; want 10 (the other shop waits for 10)", got)
		}
		if got := reserve(small, 10); got != 10 {
			t.Errorf("the shop with 10 polls got %d calls; want all 10", got)
		}
		if ok, _ := db.ReserveCarrierCalls(ctx, "dhl", day, 1, 250); ok {
			t.Error("a call past the day's 250 was granted")
		}
	})
}
