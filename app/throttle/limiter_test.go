package throttle

import (
	"fmt"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// attempt is one Take in a scripted sequence.
type attempt struct {
	at     time.Duration // after t0
	keys   []string
	refund bool
	want   bool
}

var budgets = map[string]Budget{
	"a":      {Burst: 2, Every: time.Minute},
	"b":      {Burst: 3, Every: time.Minute},
	"closed": {Burst: 0, Every: time.Minute},
}

func TestLimiterTakesFromEveryKeyOrNone(t *testing.T) {
	tests := []struct {
		name     string
		attempts []attempt
	}{
		{"burst then refused", []attempt{
			{0, []string{"a"}, false, true},
			{0, []string{"a"}, false, true},
			{0, []string{"a"}, false, false},
		}},
		{"refills one per Every", []attempt{
			{0, []string{"a"}, false, true},
			{0, []string{"a"}, false, true},
			{59 * time.Second, []string{"a"}, false, false},
			{time.Minute, []string{"a"}, false, true},
			{time.Minute, []string{"a"}, false, false},
		}},
		{"refill stops at the burst", []attempt{
			{0, []string{"a"}, false, true},
			{time.Hour, []string{"a"}, false, true},
			{time.Hour, []string{"a"}, false, true},
			{time.Hour, []string{"a"}, false, false},
		}},
		{"any empty key refuses", []attempt{
			{0, []string{"a", "b"}, false, true},
			{0, []string{"a", "b"}, false, true},
			{0, []string{"a", "b"}, false, false},
		}},
		{"a refused attempt charges no key", []attempt{
			{0, []string{"a"}, false, true},
			{0, []string{"a"}, false, true},
			{0, []string{"b", "a"}, false, false},
			{0, []string{"b", "a"}, false, false},
			{0, []string{"b"}, false, true},
			{0, []string{"b"}, false, true},
			{0, []string{"b"}, false, true},
			{0, []string{"b"}, false, false},
		}},
		{"keys are independent", []attempt{
			{0, []string{"a"}, false, true},
			{0, []string{"a"}, false, true},
			{0, []string{"b"}, false, true},
		}},
		{"a refunded attempt does not count", []attempt{
			{0, []string{"a"}, true, true},
			{0, []string{"a"}, true, true},
			{0, []string{"a"}, true, true},
			{0, []string{"a"}, false, true},
			{0, []string{"a"}, false, true},
			{0, []string{"a"}, false, false},
		}},
		{"a zero burst never allows", []attempt{
			{0, []string{"closed"}, false, false},
			{time.Hour, []string{"closed"}, false, false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Limiter
			for i, a := range tt.attempts {
				keys := make([]Key, len(a.keys))
				for j, k := range a.keys {
					keys[j] = Key{Name: k, Budget: budgets[k]}
				}
				ticket, ok := l.Take(t0.Add(a.at), keys...)
				if ok != a.want {
					t.Fatalf("attempt %d (%v at +%s) allowed = %v; want %v", i, a.keys, a.at, ok, a.want)
				}
				if a.refund {
					ticket.Refund()
				}
			}
		})
	}
}

func TestLimiterForgetsRefilledKeys(t *testing.T) {
	var l Limiter
	one := Budget{Burst: 1, Every: time.Minute}
	for i := range minSweep {
		l.Take(t0, Key{Name: fmt.Sprint("old", i), Budget: one})
	}
	// A minute later every old key has refilled; the next new key sweeps.
	l.Take(t0.Add(time.Minute), Key{Name: "new", Budget: one})
	if n := len(l.buckets); n != 1 {
		t.Fatalf("buckets after a sweep = %d; want 1 (refilled keys dropped)", n)
	}
	if _, ok := l.Take(t0.Add(time.Minute), Key{Name: "new", Budget: one}); ok {
		t.Fatal("the swept map forgot a key still drained")
	}
}
