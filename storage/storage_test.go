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

func newShop(t *testing.T, db *storage.DB, domain string) *storage.Shop {
	t.Helper()
	s := &storage.Shop{Platform: storage.Shopify, Domain: domain, Name: "Test"}
	if err := db.UpsertShop(context.Background(), s); err != nil {
		t.Fatalf("create shop %s: %v", domain, err)
	}
	return s
}

func TestMigrationsAreCurrentAfterMigrate(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ok, err := db.MigrationsCurrent(context.Background())
		if err != nil || !ok {
			t.Fatalf("MigrationsCurrent = %v, %v; want true after Migrate", ok, err)
		}
		// Migrating again is a no-op, as on every machine's boot.
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
	})
}

func TestUpsertShopKeepsOneRowPerDomain(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		a := newShop(t, db, "a.myshopify.com")
		b := &storage.Shop{Platform: storage.Shopify, Domain: "a.myshopify.com", Name: "Renamed"}
		if err := db.UpsertShop(context.Background(), b); err != nil {
			t.Fatal(err)
		}
		if a.ID != b.ID || b.Name != "Renamed" {
			t.Fatalf("upsert gave id %d name %q; want id %d name Renamed", b.ID, b.Name, a.ID)
		}
	})
}

func TestSecretsAreEncryptedAtRest(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := newShop(t, db, "enc.myshopify.com")
		exp := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
		in := storage.Secrets{AccessToken: "shpat_secret_token", AccessExpiresAt: &exp, RefreshToken: "shprt_refresh"}
		if err := db.SetSecrets(ctx, s.ID, in); err != nil {
			t.Fatal(err)
		}
		var raw []byte
		if err := db.SQL.QueryRowContext(ctx, "SELECT access_token FROM shops WHERE id = $1", s.ID).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if len(raw) == 0 || strings.Contains(string(raw), "shpat_secret_token") {
			t.Fatalf("access_token column holds %q; want ciphertext", raw)
		}
		got, err := db.ShopByID(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		sec, err := db.Secrets(got)
		if err != nil {
			t.Fatal(err)
		}
		if sec.AccessToken != in.AccessToken || sec.RefreshToken != in.RefreshToken || !sec.AccessExpiresAt.Equal(exp) {
			t.Fatalf("secrets round trip = %+v; want %+v", sec, in)
		}
	})
}

func TestShopByDomainReportsNotFound(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		_, err := db.ShopByDomain(context.Background(), storage.Shopify, "missing.myshopify.com")
		if !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("err = %v; want ErrNotFound", err)
		}
	})
}

func TestRecordDeliveriesStoresEachIDOnce(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.RecordDelivery(ctx, &storage.WebhookDelivery{Platform: storage.Shopify, DeliveryID: "old", Payload: []byte(`{"n":0}`), ReceivedAt: db.Now()}); err != nil {
			t.Fatal(err)
		}
		batch := []*storage.WebhookDelivery{
			{Platform: storage.Shopify, DeliveryID: "a", Topic: "orders/create", ShopDomain: "a.myshopify.com", Payload: []byte(`{"n":1}`), ReceivedAt: db.Now()},
			{Platform: storage.Shopify, DeliveryID: "old", Payload: []byte(`{"n":2}`), ReceivedAt: db.Now()},
			{Platform: storage.WooCommerce, DeliveryID: "a", Payload: []byte(`{"n":3}`), ReceivedAt: db.Now()}, // same id, other platform
			{Platform: storage.Shopify, DeliveryID: "a", Payload: []byte(`{"n":4}`), ReceivedAt: db.Now()},     // repeated in the batch
		}
		got, err := db.RecordDeliveries(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		if want := []bool{true, false, true, false}; !slices.Equal(got, want) {
			t.Fatalf("stored = %v; want %v", got, want)
		}
		for _, i := range []int{0, 2} {
			d, err := db.Delivery(ctx, batch[i].ID)
			if err != nil {
				t.Fatalf("delivery %d: %v", i, err)
			}
			if d.DeliveryID != batch[i].DeliveryID || d.Platform != batch[i].Platform || string(d.Payload) != string(batch[i].Payload) || d.Status != storage.DeliveryReceived ||
				d.ShopDomain != batch[i].ShopDomain || d.Topic != batch[i].Topic || d.ReceivedAt.Sub(batch[i].ReceivedAt).Abs() > time.Millisecond {
				t.Fatalf("delivery %d stored as %+v", i, d)
			}
		}
		var n int64
		db.Gorm.Model(&storage.WebhookDelivery{}).Count(&n)
		if n != 3 {
			t.Fatalf("stored %d deliveries; want 3", n)
		}
	})
}

func TestRecordDeliveryIgnoresRedelivery(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		for i, want := range []bool{true, false} {
			d := &storage.WebhookDelivery{Platform: storage.Shopify, DeliveryID: "wh-1", Topic: "orders/create", Payload: []byte(`{}`), ReceivedAt: db.Now()}
			got, err := db.RecordDelivery(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("delivery %d inserted = %v; want %v", i, got, want)
			}
		}
		var n int64
		db.Gorm.Model(&storage.WebhookDelivery{}).Count(&n)
		if n != 1 {
			t.Fatalf("stored %d deliveries; want 1", n)
		}
	})
}
