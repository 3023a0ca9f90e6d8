package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/install"
	"github.com/ordertrack/ordertrack/app/oauthstate"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// startInstall begins the authorization-code install for shop and returns
// the state the app sent to Shopify and the cookie it set.
func startInstall(t *testing.T, base, shop string) (string, *http.Cookie) {
	t.Helper()
	res, _ := apptest.Fetch(t, base+"/auth/shopify?shop="+url.QueryEscape(shop), nil)
	if res.StatusCode != http.StatusFound {
		t.Fatalf("install for %s: status %d; want 302 to Shopify", shop, res.StatusCode)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || loc.Host != shop || loc.Path != "/admin/oauth/authorize" {
		t.Fatalf("install redirect = %q; want https://%s/admin/oauth/authorize", res.Header.Get("Location"), shop)
	}
	q := loc.Query()
	if q.Get("client_id") != testAPIKey || q.Get("expiring") != "1" || q.Get("redirect_uri") != base+"/auth/shopify/callback" || q.Get("state") == "" {
		t.Fatalf("install redirect query = %v; want client id, expiring=1, our callback and a state", q)
	}
	for _, c := range res.Cookies() {
		if c.Name == install.OAuthStateCookie {
			if c.Value != q.Get("state") || !c.HttpOnly {
				t.Fatalf("state cookie = %+v; want HttpOnly with the state sent to Shopify", c)
			}
			return q.Get("state"), c
		}
	}
	t.Fatalf("install set no %s cookie", install.OAuthStateCookie)
	return "", nil
}

func callbackURL(base, secret string, q url.Values, now time.Time) string {
	return base + "/auth/shopify/callback?" + shopifytest.SignOAuthQuery(secret, q, now).Encode()
}

func backfillOrder(id int64, updated time.Time) shopifytest.Order {
	o := shopifytest.SampleOrder(id, updated)
	o.Number = int(id)
	o.Fulfillments[0].Numbers = []string{fmt.Sprintf("1ZBACKFILL%08d", id)}
	o.Fulfillments[0].URLs = nil
	return o
}

func TestShopifyInstallStoresSealedTokenAndBackfillsPagedOrders(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		const recent = 25 // three pages of shopify.OrdersPageSize
		for i := range recent {
			fake.AddOrder(shopA, backfillOrder(int64(8000+i), now.Add(-time.Duration(i+1)*time.Hour)))
		}
		fake.AddOrder(shopA, backfillOrder(8999, now.Add(-70*24*time.Hour))) // outside the 60-day window

		state, ck := startInstall(t, base, shopA)
		fake.AddCode(shopA, "code-1")
		cb := callbackURL(base, testSecret, url.Values{"shop": {shopA}, "code": {"code-1"}, "state": {state}, "host": {"YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvc2hvcC1h"}}, time.Now())
		res, _ := apptest.Fetch(t, cb, nil, ck)
		if want := "https://" + shopA + "/admin/apps/" + testAPIKey; res.StatusCode != http.StatusFound || res.Header.Get("Location") != want {
			t.Fatalf("callback: %d to %q; want 302 to %s", res.StatusCode, res.Header.Get("Location"), want)
		}

		var n int64
		apptest.WaitUntil(t, "the backfill's shipments", func() bool {
			n = storagetest.Count(t, a.db, "shipments", "")
			return n >= recent
		})
		orders := storagetest.Count(t, a.db, "orders", "")
		if n != recent || orders != recent {
			t.Fatalf("backfill stored %d orders, %d shipments; want %d of each (the 70-day-old order skipped)", orders, n, recent)
		}
		if st := fake.Stats(shopA); st.CodeExchanges != 1 || st.GraphQLRequests < 3 {
			t.Fatalf("fake saw %+v; want one code exchange and at least 3 order pages", st)
		}
		shop, err := a.db.ShopByDomain(ctx, storage.Shopify, shopA)
		if err != nil {
			t.Fatal(err)
		}
		if shop.Status != "active" || shop.InstalledAt == nil || shop.Platform != storage.Shopify {
			t.Fatalf("installed shop = %s %s installed_at=%v; want active shopify with installed_at", shop.Platform, shop.Status, shop.InstalledAt)
		}
		tok, err := a.db.OAuthToken(ctx, shopA)
		if err != nil {
			t.Fatal(err)
		}
		if tok.AccessToken != fake.AccessToken(shopA) || tok.RefreshToken == "" || tok.ExpiresAt == nil || tok.RefreshExpiresAt == nil {
			t.Fatalf("stored token = %+v; want the fake's expiring pair", tok)
		}
		if strings.Contains(string(shop.AccessToken), tok.AccessToken) || strings.Contains(string(shop.RefreshToken), tok.RefreshToken) {
			t.Fatal("tokens are stored in plain text; want them sealed")
		}
		apptest.WaitUntil(t, "the sync cursor at the newest order", func() bool {
			through, err := a.db.SyncedThrough(ctx, shop.ID)
			return err == nil && through.Equal(now.Add(-time.Hour))
		})

		res, _ = apptest.Fetch(t, cb, nil, ck)
		if res.StatusCode != http.StatusForbidden || fake.Stats(shopA).CodeExchanges != 1 {
			t.Fatalf("replayed callback: status %d, %d code exchanges; want 403 and still 1", res.StatusCode, fake.Stats(shopA).CodeExchanges)
		}
	})
}

