package throttle

import (
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// Budgets of order lookups. A lookup that finds its order is refunded (see
// Ticket.Refund), so they count wrong guesses.
//
// The client and contact budgets are a lookup's own: when one is out the
// lookup is refused (429) unchecked. The order and shop budgets are shared
// by everyone, so an attacker could spend them to lock shoppers out; when
// one of those is out, a lookup whose client and contact budgets are left
// is still checked and charged to them: the right order and contact open
// the tracking, and a wrong guess reads exactly like a refused one (429),
// so the shared budgets still stop guessers from learning anything from a
// miss. See Limiter.TakeLookup for the bounds this gives.
var (
	// ClientBudget is per client: an IP address (an IPv6 /64, see
	// ClientKey) for direct requests, a logged-in customer or the
	// forwarded client (within the shop) for app proxy requests. Five
	// tries, then one every 12 s.
	ClientBudget = Budget{Burst: 5, Every: 12 * time.Second}
	// OrderBudget is shared by the guesses at one order number of one
	// shop, however many clients and contacts they come from: ten, then
	// six an hour.
	OrderBudget = Budget{Burst: 10, Every: 10 * time.Minute}
	// ContactBudget caps the guesses with one email or phone at one shop
	// (someone who knows a shopper's email trying order numbers). It is a
	// lookup's own budget: it bounds the likeliest attack absolutely.
	ContactBudget = Budget{Burst: 10, Every: 10 * time.Minute}
	// ShopBudget is shared by all wrong lookups at one shop, whoever makes
	// them: the backstop for rotated addresses and identities, sized so a
	// busy store's mistyping shoppers never meet it (3,600 wrong lookups
	// an hour).
	ShopBudget = Budget{Burst: 300, Every: time.Second}
)

// Lookup is one order lookup attempt and who makes it. Shop scopes every
// key but Client, so one shop's throttle never refuses another shop's
// shoppers.
type Lookup struct {
	Shop    string // the shop domain the lookup searches
	Order   string // order number as typed
	Contact string // email or phone as typed
	// Client is the client's IP address when it connects directly (Fly's
	// proxy names it in X-Forwarded-For). Empty for app proxy requests,
	// which all come from Shopify's few addresses.
	Client string
	// Customer is the app proxy's signed logged_in_customer_id, empty when
	// the shopper is not logged in.
	Customer string
	// Forwarded is the client address Shopify's app proxy forwards. It is
	// unsigned, so it only ever counts within Shop.
	Forwarded string
}

// Verdict is what a lookup may do (see Limiter.TakeLookup).
type Verdict int

const (
	// Refused lookups are answered 429 unchecked.
	Refused Verdict = iota
	// Open lookups are checked; a miss reads "not found".
	Open
	// Masked lookups are checked; a miss reads as Refused (429), a find
	// opens the tracking.
	Masked
)

// TakeLookup charges a lookup at now. The lookup's own keys (Keys' client
// keys and the contact) gate it; the shared order and shop keys, when out,
// only mask its misses (Masked). A lookup with no client key at all (an
// app proxy request without a customer or forwarded address) is refused
// when a shared key is out, since nothing of its own bounds it.
//
// The trade-off, with today's budgets: a shared key can no longer lock
// anyone out, and a shopper with the right order and contact gets in
// while the shop is under attack unless their own address or contact is
// the one being used to guess. In exchange, once a shared key is out the
// guessing at a shop is bounded per client instead of per shop: each /64
// or IPv4 address gets 5 + 300 guesses an hour instead of the shop's
// 3,600 an hour altogether. Guessing the order number for a known email
// stays bounded by the contact key (10, then 6 an hour, per contact and
// shop, whatever the number of clients); guessing the contact of a known
// order number needs an email (not enumerable) or the last seven digits
// of a phone (10^7 values), so 1,000 addresses guessing for an hour find
// one given order's phone with probability at most 300,000 / 10^7 = 3%,
// against 0.04% with a shop-wide cap that locks everyone out. On the app
// proxy a shopper who is not logged in is bounded by the forwarded address,
// which is unsigned: if Shopify passed on a header the shopper sent, a
// masked guesser there would be bounded by the contact key only.
func (l *Limiter) TakeLookup(now time.Time, lk Lookup) (Ticket, Verdict) {
	own, shared := lk.Keys()
	if len(own) == 1 { // the contact alone: no client to charge
		own, shared = nil, append(own, shared...)
	}
	t, masked, ok := l.TakeShared(now, own, shared)
	switch {
	case !ok:
		return Ticket{}, Refused
	case masked:
		return t, Masked
	}
	return t, Open
}

// Keys are the keys a lookup is charged to: its own (the contact first,
// then its client keys) and those it shares with everyone at the shop.
func (l Lookup) Keys() (own, shared []Key) {
	shop := strings.ToLower(strings.TrimSpace(l.Shop))
	shared = []Key{
		{Name: "shop|" + shop, Budget: ShopBudget},
		{Name: "order|" + shop + "|" + tracking.OrderNumberKey(l.Order), Budget: OrderBudget},
	}
	own = []Key{{Name: "contact|" + shop + "|" + tracking.ContactKey(l.Contact), Budget: ContactBudget}}
	if l.Client != "" {
		own = append(own, Key{Name: "ip|" + ClientKey(l.Client), Budget: ClientBudget})
	}
	if l.Customer != "" {
		own = append(own, Key{Name: "customer|" + shop + "|" + l.Customer, Budget: ClientBudget})
	}
	if l.Forwarded != "" {
		own = append(own, Key{Name: "forwarded|" + shop + "|" + ClientKey(l.Forwarded), Budget: ClientBudget})
	}
	return own, shared
}
