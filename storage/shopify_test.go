package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestSaveOAuthTokenKeepsTheLongerLivedPair(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.Shopify, Domain: "tok.myshopify.com"}
		if err := db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		pair := func(access string, ttl time.Duration) storage.OAuthToken {
			exp, rexp := now.Add(ttl), now.Add(90*24*time.Hour)
			return storage.OAuthToken{AccessToken: access, ExpiresAt: &exp, RefreshToken: "r-" + access, RefreshExpiresAt: &rexp, Scopes: "read_orders"}
		}
		steps := []struct {
			save storage.OAuthToken
			want string
		}{
			{pair("first", time.Hour), "first"},
			{pair("newer", 2*time.Hour), "newer"},
			{pair("stale", 30*time.Minute), "newer"}, // a slower machine's older refresh
		}
		for _, st := range steps {
			if err := db.SaveOAuthToken(ctx, shop.Domain, st.save); err != nil {
				t.Fatal(err)
			}
			got, err := db.OAuthToken(ctx, shop.Domain)
			if err != nil {
				t.Fatal(err)
			}
			if got.AccessToken != st.want || got.RefreshToken != "r-"+st.want || got.Scopes != "read_orders" {
				t.Fatalf("after saving %s: stored %s/%s; want %s and its refresh token", st.save.AccessToken, got.AccessToken, got.RefreshToken, st.want)
			}
		}
		if err := db.Uninstall(ctx, shop.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.OAuthToken(ctx, shop.Domain); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("token after uninstall: %v; want ErrNotFound", err)
		}
	})
}

func TestOAuthStateWorksOnceForItsShop(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		live := time.Now().Add(10 * time.Minute)
		for state, exp := range map[string]time.Time{"s-live": live, "s-other": live, "s-expired": time.Now().Add(-time.Minute)} {
			if err := db.CreateOAuthState(ctx, state, "a.myshopify.com", "203.0.113.1", exp, storage.PendingLimits{PerClient: 10, Total: 10}); err != nil {
				t.Fatal(err)
			}
		}
		cases := []struct {
			name, state, shop string
			want              error
		}{
			{"first use", "s-live", "a.myshopify.com", nil},
			{"second use", "s-live", "a.myshopify.com", storage.ErrStateMismatch},
			{"another shop", "s-other", "b.myshopify.com", storage.ErrStateMismatch},
			{"expired", "s-expired", "a.myshopify.com", storage.ErrStateMismatch},
			{"never issued", "s-forged", "a.myshopify.com", storage.ErrStateMismatch},
		}
		for _, tc := range cases {
			if err := db.ConsumeOAuthState(ctx, tc.state, tc.shop); !errors.Is(err, tc.want) {
				t.Errorf("%s: %v; want %v", tc.name, err, tc.want)
			}
		}
	})
}
