package throttle

import (
	"strings"
	"time"
)

// Budgets of order lookups. A lookup that finds its order is refunded (see
// Ticket.Refund), so they count wrong guesses, and a shopper who types the
// right order and contact is never the one who runs out.
var (
	// ClientBudget is per client: an IP address for direct requests, a
	// logged-in customer or the forwarded client (within the shop) for app
	// proxy requests. Five tries, then one every 12 s.
	ClientBudget = Budget{Burst: 5, Every: 12 * time.Second}
	// OrderBudget caps the guesses at one order number of one shop, however
	// many clients and contacts they come from: ten, then six an hour.
	OrderBudget = Budget{Burst: 10, Every: 10 * time.Minute}
	// ContactBudget caps the guesses with one email or phone at one shop
	// (someone who knows a shopper's email trying order numbers).
	ContactBudget = Budget{Burst: 10, Every: 10 * time.Minute}
	// ShopBudget caps all wrong lookups at one shop, whoever makes them:
	// the backstop for rotated addresses and identities, sized so a busy
	// store's mistyping shoppers never meet it (3,600 wrong lookups an hour).
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

// Keys are the keys a lookup is charged to.
func (l Lookup) Keys() []Key {
	shop := strings.ToLower(strings.TrimSpace(l.Shop))
	keys := []Key{
		{Name: "shop|" + shop, Budget: ShopBudget},
		{Name: "order|" + shop + "|" + orderKey(l.Order), Budget: OrderBudget},
		{Name: "contact|" + shop + "|" + contactKey(l.Contact), Budget: ContactBudget},
	}
	if l.Client != "" {
		keys = append(keys, Key{Name: "ip|" + l.Client, Budget: ClientBudget})
	}
	if l.Customer != "" {
		keys = append(keys, Key{Name: "customer|" + shop + "|" + l.Customer, Budget: ClientBudget})
	}
	if l.Forwarded != "" {
		keys = append(keys, Key{Name: "forwarded|" + shop + "|" + l.Forwarded, Budget: ClientBudget})
	}
	return keys
}

// orderKey is the order number as storage.FindOrderToken compares it.
func orderKey(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "#")))
}

// phoneKeyDigits is how many trailing digits name a phone: the lookup
// matches a typed phone by its last seven or more digits, so every spelling
// that can match one stored phone ("+1 415 555 0100", "4155550100",
// "994155550100") shares its last seven.
const phoneKeyDigits = 7

// contactKey is the email or phone as the lookup compares it, so that
// re-spelling one contact does not earn new guesses.
func contactKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.Contains(s, "@") {
		return s
	}
	var digits []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits = append(digits, s[i])
		}
	}
	if len(digits) < phoneKeyDigits {
		return s
	}
	return "tel:" + string(digits[len(digits)-phoneKeyDigits:])
}
