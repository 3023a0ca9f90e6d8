package orders

import (
	"fmt"
	"strings"

	"github.com/ordertrack/ordertrack/storage"
)

// DefaultMaxParcels is how many tracking numbers one fulfillment may bring
// when MAX_PARCELS_PER_FULFILLMENT is unset: far above any real parcel
// count, far below what would let one delivery flood the queues (a single
// 20,000-number fulfillment once queued 19,957 notify jobs).
const DefaultMaxParcels = 100

// refusedListed caps the numbers a refusal note lists; the stored payload
// has them all.
const refusedListed = 100

// Refusal is what one fulfillment brought over the limit.
type Refusal struct {
	Fulfillment string // the platform's fulfillment, or the order for WooCommerce
	Kept        int
	Numbers     []string // refused, in the order the platform sent them
}

// boundParcels keeps the first maxParcels tracking numbers of each
// fulfillment (group names it) and refuses the rest, with a warning: the
// work one delivery creates (shipments, polls, notify jobs) stays bounded.
func (s *Syncer) boundParcels(shop *storage.Shop, parcels []Parcel, group func(Parcel) string) ([]Parcel, []Refusal) {
	limit := s.maxParcels
	counts := map[string]int{}
	index := map[string]int{}
	var refused []Refusal
	kept := parcels[:0:0]
	for _, p := range parcels {
		g := group(p)
		if counts[g] < limit {
			counts[g]++
			kept = append(kept, p)
			continue
		}
		i, ok := index[g]
		if !ok {
			i = len(refused)
			index[g] = i
			refused = append(refused, Refusal{Fulfillment: g, Kept: limit})
		}
		refused[i].Numbers = append(refused[i].Numbers, p.Number)
	}
	for _, r := range refused {
		s.log.Warn("tracking numbers over the per-fulfillment limit refused", "shop", shop.Domain, "fulfillment", r.Fulfillment,
			"kept", r.Kept, "refused", len(r.Numbers), "limit", limit)
	}
	return kept, refused
}

// byFulfillment groups Shopify parcels by their fulfillment.
func byFulfillment(p Parcel) string { return p.FulfillmentID }

// refusalNote says, for the admin's webhook page, what a delivery's
// processing refused.
func refusalNote(refused []Refusal) string {
	var b strings.Builder
	for i, r := range refused {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "Refused %d tracking numbers of %s over the limit of %d per fulfillment (MAX_PARCELS_PER_FULFILLMENT); the first %d were stored: %s",
			len(r.Numbers), r.Fulfillment, r.Kept, r.Kept, strings.Join(r.Numbers[:min(len(r.Numbers), refusedListed)], ", "))
		if more := len(r.Numbers) - refusedListed; more > 0 {
			fmt.Fprintf(&b, " and %d more (all in the stored payload)", more)
		}
		b.WriteString(".")
	}
	return b.String()
}
