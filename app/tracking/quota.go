package tracking

import (
	"cmp"
	"maps"
	"slices"
	"time"
)

// AfterQuotaSpent is when to poll again once a carrier's daily quota (or a
// shop's share of it) is spent: after the carrier's day (UTC) rolls over,
// spread over its first hour so the postponed polls do not all call at
// once. rnd returns a number in [0, 1).
func AfterQuotaSpent(now time.Time, rnd func() float64) time.Time {
	spread := time.Duration(rnd()*3600) * time.Second
	return now.UTC().Truncate(24 * time.Hour).Add(24*time.Hour + spread)
}

// QuotaUse is one shop's part of a carrier quota the platform's account
// shares between shops: the calls it spent today, and how many of its
// shipments still wait for a poll today.
type QuotaUse struct {
	Spent   int
	Waiting int
}

// ShareQuota reports whether shop may spend n more calls of a daily quota of
// limit calls, of which spent are already gone, given every shop's use.
//
// The quota is divided max-min fairly over the shops' demand (calls spent
// plus polls waiting): every shop gets up to an equal share, and what a
// shop does not need goes to the others. A call is refused when it would
// eat into what another shop is entitled to and has not spent yet. So one
// shop's backlog cannot spend the day's quota while another's few polls
// wait, and a share nobody needs goes to whoever asks.
func ShareQuota(limit, spent int, use map[int64]QuotaUse, shop int64, n int) bool {
	if spent+n > limit {
		return false
	}
	demand := make(map[int64]int, len(use)+1)
	attributed := 0
	for id, u := range use {
		demand[id] = u.Spent + u.Waiting
		attributed += u.Spent
	}
	demand[shop] = max(demand[shop], use[shop].Spent+n)
	// Calls no shop accounts for (spent before shares were kept) are gone
	// for everyone.
	entitled := fairShares(limit-max(0, spent-attributed), demand)
	reserved := 0
	for id, u := range use {
		if id != shop {
			reserved += max(0, entitled[id]-u.Spent)
		}
	}
	return spent+n+reserved <= limit
}

// fairShares divides supply over demand max-min fairly: shops are served
// smallest demand first, each getting its demand or an equal share of what
// is left, whichever is less.
func fairShares(supply int, demand map[int64]int) map[int64]int {
	ids := slices.SortedFunc(maps.Keys(demand), func(a, b int64) int {
		return cmp.Or(cmp.Compare(demand[a], demand[b]), cmp.Compare(a, b))
	})
	out := make(map[int64]int, len(ids))
	for i, id := range ids {
		give := min(demand[id], max(0, supply)/(len(ids)-i))
		out[id] = give
		supply -= give
	}
	return out
}
