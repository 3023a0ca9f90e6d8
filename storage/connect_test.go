package storage_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestShopsOfTwoPlatformsMayShareADomain(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shopify := newShop(t, db, "same.example")
		woo := &storage.Shop{Platform: storage.WooCommerce, Domain: "same.example", Name: "Woo"}
		if err := db.UpsertShop(ctx, woo); err != nil {
			t.Fatal(err)
		}
		if woo.ID == shopify.ID {
			t.Fatalf("a WooCommerce shop of a Shopify shop's domain got the Shopify shop's row %d; want its own", woo.ID)
		}
		for _, tc := range []struct {
			platform storage.Platform
			want     int64
		}{{storage.Shopify, shopify.ID}, {storage.WooCommerce, woo.ID}} {
			got, err := db.ShopByDomain(ctx, tc.platform, "same.example")
			if err != nil || got.ID != tc.want || got.Platform != tc.platform {
				t.Errorf("ShopByDomain(%s) = %+v, %v; want shop %d", tc.platform, got, err, tc.want)
			}
		}
	})
}

// TestMigrationKeepsShopsAndTheirRows stores a shop and an order in the
// schema before the (platform, domain) migration, which rebuilds shops on
// SQLite, and checks both survive with their ids and the cascade still works.
func TestMigrationKeepsShopsAndTheirRows(t *testing.T) {
	t.Parallel()
	for _, d := range []storage.Dialect{storage.SQLite, storage.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			url := storagetest.SQLiteURL(t)
			if d == storage.Postgres {
				url = storagetest.PostgresURL(t)
			}
			ctx := context.Background()
			db, err := storage.Open(ctx, url, storage.Options{EncryptionKey: storagetest.Key})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.MigrateTo(ctx, 14); err != nil {
				t.Fatalf("migrate to 14: %v", err)
			}
			shop := &storage.Shop{Platform: storage.Shopify, Domain: "old.myshopify.com", Name: "Old", Status: "active", Timezone: "UTC"}
			if err := db.Gorm.Create(shop).Error; err != nil {
				t.Fatal(err)
			}
			// The schema of version 14, not today's model: insert by hand.
			if err := db.Gorm.Exec("INSERT INTO orders (shop_id, platform_id, name, created_at, updated_at) VALUES (?, '1', '#1', ?, ?)",
				shop.ID, time.Now().UTC(), time.Now().UTC()).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			got, err := db.ShopByDomain(ctx, storage.Shopify, "old.myshopify.com")
			if err != nil || got.ID != shop.ID {
				t.Fatalf("shop after migration: %+v, %v; want id %d", got, err, shop.ID)
			}
			if _, err := db.OrderByPlatformID(ctx, shop.ID, "1"); err != nil {
				t.Fatalf("order after migration: %v", err)
			}
			dup := &storage.Shop{Platform: storage.Shopify, Domain: "old.myshopify.com", Name: "Again"}
			if err := db.UpsertShop(ctx, dup); err != nil || dup.ID != shop.ID {
				t.Fatalf("upsert of the same shop after migration: id %d, %v; want %d", dup.ID, err, shop.ID)
			}
			if err := db.DeleteShop(ctx, shop.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := db.OrderByPlatformID(ctx, shop.ID, "1"); !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("order after its shop was deleted: %v; want it gone with the shop", err)
			}
		})
	}
}

func TestPendingConnectionsAreCappedPerClientAndExpire(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		lim := storage.PendingLimits{PerClient: 2, Total: 3}
		start := func(n int, client string, expires time.Time) error {
			return db.StartWooConnection(ctx, &storage.WooConnection{
				UserID: client + "-" + string(rune('a'+n)), StoreURL: "https://shop.example", Client: client, ExpiresAt: expires,
			}, lim)
		}
		live := time.Now().Add(time.Hour)
		if err := start(0, "198.51.100.1", time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 2; i++ {
			if err := start(i, "198.51.100.1", live); err != nil {
				t.Fatalf("connection %d of a client under its cap (the expired one purged): %v", i, err)
			}
		}
		if err := start(3, "198.51.100.1", live); !errors.Is(err, storage.ErrTooMany) {
			t.Fatalf("third live connection of one client: %v; want ErrTooMany", err)
		}
		if err := start(4, "198.51.100.2", live); err != nil {
			t.Fatalf("another client's first connection: %v", err)
		}
		if err := start(5, "198.51.100.3", live); !errors.Is(err, storage.ErrTooMany) {
			t.Fatalf("a connection past the total cap: %v; want ErrTooMany", err)
		}
		var rows int64
		db.Gorm.Model(&storage.WooConnection{}).Count(&rows)
		if rows != 3 {
			t.Fatalf("%d connection rows; want the 3 live ones (expired purged, refused not stored)", rows)
		}
	})
}

func TestLoginTokenWorksOnceAndIsStoredHashed(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "login.myshopify.com")
		token, err := db.IssueLoginToken(ctx, shop.ID, time.Now().Add(time.Minute), 2)
		if err != nil {
			t.Fatal(err)
		}
		var stored string
		if err := db.SQL.QueryRowContext(ctx, "SELECT token_hash FROM login_tokens").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored, token) || stored != storage.HashToken(token) {
			t.Fatalf("login_tokens holds %q; want only the token's hash", stored)
		}
		if id, err := db.ConsumeLoginToken(ctx, token); err != nil || id != shop.ID {
			t.Fatalf("first use: shop %d, %v; want %d", id, err, shop.ID)
		}
		for name, tok := range map[string]string{"second use": token, "never issued": "forged", "empty": ""} {
			if _, err := db.ConsumeLoginToken(ctx, tok); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("%s: %v; want ErrNotFound", name, err)
			}
		}
		expired, err := db.IssueLoginToken(ctx, shop.ID, time.Now().Add(-time.Second), 2)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ConsumeLoginToken(ctx, expired); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("expired token: %v; want ErrNotFound", err)
		}
		for range 2 {
			if _, err := db.IssueLoginToken(ctx, shop.ID, time.Now().Add(time.Minute), 2); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.IssueLoginToken(ctx, shop.ID, time.Now().Add(time.Minute), 2); !errors.Is(err, storage.ErrTooMany) {
			t.Fatalf("a third unused live token: %v; want ErrTooMany", err)
		}
	})
}

func TestLoginNonceWorksOnce(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "nonce.myshopify.com")
		exp := time.Now().Add(5 * time.Minute)
		for i, want := range []bool{true, false} {
			if fresh, err := db.UseLoginNonce(ctx, shop.ID, "0123456789abcdef", exp); err != nil || fresh != want {
				t.Fatalf("use %d: fresh=%v, %v; want %v", i+1, fresh, err, want)
			}
		}
	})
}
