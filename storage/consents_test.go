package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// A YES answers the latest question sent to the number, not every shop's
// that has asked it: a pending opt-in someone else made for the number at
// another shop stays pending.
func TestOneYesConfirmsOnlyTheLatestPendingConsent(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		const number = "+491701234567"
		var shops []*storage.Shop
		for _, d := range []string{"old.myshopify.com", "a.myshopify.com", "b.myshopify.com"} {
			s := &storage.Shop{Platform: storage.Shopify, Domain: d}
			if err := db.UpsertShop(ctx, s); err != nil {
				t.Fatal(err)
			}
			shops = append(shops, s)
		}
		var ids []int64
		for _, s := range shops {
			c := &storage.Consent{ShopID: s.ID, Channel: "sms", Address: number, Source: storage.ConsentSourceTrackingPage, Status: storage.ConsentPending, DoubleOptIn: true}
			if err := db.RecordConsent(ctx, c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
			time.Sleep(2 * time.Millisecond) // distinct creation times
		}
		// The first question is older than the window.
		if err := db.Gorm.Model(&storage.Consent{}).Where("id = ?", ids[0]).Update("created_at", time.Now().Add(-storage.ConfirmWindow-time.Hour)).Error; err != nil {
			t.Fatal(err)
		}
		for _, want := range []int64{shops[2].ID, shops[1].ID} {
			got, ok, err := db.ConfirmConsent(ctx, "sms", number)
			if err != nil || !ok || got != want {
				t.Fatalf("ConfirmConsent = %d, %v, %v; want shop %d", got, ok, err, want)
			}
			for _, s := range shops {
				cs, err := db.Consents(ctx, s.ID, number)
				if err != nil {
					t.Fatal(err)
				}
				confirmed := cs[0].Status == storage.ConsentConfirmed
				if confirmed != (s.ID == want || (s.ID == shops[2].ID)) {
					t.Errorf("after confirming shop %d: shop %d consent is %s", want, s.ID, cs[0].Status)
				}
			}
		}
		if got, ok, err := db.ConfirmConsent(ctx, "sms", number); ok || err != nil {
			t.Errorf("a YES after the window confirmed shop %d (%v); want nothing", got, err)
		}
	})
}
