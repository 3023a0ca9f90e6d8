package app

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/throttle"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
)

// shopifyEgress is an address Shopify's app proxy connects from; every
// storefront's proxy requests arrive from a few such addresses.
const shopifyEgress = "23.227.38.65"

// proxyShopper is who posts the lookup form through a shop's app proxy.
type proxyShopper struct {
	customer  string // logged_in_customer_id, empty when not logged in
	forwarded string // the client address Shopify forwards, empty for none
}

// proxyLookup posts the lookup form as Shopify's app proxy forwards it: the
// query signed with the app secret the way Shopify signs it, and
// X-Forwarded-For naming the shopper before Shopify's egress (the part
// Fly's edge adds).
func proxyLookup(t *testing.T, base, shop string, who proxyShopper, order, contact string) (int, string) {
	t.Helper()
	q := url.Values{"shop": {shop}, "logged_in_customer_id": {who.customer}, "path_prefix": {"/apps/track"}}
	u := base + "/apps/track?" + shopifytest.SignProxyQuery(testSecret, q, time.Now()).Encode()
	form := url.Values{trackpage.FieldOrder: {order}, trackpage.FieldContact: {contact}}
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	xff := shopifyEgress
	if who.forwarded != "" {
		xff = who.forwarded + ", " + shopifyEgress
	}
	req.Header.Set("X-Forwarded-For", xff)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// frozenClock stops the app's clock at start, so budgets do not refill
// while a test runs and counts are exact.
func frozenClock() startOption {
	now := time.Now()
	return withClock(func() time.Time { return now })
}

func TestProxyLookupThrottleOfOneShopSparesAnother(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{}, frozenClock())
		seedOrder(t, a, "shop-a.myshopify.com", "#1001", "ana@example.com")
		seedOrder(t, a, "shop-b.myshopify.com", "#2001", "bo@example.com")

		attacker := proxyShopper{forwarded: "198.51.100.66"}
		var codes []int
		for i := range 8 {
			code, _ := proxyLookup(t, base, "shop-a.myshopify.com", attacker, "#1001", fmt.Sprintf("guess%d@example.com", i))
			codes = append(codes, code)
		}
		if codes[0] != http.StatusOK || codes[len(codes)-1] != http.StatusTooManyRequests {
			t.Fatalf("8 wrong guesses through shop A answered %v; want 200 first, 429 at the end", codes)
		}
		for _, shopper := range []proxyShopper{{forwarded: "203.0.113.5"}, {}, attacker, {customer: "77", forwarded: "198.51.100.66"}} {
			if code, body := proxyLookup(t, base, "shop-b.myshopify.com", shopper, "#2001", "bo@example.com"); code != http.StatusOK || !strings.Contains(body, "1Z999AA10123456784") {
				t.Errorf("shop B's shopper %+v after the attack on shop A answered %d; want 200 with the tracking", shopper, code)
			}
		}
		if code, _ := proxyLookup(t, base, "shop-a.myshopify.com", proxyShopper{forwarded: "203.0.113.6"}, "#1001", "ana@example.com"); code != http.StatusOK {
			t.Errorf("another shopper of shop A answered %d; want 200 (the attacker's budget is the attacker's)", code)
		}
	})
}

func TestProxyLookupGuessesAreCapped(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		n     int
		guess func(i int) (who proxyShopper, order, contact string)
		want  int // guesses answered (not 429)
	}{
		{"one order from 40 addresses with 5 emails each", 200, func(i int) (proxyShopper, string, string) {
			return proxyShopper{forwarded: fmt.Sprintf("198.51.100.%d", i/5)}, "#1001", fmt.Sprintf("guess%d@example.com", i)
		}, throttle.OrderBudget.Burst},
		{"one logged-in customer rotating forwarded addresses", 30, func(i int) (proxyShopper, string, string) {
			return proxyShopper{customer: "77", forwarded: fmt.Sprintf("198.51.100.%d", i)}, fmt.Sprintf("#%d", 3000+i), fmt.Sprintf("guess%d@example.com", i)
		}, throttle.ClientBudget.Burst},
		{"one email against many orders", 30, func(i int) (proxyShopper, string, string) {
			return proxyShopper{forwarded: fmt.Sprintf("198.51.100.%d", i)}, fmt.Sprintf("#%d", 3000+i), "ana@example.com"
		}, throttle.ContactBudget.Burst},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			apptest.EachDB(t, func(t *testing.T, dbURL string) {
				a, base := startApp(t, dbURL, Config{}, frozenClock())
				seedOrder(t, a, "shop-a.myshopify.com", "#1001", "ana@example.com")
				seedOrder(t, a, "shop-a.myshopify.com", "#1002", "cy@example.com")
				answered := 0
				for i := range tt.n {
					who, order, contact := tt.guess(i)
					if code, _ := proxyLookup(t, base, "shop-a.myshopify.com", who, order, contact); code != http.StatusTooManyRequests {
						answered++
					}
				}
				if answered != tt.want {
					t.Fatalf("%d guesses: %d answered; want %d", tt.n, answered, tt.want)
				}
				if code, body := proxyLookup(t, base, "shop-a.myshopify.com", proxyShopper{forwarded: "203.0.113.9"}, "#1002", "cy@example.com"); code != http.StatusOK || !strings.Contains(body, "1Z999AA10123456784") {
					t.Fatalf("a shopper of another order answered %d; want 200 with the tracking", code)
				}
			})
		})
	}
}

