package tracking

import (
	"testing"
	"time"
)

func TestShareQuota(t *testing.T) {
	const a, b, c = 1, 2, 3
	tests := []struct {
		name  string
		spent int
		use   map[int64]QuotaUse
		shop  int64
		n     int
		want  bool
	}{
		{"alone, a shop may spend the whole quota", 249, map[int64]QuotaUse{a: {Spent: 249, Waiting: 60}}, a, 1, true},
		{"nobody spends past the quota", 250, map[int64]QuotaUse{a: {Spent: 250, Waiting: 60}}, a, 1, false},
		{"a big backlog leaves room for another shop's waiting polls", 239, map[int64]QuotaUse{a: {Spent: 239, Waiting: 61}, b: {Waiting: 10}}, a, 1, true},
		{"the backlog stops where the other shop's polls begin", 240, map[int64]QuotaUse{a: {Spent: 240, Waiting: 60}, b: {Waiting: 10}}, a, 1, false},
		{"the small shop gets its polls after the backlog stopped", 240, map[int64]QuotaUse{a: {Spent: 240, Waiting: 60}, b: {Waiting: 10}}, b, 1, true},
		{"a shop without waiting polls holds nothing back", 249, map[int64]QuotaUse{a: {Spent: 249, Waiting: 60}, b: {Spent: 0}}, a, 1, true},
		{"a shop that spent its share holds nothing more back", 249, map[int64]QuotaUse{a: {Spent: 124, Waiting: 60}, b: {Spent: 125, Waiting: 10}}, a, 1, true},
		{"a shop below its share holds back the rest of it", 245, map[int64]QuotaUse{a: {Spent: 125, Waiting: 60}, b: {Spent: 120, Waiting: 10}}, a, 1, false},
		{"the last calls are shared: the small shop may", 230, map[int64]QuotaUse{a: {Waiting: 300}, b: {Waiting: 10}}, b, 1, true},
		{"the last calls are shared: the big shop may take its half", 239, map[int64]QuotaUse{a: {Spent: 9, Waiting: 291}, b: {Waiting: 10}}, a, 1, true},
		{"the last calls are shared: not more than its half", 240, map[int64]QuotaUse{a: {Spent: 10, Waiting: 290}, b: {Waiting: 10}}, a, 1, false},
		{"three shops: each holds back up to a third", 166, map[int64]QuotaUse{a: {Spent: 166, Waiting: 60}, b: {Waiting: 100}, c: {Waiting: 100}}, a, 1, false},
		{"three shops: the asker below its third", 82, map[int64]QuotaUse{a: {Spent: 82, Waiting: 60}, b: {Waiting: 100}, c: {Waiting: 100}}, a, 1, true},
		{"a new shop that never spent may ask", 0, map[int64]QuotaUse{}, c, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ShareQuota(250, tt.spent, tt.use, tt.shop, tt.n); got != tt.want {
				t.Fatalf("ShareQuota(250, %d, %+v, shop %d, %d) = %v; want %v", tt.spent, tt.use, tt.shop, tt.n, got, tt.want)
			}
		})
	}
}

func TestFairSharesServeSmallDemandsFirst(t *testing.T) {
	got := fairShares(250, map[int64]int{1: 300, 2: 10, 3: 100})
	if got[2] != 10 || got[3] != 100 || got[1] != 140 {
		t.Fatalf("fairShares(250, 300/10/100) = %v; want 10 and 100 in full, the rest (140) to the 300", got)
	}
	got = fairShares(250, map[int64]int{1: 300, 2: 200})
	if got[1] != 125 || got[2] != 125 {
		t.Fatalf("fairShares(250, 300/200) = %v; want 125 each", got)
	}
}

func TestAfterQuotaSpentWaitsForTheCarriersNextDay(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		now  time.Time
		rnd  float64
		want time.Time
	}{
		{"early in the day: the next midnight UTC", time.Date(2025, 3, 4, 0, 5, 0, 0, time.UTC), 0, time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)},
		{"late in the day: the next midnight UTC", time.Date(2025, 3, 4, 23, 59, 59, 0, time.UTC), 0, time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)},
		{"a local clock still counts the UTC day", time.Date(2025, 3, 5, 0, 30, 0, 0, berlin), 0, time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)},
		{"spread into the first hour", time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC), 0.5, time.Date(2025, 3, 5, 0, 30, 0, 0, time.UTC)},
		{"never past the first hour", time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC), 0.99999, time.Date(2025, 3, 5, 0, 59, 59, 0, time.UTC)},
		{"the last day of a month", time.Date(2025, 2, 28, 18, 0, 0, 0, time.UTC), 0, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AfterQuotaSpent(tt.now, func() float64 { return tt.rnd })
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Fatalf("AfterQuotaSpent(%s, %v) = %s; want %s", tt.now, tt.rnd, got, tt.want)
			}
		})
	}
}
