package storage_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestCarrierAccountsAreSealedAndScopedToTheShop(t *testing.T) {
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