func TestShopifyCallbackRefusesForgedOrReplayedRequests(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		otherState, _ := startInstall(t, base, shopB)
		expired, err := oauthstate.New(a.cfg.EncryptionKey, shopA, time.Now().Add(-time.Second))
		if err != nil {
			t.Fatal(err)
		}
		otherKey, _ := oauthstate.New([]byte("another key, another deployment"), shopA, time.Now().Add(time.Minute))
		// extended moves a valid state's signed expiry a day on.
		extended := func(valid string) string {
			secs, rest, _ := strings.Cut(valid, ".")
			n, _ := strconv.ParseInt(secs, 10, 64)
			return strconv.FormatInt(n+86400, 10) + "." + rest
		}
		both := func(f func(string) string) (func(string) string, func(*http.Cookie) *http.Cookie) {
			var last string
			return func(v string) string { last = f(v); return last }, func(c *http.Cookie) *http.Cookie { return &http.Cookie{Name: c.Name, Value: last} }
		}
		expiredState, expiredCookie := both(func(string) string { return expired })
		otherKeyState, otherKeyCookie := both(func(string) string { return otherKey })
		extendedState, extendedCookie := both(extended)
		cases := []struct {
			name   string
			secret string
			state  func(valid string) string
			cookie func(valid *http.Cookie) *http.Cookie
			skew   time.Duration
			want   int
		}{
			{"bad hmac", "wrong-secret", keep, keepCookie, 0, http.StatusUnauthorized},
			{"stale timestamp", testSecret, keep, keepCookie, -2 * time.Hour, http.StatusUnauthorized},
			{"missing state cookie", testSecret, keep, func(*http.Cookie) *http.Cookie { return nil }, 0, http.StatusForbidden},
			{"cookie from another browser", testSecret, keep, func(c *http.Cookie) *http.Cookie {
				return &http.Cookie{Name: c.Name, Value: strings.Repeat("0", len(c.Value))}
			}, 0, http.StatusForbidden},
			{"missing state", testSecret, func(string) string { return "" }, keepCookie, 0, http.StatusForbidden},
			{"state issued for another shop", testSecret, func(string) string { return otherState }, func(c *http.Cookie) *http.Cookie {
				return &http.Cookie{Name: c.Name, Value: otherState}
			}, 0, http.StatusForbidden},
			{"state never issued", testSecret, func(string) string { return "forged" }, func(c *http.Cookie) *http.Cookie {
				return &http.Cookie{Name: c.Name, Value: "forged"}
			}, 0, http.StatusForbidden},
			{"expired state", testSecret, expiredState, expiredCookie, 0, http.StatusForbidden},
			{"state signed with another key", testSecret, otherKeyState, otherKeyCookie, 0, http.StatusForbidden},
			{"state with its expiry moved on", testSecret, extendedState, extendedCookie, 0, http.StatusForbidden},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				state, ck := startInstall(t, base, shopA)
				fake.AddCode(shopA, "code-"+tc.name)
				q := url.Values{"shop": {shopA}, "code": {"code-" + tc.name}, "state": {tc.state(state)}}
				var cookies []*http.Cookie
				if c := tc.cookie(ck); c != nil {
					cookies = append(cookies, c)
				}
				res, _ := apptest.Fetch(t, callbackURL(base, tc.secret, q, time.Now().Add(tc.skew)), nil, cookies...)
				if res.StatusCode != tc.want {
					t.Fatalf("status %d; want %d", res.StatusCode, tc.want)
				}
				if n := fake.Stats(shopA).CodeExchanges; n != 0 {
					t.Fatalf("the code was exchanged %d times; want never", n)
				}
			})
		}
	})
}

