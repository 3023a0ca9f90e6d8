package throttle

import (
	"fmt"
	"testing"
	"time"
)

// guesses runs n lookups at t0, each built by mk, and counts those allowed.
func guesses(l *Limiter, n int, mk func(i int) Lookup) int {
	allowed := 0
	for i := range n {
		if _, v := l.TakeLookup(t0, mk(i)); v == Open {
			allowed++
		}
	}
	return allowed
}

func TestLookupKeysCapGuesses(t *testing.T) {
	tests := []struct {
		name string
		n    int
		mk   func(i int) Lookup
		want int
	}{
		{"one client, many orders and emails", 50, func(i int) Lookup {
			return Lookup{Shop: "a.myshopify.com", Order: fmt.Sprint(i), Contact: fmt.Sprint(i, "@x.example"), Client: "198.51.100.1"}
		}, ClientBudget.Burst},
		{"one order, 40 clients with 5 emails each", 200, func(i int) Lookup {
			return Lookup{Shop: "a.myshopify.com", Order: "#1001", Contact: fmt.Sprint(i, "@x.example"), Client: fmt.Sprint("198.51.100.", i/5)}
		}, OrderBudget.Burst},
		{"one order spelled many ways", 50, func(i int) Lookup {
			return Lookup{Shop: "a.myshopify.com", Order: []string{"1001", "#1001", " #1001 ", "1001 "}[i%4], Contact: fmt.Sprint(i, "@x.example"), Forwarded: fmt.Sprint("203.0.113.", i)}
		}, OrderBudget.Burst},
		{"one email, many orders and clients", 50, func(i int) Lookup {
			return Lookup{Shop: "a.myshopify.com", Order: fmt.Sprint(i), Contact: []string{"Ana@x.example", "ana@x.example ", "ANA@X.EXAMPLE"}[i%3], Forwarded: fmt.Sprint("203.0.113.", i)}
		}, ContactBudget.Burst},
		{"one phone spelled many ways", 50, func(i int) Lookup {
			return Lookup{Shop: "a.myshopify.com", Order: fmt.Sprint(i), Contact: []string{"+1 (415) 555-0100", "4155550100", fmt.Sprint(i, "4155550100")}[i%3], Forwarded: fmt.Sprint("203.0.113.", i)}
		}, ContactBudget.Burst},
		{"one logged-in customer, rotating forwarded addresses", 50, func(i int) Lookup {
			return Lookup{Shop: "a.myshopify.com", Order: fmt.Sprint(i), Contact: fmt.Sprint(i, "@x.example"), Customer: "42", Forwarded: fmt.Sprint("203.0.113.", i)}
		}, ClientBudget.Burst},
		{"one forwarded address", 50, func(i int) Lookup {
			return Lookup{Shop: "a.myshopify.com", Order: fmt.Sprint(i), Contact: fmt.Sprint(i, "@x.example"), Forwarded: "203.0.113.7"}
		}, ClientBudget.Burst},
		{"everything rotated at one shop", 1000, func(i int) Lookup {
			return Lookup{Shop: "a.myshopify.com", Order: fmt.Sprint(i), Contact: fmt.Sprint(i, "@x.example"), Forwarded: fmt.Sprint("f", i)}
		}, ShopBudget.Burst},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Limiter
			if got := guesses(&l, tt.n, tt.mk); got != tt.want {
				t.Fatalf("%d guesses: %d allowed; want %d", tt.n, got, tt.want)
			}
		})
	}
}

func TestLookupThrottleOfOneShopSparesAnother(t *testing.T) {
	tests := []struct {
		name     string
		attacker func(i int) Lookup
		shopper  Lookup
	}{
		{"through the app proxy, same forwarded address", func(i int) Lookup {
			return Lookup{Shop: "a.myshopify.com", Order: "#1001", Contact: fmt.Sprint(i, "@x.example"), Forwarded: "203.0.113.9"}
		}, Lookup{Shop: "b.myshopify.com", Order: "#1001", Contact: "bo@x.example", Forwarded: "203.0.113.9"}},
		{"through the app proxy, same customer id", func(i int) Lookup {
			return Lookup{Shop: "a.myshopify.com", Order: "#1001", Contact: fmt.Sprint(i, "@x.example"), Customer: "7"}
		}, Lookup{Shop: "b.myshopify.com", Order: "#1001", Contact: "bo@x.example", Customer: "7"}},
		{"same order number and email", func(int) Lookup {
			return Lookup{Shop: "a.myshopify.com", Order: "#1001", Contact: "bo@x.example", Forwarded: "203.0.113.9"}
		}, Lookup{Shop: "b.myshopify.com", Order: "#1001", Contact: "bo@x.example"}},
		{"shop A's whole budget spent", func(i int) Lookup {
			return Lookup{Shop: "a.myshopify.com", Order: fmt.Sprint(i), Contact: fmt.Sprint(i, "@x.example"), Forwarded: fmt.Sprint("f", i)}
		}, Lookup{Shop: "b.myshopify.com", Order: "#1", Contact: "bo@x.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Limiter
			guesses(&l, 1000, tt.attacker)
			if _, v := l.TakeLookup(t0.Add(time.Millisecond), tt.shopper); v != Open {
				t.Fatalf("shop B's shopper %+v was refused after shop A was attacked", tt.shopper)
			}
		})
	}
}

func TestSpentSharedKeysMaskInsteadOfRefusing(t *testing.T) {
	var l Limiter
	for i := range ShopBudget.Burst + 10 {
		l.TakeLookup(t0, Lookup{Shop: "a.myshopify.com", Order: fmt.Sprint(i), Contact: fmt.Sprint(i, "@x.example"), Forwarded: fmt.Sprint("f", i)})
	}
	tests := []struct {
		name string
		lk   Lookup
		want Verdict
	}{
		{"a fresh client", Lookup{Shop: "a.myshopify.com", Order: "#1001", Contact: "ana@x.example", Client: "203.0.113.1"}, Masked},
		{"a logged-in customer", Lookup{Shop: "a.myshopify.com", Order: "#1001", Contact: "ana@x.example", Customer: "7"}, Masked},
		{"no client at all", Lookup{Shop: "a.myshopify.com", Order: "#1001", Contact: "ana@x.example"}, Refused},
		{"another shop", Lookup{Shop: "b.myshopify.com", Order: "#1001", Contact: "ana@x.example"}, Open},
	}
	for _, tt := range tests {
		if _, got := l.TakeLookup(t0, tt.lk); got != tt.want {
			t.Errorf("%s: verdict %d; want %d", tt.name, got, tt.want)
		}
	}
	// A masked lookup is charged to its own keys only.
	for i := range ClientBudget.Burst {
		if _, got := l.TakeLookup(t0, Lookup{Shop: "a.myshopify.com", Order: "#2", Contact: string(rune('A'+i)) + "@y.example", Client: "198.51.100.9"}); got != Masked {
			t.Fatalf("masked lookup %d of one client: verdict %d; want Masked", i+1, got)
		}
	}
	if _, got := l.TakeLookup(t0, Lookup{Shop: "a.myshopify.com", Order: "#2", Contact: "z@y.example", Client: "198.51.100.9"}); got != Refused {
		t.Fatalf("a client past its own budget: verdict %d; want Refused", got)
	}
}
