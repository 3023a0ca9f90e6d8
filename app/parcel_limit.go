package app

import (
	"fmt"
	"strings"

	"github.com/ordertrack/ordertrack/storage"
)

// defaultMaxParcels is how many tracking numbers one fulfillment may bring
// when MAX_PARCELS_PER_FULFILLMENT is unset: far above any real parcel
// count, far below what would let one delivery flood the queues (a single
// 20,000-number fulfillment once queued 19,957 notify jobs).
const defaultMaxParcels = 100

// refusedListed caps the numbers a refusal note lists; the stored payload
// has them all.
const refusedListed = 100

// refusal is what one fulfillment brought over the limit.
type refusal struct {
	Fulfillment string // the platform's fulfillment, or the order for WooCommerce
	Kept        int
	Numbers     []string // refused, in the order the platform sent them
}

// maxParcels is the configured per-fulfillment limit.
func (a *App) maxParcels() int {
	if a.cfg.MaxParcelsPerFulfillment > 0 {
		return a.cfg.MaxParcelsPerFulfillment
	}
	return defaultMaxParcels
}

// boundParcels keeps the first maxParcels tracking numbers of each
// fulfillment (group names it) and refuses the rest, with a warning: the
// work one delivery creates (shipments, polls, notify jobs) stays bounded.
func (a *App) boundParcels(shop *storage.Shop, parcels []parcel, group func(parcel) string) ([]parcel, []refusal) {
	limit := a.maxParcels()
	counts := map[string]int{}
	index := map[string]int{}
	var refused []refusal
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
			refused = append(refused, refusal{Fulfillment: g, Kept: limit})
		}
		refused[i].Numbers = append(refused[i].Numbers, p.Number)
	}
	for _, r := range refused {
		a.log.Warn("tracking numbers over the per-fulfillment limit refused", "shop", shop.Domain, "fulfillment", r.Fulfillment,
			"kept", r.Kept, "refused", len(r.Numbers), "limit", limit)
	}
	return kept, refused
}

// byFulfillment groups Shopify parcels by their fulfillment.
func byFulfillment(p parcel) string { return p.FulfillmentID }

// refusalNote says, for the admin's webhook page, what a delivery's
// processing refused.
func refusalNote(refused []refusal) string {
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
