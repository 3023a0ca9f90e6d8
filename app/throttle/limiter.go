// Package throttle limits attempts by several keys at once, each with its
// own budget: an attempt goes ahead only when every key it names has budget
// left (Take), or, for keys anyone can spend, goes ahead masked so that
// spending them locks nobody out (TakeShared). The order lookup uses it to
// cap guesses per client (an IPv6 /64, see ClientKey), per order number,
// per contact and per shop without letting one shop's throttle touch
// another's; Limiter.TakeLookup states the guessing bounds and the
// availability they trade for.
package throttle

import (
	"sync"
	"time"
)

// Budget is a token bucket: Burst attempts at once, then one more every
// Every.
type Budget struct {
	Burst int
	Every time.Duration
}

// Key is one party an attempt is charged to, with the budget for that kind
// of party. Keys of different kinds must differ in Name (prefix them).
type Key struct {
	Name   string
	Budget Budget
}

// Sweep bounds: a sweep drops buckets that are full again (as good as
// absent) once the map has grown to twice its size after the last sweep; a
// flood of keys that are all still draining beyond maxKeys resets the map,
// which throttles no worse than a restart.
const (
	minSweep = 1024
	maxKeys  = 1 << 20
)

// Limiter holds the buckets in memory, so each process throttles on its
// own. The zero value is ready to use.
type Limiter struct {
	mu        sync.Mutex
	buckets   map[string]*bucket
	nextSweep int
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was computed
	budget Budget
}

// level is b's tokens at now, refilled since b.at and capped at the burst.
func (b *bucket) level(now time.Time) float64 {
	t := b.tokens
	if b.budget.Every > 0 {
		t += float64(now.Sub(b.at)) / float64(b.budget.Every)
	}
	return min(t, float64(b.budget.Burst))
}

// Ticket is a granted attempt. Refund it when the attempt should not count,
// e.g. a lookup that found the order.
type Ticket struct {
	l    *Limiter
	keys []Key
	now  time.Time
}

// Take charges one attempt at now to every key, all or nothing: when any key
// has no budget left it charges none of them and reports false, so refused
// attempts (which do nothing) cost the other keys nothing. A key with a zero
// Burst never allows an attempt.
func (l *Limiter) Take(now time.Time, keys ...Key) (Ticket, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.allHave(now, keys) {
		return Ticket{}, false
	}
	for _, k := range keys {
		b := l.bucket(k, now)
		b.tokens, b.at = b.level(now)-1, now
	}
	return Ticket{l: l, keys: keys, now: now}, true
}

// TakeShared charges one attempt at now to own and shared keys. Own keys
// are the attempt's own parties (its client, say) and gate it as in Take:
// when one is out, nothing is charged and ok is false. Shared keys are
// parties anyone can spend (a whole shop): when all have budget every key
// is charged; when one is out, only own keys are charged and masked is
// true, which tells the caller to go ahead but to answer a failed attempt
// as if it had been refused. An attempt with no own keys is refused when a
// shared key is out.
func (l *Limiter) TakeShared(now time.Time, own, shared []Key) (t Ticket, masked, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.allHave(now, own) {
		return Ticket{}, false, false
	}
	keys := append(append([]Key(nil), own...), shared...)
	if !l.allHave(now, shared) {
		if len(own) == 0 {
			return Ticket{}, false, false
		}
		keys, masked = own, true
	}
	for _, k := range keys {
		b := l.bucket(k, now)
		b.tokens, b.at = b.level(now)-1, now
	}
	return Ticket{l: l, keys: keys, now: now}, masked, true
}

// allHave reports whether every key has an attempt's budget left at now.
func (l *Limiter) allHave(now time.Time, keys []Key) bool {
	for _, k := range keys {
		if b, ok := l.buckets[k.Name]; (ok && b.level(now) < 1) || (!ok && k.Budget.Burst < 1) {
			return false
		}
	}
	return true
}

// Refund gives the attempt back to every key it was charged to.
func (t Ticket) Refund() {
	if t.l == nil {
		return
	}
	t.l.mu.Lock()
	defer t.l.mu.Unlock()
	for _, k := range t.keys {
		if b, ok := t.l.buckets[k.Name]; ok {
			b.tokens = min(b.tokens+1, float64(b.budget.Burst))
		}
	}
}

// bucket returns k's bucket, making a full one when there is none.
func (l *Limiter) bucket(k Key, now time.Time) *bucket {
	if b, ok := l.buckets[k.Name]; ok {
		return b
	}
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	if len(l.buckets) >= max(l.nextSweep, minSweep) {
		l.sweep(now)
	}
	b := &bucket{tokens: float64(k.Budget.Burst), at: now, budget: k.Budget}
	l.buckets[k.Name] = b
	return b
}

// sweep drops the buckets that have refilled; they behave as absent ones.
func (l *Limiter) sweep(now time.Time) {
	for name, b := range l.buckets {
		if b.level(now) >= float64(b.budget.Burst) {
			delete(l.buckets, name)
		}
	}
	if len(l.buckets) >= maxKeys {
		l.buckets = map[string]*bucket{}
	}
	l.nextSweep = 2 * len(l.buckets)
}
