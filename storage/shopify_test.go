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
	t.Parallel()
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

func TestOAuthStateWorksOnce(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		live := time.Now().Add(10 * time.Minute)
		cases := []struct {
			name, state string
			exp         time.Time
			want        error
		}{
			{"first use", "s-live", live, nil},
			{"second use", "s-live", live, storage.ErrStateMismatch},
			{"another state", "s-other", live, nil},
			{"a state recorded expired", "s-old", time.Now().Add(-time.Minute), nil},
			{"the expired one again: purged, the signature's expiry refuses it first", "s-old", live, nil},
		}
		for _, tc := range cases {
			if err := db.UseOAuthState(ctx, tc.state, "a.myshopify.com", tc.exp); !errors.Is(err, tc.want) {
				t.Errorf("%s: %v; want %v", tc.name, err, tc.want)
			}
		}
		var rows int64
		db.Gorm.Table("oauth_states").Count(&rows)
		if rows != 3 {
			t.Errorf("%d used states kept; want the 3 live ones", rows)
		}
	})
}