// TestShopifyNeverCallsAnInvalidShop proves a crafted shop name can never
// make the app send its client secret (or anything) to another host.
func TestShopifyNeverCallsAnInvalidShop(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		var hits atomic.Int32
		attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.Write([]byte(`{"access_token":"stolen"}`))
		}))
		t.Cleanup(attacker.Close)
		var fake *shopifytest.Server
		// Every shop that is not exactly a myshopify.com name would go to
		// the attacker, were the app to call it.
		route := func(shop string) string {
			if shopify.ValidShop(shop) {
				return fake.BaseURL(shop)
			}
			return attacker.URL
		}
		a, base, f := startShopifyApp(t, dbURL, route)
		fake = f
		for _, shop := range []string{"shop-a.myshopify.com.attacker.test", "attacker.test", "https://attacker.test/x", "shop-a.myshopify.com@attacker.test", "shop-a.myshopify.com/../attacker.test", ""} {
			res, _ := apptest.Fetch(t, base+"/auth/shopify?shop="+url.QueryEscape(shop), nil)
			if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" {
				t.Errorf("install for %q: status %d to %q; want 400 and no redirect", shop, res.StatusCode, res.Header.Get("Location"))
			}
			q := url.Values{"shop": {shop}, "code": {"c"}, "state": {"s"}}
			if res, _ := apptest.Fetch(t, callbackURL(base, testSecret, q, time.Now()), nil, &http.Cookie{Name: install.OAuthStateCookie, Value: "s"}); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("signed callback for %q: status %d; want 401", shop, res.StatusCode)
			}
			if shop == "" {
				continue
			}
			h := http.Header{"Authorization": {"Bearer " + shopifytest.SessionToken(testAPIKey, testSecret, shop, "1", time.Now())}}
			if res, _ := apptest.Fetch(t, base+"/admin", h); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("session token for %q: status %d; want 401", shop, res.StatusCode)
			}
		}
		if _, err := a.shopify.Client.Order(context.Background(), "attacker.test", "1"); !errors.Is(err, shopify.ErrInvalidShop) {
			t.Errorf("GraphQL call for attacker.test: %v; want ErrInvalidShop", err)
		}
		if n := hits.Load(); n != 0 {
			t.Fatalf("the attacker's host received %d requests; want none", n)
		}
	})
}

func keep(s string) string                   { return s }
func keepCookie(c *http.Cookie) *http.Cookie { return c }

func TestShopifyTokenIsRefreshedAndRotatedPairPersisted(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		accessTTL time.Duration // what the app believes
		revoke    bool          // Shopify already rejects the access token
		want401   int
	}{
		{name: "refreshed before it expires", accessTTL: 2 * time.Minute},
		{name: "refreshed when Shopify answers 401", accessTTL: time.Hour, revoke: true, want401: 1},
	}
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				a, _, fake := startShopifyApp(t, dbURL, nil)
				ctx := context.Background()
				shop := fmt.Sprintf("refresh-%d.myshopify.com", i)
				installTestShop(t, a, fake, shop, tc.accessTTL)
				before, err := a.db.OAuthToken(ctx, shop)
				if err != nil {
					t.Fatal(err)
				}
				fake.AddOrder(shop, backfillOrder(4200, time.Now()))
				if tc.revoke {
					fake.RevokeAccessToken(shop)
				}
				o, err := a.shopify.Client.Order(ctx, shop, "4200")
				if err != nil || o.LegacyID != 4200 {
					t.Fatalf("order fetch = %d, %v; want order 4200", o.LegacyID, err)
				}
				after, err := a.db.OAuthToken(ctx, shop)
				if err != nil {
					t.Fatal(err)
				}
				st := fake.Stats(shop)
				if st.Refreshes != 1 || st.Unauthorized != tc.want401 {
					t.Fatalf("fake saw %d refreshes, %d 401s; want 1 and %d", st.Refreshes, st.Unauthorized, tc.want401)
				}
				if after.AccessToken != fake.AccessToken(shop) || after.RefreshToken == before.RefreshToken || after.RefreshToken == "" {
					t.Fatalf("stored pair after refresh = %+v; want the fake's new access token and a rotated refresh token", after)
				}
				if !after.ExpiresAt.After(*before.ExpiresAt) && !tc.revoke {
					t.Fatalf("stored expiry %v not after %v", after.ExpiresAt, before.ExpiresAt)
				}
			})
		}
	})
}
