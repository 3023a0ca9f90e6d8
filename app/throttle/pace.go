package throttle

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

const (
	// ShopPace and ShopBurst are how many deliveries a second (and at
	// once) of a shop are processed on the webhooks queue; beyond that
	// they go to the bulk queue, never dropped. A busy shop sends a few a
	// second; a bulk fulfillment or an import sends hundreds. The same
	// pace holds for the notifications a shop's new parcels fire: one
	// order of a hundred parcels queues most of its hundred on the bulk
	// queue.
	ShopPace  = 5
	ShopBurst = 20
	// pacedKeys bounds a pace table; past it the table starts afresh.
	pacedKeys = 10000
)

// Pace counts each key's recent work against ShopPace and ShopBurst, to
// route work past the pace to a slower lane rather than refuse it. Counts
// are per process. The zero value is ready to use.
type Pace struct {
	mu   sync.Mutex
	keys map[string]*rate.Limiter
}

// Within spends n of key's pace at now, reporting whether the pace had
// room for them.
func (p *Pace) Within(key string, n int, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.keys == nil || len(p.keys) >= pacedKeys {
		p.keys = map[string]*rate.Limiter{}
	}
	l, ok := p.keys[key]
	if !ok {
		l = rate.NewLimiter(ShopPace, ShopBurst)
		p.keys[key] = l
	}
	return l.AllowN(now, n)
}
