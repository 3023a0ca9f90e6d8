package shopify

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestRefresherReturnsFreshTokenWithoutCallingShopify(t *testing.T) {
	f := newFixture(t)
	stored := f.install(t, testShop)
	f.clock.t = testNow.Add(30 * time.Minute)
	got, err := f.tokens.Token(context.Background(), testShop)
	if err != nil || got != stored {
		t.Fatalf("Token = %+v, %v; want the stored token", got, err)
	}
	if n := f.fake.Stats(testShop).Refreshes; n != 0 {
		t.Fatalf("refreshes = %d, want 0", n)
	}
}

func TestRefresherRefreshesBeforeExpiryAndSaves(t *testing.T) {
	f := newFixture(t)
	stored := f.install(t, testShop)
	f.clock.t = stored.ExpiresAt.Add(-RefreshEarly + time.Second)
	got, err := f.tokens.Token(context.Background(), testShop)
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if got.AccessToken == stored.AccessToken || got.AccessToken != f.fake.AccessToken(testShop) {
		t.Fatalf("Token = %+v, want the newly issued token", got)
	}
	if saved := f.store.get(testShop); saved != got {
		t.Fatalf("saved %+v, want %+v", saved, got)
	}
}

func TestRefresherRefreshesOncePerShopUnderConcurrency(t *testing.T) {
	f := newFixture(t)
	stored := f.install(t, testShop)
	f.clock.t = stored.ExpiresAt.Add(time.Minute)
	const callers = 20
	// Hold every caller's first Load until all have loaded the expired
	// token, so they all decide to refresh at the same moment.
	var arrived sync.WaitGroup
	arrived.Add(callers)
	var mu sync.Mutex
	loads := 0
	f.store.gate = func() {
		mu.Lock()
		loads++
		first := loads <= callers
		mu.Unlock()
		if first {
			arrived.Done()
			arrived.Wait()
		}
	}
	var wg sync.WaitGroup
	got := make([]Token, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = f.tokens.Token(context.Background(), testShop)
		}()
	}
	wg.Wait()
	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if got[i].AccessToken != f.fake.AccessToken(testShop) {
			t.Fatalf("caller %d got %q, want the one refreshed token %q", i, got[i].AccessToken, f.fake.AccessToken(testShop))
		}
	}
	if n := f.fake.Stats(testShop).Refreshes; n != 1 {
		t.Fatalf("refreshes = %d, want 1", n)
	}
}

func TestRefresherRejectedSkipsRefreshWhenStoreAlreadyHasNewerToken(t *testing.T) {
	f := newFixture(t)
	stored := f.install(t, testShop)
	stale := Token{AccessToken: "shpat_old"}
	got, err := f.tokens.Rejected(context.Background(), testShop, stale)
	if err != nil || got != stored {
		t.Fatalf("Rejected = %+v, %v; want the stored newer token", got, err)
	}
	if n := f.fake.Stats(testShop).Refreshes; n != 0 {
		t.Fatalf("refreshes = %d, want 0", n)
	}
}

func TestRefresherAsksForReauthorizationWhenItCannotRefresh(t *testing.T) {
	tests := []struct {
		name  string
		token Token
	}{
		{"no refresh token", Token{AccessToken: "a", ExpiresAt: testNow.Add(-time.Minute)}},
		{"refresh token expired", Token{AccessToken: "a", ExpiresAt: testNow.Add(-time.Minute), RefreshToken: "r", RefreshExpiresAt: testNow.Add(-time.Second)}},
		{"refresh token unknown to Shopify", Token{AccessToken: "a", ExpiresAt: testNow.Add(-time.Minute), RefreshToken: "r"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.store.tokens[testShop] = tt.token
			if _, err := f.tokens.Token(context.Background(), testShop); !errors.Is(err, ErrReauthorize) {
				t.Fatalf("Token error = %v, want ErrReauthorize", err)
			}
		})
	}
}

func TestRefresherPassesStoreErrorsThrough(t *testing.T) {
	f := newFixture(t)
	if _, err := f.tokens.Token(context.Background(), testShop); !errors.Is(err, errNoToken) {
		t.Fatalf("Token error = %v, want the store's error", err)
	}
}