func TestDirectLookupGuessesPerOrderAreCapped(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{}, frozenClock())
		shop := seedDueShipments(t, a, "brute.myshopify.com", 2)
		// 40 clients, each within its own budget, guess 5 emails each for
		// one order.
		answered := 0
		for i := range 200 {
			code, _ := lookupFrom(t, base, shop.Domain, fmt.Sprintf("198.51.100.%d", i/5), "10.0.0.1", "#1001", fmt.Sprintf("guess%d@example.com", i))
			if code != http.StatusTooManyRequests {
				answered++
			}
		}
		if answered != throttle.OrderBudget.Burst {
			t.Fatalf("200 guesses at one order from 40 clients: %d answered; want %d", answered, throttle.OrderBudget.Burst)
		}
		if code, page := lookupFrom(t, base, shop.Domain, "203.0.113.50", "10.0.0.1", "#1002", "shopper1@brute.myshopify.com.example"); code != http.StatusOK || !strings.Contains(page, `id="ot-headline"`) {
			t.Errorf("a shopper of another order answered %d; want 200 with the tracking page", code)
		}
	})
}

// TestSpentSharedBudgetsLockNoShopperOut: the shop-wide and per-order
// budgets, which anyone can spend, mask misses instead of refusing: a
// shopper with the right order and contact still gets in, and a wrong
// guess reads exactly like a refused one.
func TestSpentSharedBudgetsLockNoShopperOut(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		n     int
		guess func(i int) (ip, order, contact string)
	}{
		{"the shop's budget, from rotating /64s", throttle.ShopBudget.Burst + 20, func(i int) (string, string, string) {
			return fmt.Sprintf("2001:db8:88:%x::1", i), fmt.Sprintf("#%d", 5000+i), fmt.Sprintf("guess%d@example.com", i)
		}},
		{"the order's budget, from 10 addresses", throttle.OrderBudget.Burst, func(i int) (string, string, string) {
			return fmt.Sprintf("198.51.100.%d", i), "#1002", fmt.Sprintf("guess%d@example.com", i)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			apptest.EachDB(t, func(t *testing.T, dbURL string) {
				a, base := startApp(t, dbURL, Config{}, frozenClock())
				shop := seedDueShipments(t, a, "kill.myshopify.com", 2)
				for i := range tt.n {
					ip, order, contact := tt.guess(i)
					lookupFrom(t, base, shop.Domain, ip, "10.0.0.1", order, contact)
				}
				if code, page := lookupFrom(t, base, shop.Domain, "203.0.113.43", "10.0.0.1", "#1002", "shopper1@kill.myshopify.com.example"); code != http.StatusOK || !strings.Contains(page, `id="ot-headline"`) {
					t.Fatalf("the right order and email from a fresh client answered %d; want 200 with the tracking page", code)
				}
				missCode, miss := lookupFrom(t, base, shop.Domain, "203.0.113.44", "10.0.0.1", "#1002", "wrong@example.com")
				// A client that spent its own budget is refused unchecked.
				var refusedCode int
				var refused string
				for range throttle.ClientBudget.Burst + 1 {
					refusedCode, refused = lookupFrom(t, base, shop.Domain, "203.0.113.45", "10.0.0.1", "#1002", "wrong@example.com")
				}
				if missCode != http.StatusTooManyRequests || refusedCode != http.StatusTooManyRequests || miss != refused {
					t.Fatalf("a wrong guess answered %d, a refused one %d, bodies equal: %v; want both 429 alike", missCode, refusedCode, miss == refused)
				}
				if code, _ := lookupFrom(t, base, shop.Domain, "203.0.113.45", "10.0.0.1", "#1002", "shopper1@kill.myshopify.com.example"); code != http.StatusTooManyRequests {
					t.Fatalf("the right lookup from a client with no budget of its own answered %d; want 429", code)
				}
			})
		})
	}
}

// TestRespelledContactsAndOrdersShareTheirBudget: spellings that find the
// same order ("ſ" for "s", "##1001" for "#1001") are charged to the same
// budget.
func TestRespelledContactsAndOrdersShareTheirBudget(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{}, frozenClock())
		shop := seedDueShipments(t, a, "spell.myshopify.com", 2)
		email := "shopper1@spell.myshopify.com.example"
		for i := range throttle.ContactBudget.Burst {
			lookupFrom(t, base, shop.Domain, fmt.Sprintf("198.51.100.%d", i), "10.0.0.1", fmt.Sprintf("#%d", 7000+i), email)
		}
		if code, _ := lookupFrom(t, base, shop.Domain, "203.0.113.60", "10.0.0.1", "#1002", strings.Replace(email, "s", "\u017f", 1)); code != http.StatusTooManyRequests {
			t.Errorf("the spent email spelled with a long s answered %d; want 429 (its budget is spent)", code)
		}
		for i := range throttle.OrderBudget.Burst {
			lookupFrom(t, base, shop.Domain, fmt.Sprintf("198.51.101.%d", i), "10.0.0.1", "#1001", fmt.Sprintf("guess%d@example.com", i))
		}
		for i, order := range []string{"##1001", "＃1001", " # 1001"} {
			if code, _ := lookupFrom(t, base, shop.Domain, fmt.Sprintf("203.0.113.%d", 70+i), "10.0.0.1", order, fmt.Sprintf("more%d@example.com", i)); code != http.StatusTooManyRequests {
				t.Errorf("a wrong guess at the spent order as %q answered %d; want 429", order, code)
			}
		}
	})
}
