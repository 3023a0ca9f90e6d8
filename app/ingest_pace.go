package app

import (
	"sync"
	"time"

	"github.com/riverqueue/river"
	"golang.org/x/time/rate"

	"github.com/ordertrack/ordertrack/app/jobs"
)

const (
	// shopPace and shopBurst are how many deliveries a second (and at
	// once) of a shop are processed on the webhooks queue; beyond that
	// they go to the bulk queue, never dropped. A busy shop sends a few a
	// second; a bulk fulfillment or an import sends hundreds. The same
	// pace holds for the notifications a shop's new parcels fire: one
	// order of a hundred parcels queues most of its hundred on the bulk
	// queue.
	shopPace  = 5
	shopBurst = 20
	// pacedShops bounds a pace table; past it the table starts afresh.
	pacedShops = 10000
)

// shopPaces counts each shop's recent work against shopPace and
// shopBurst. The zero value is ready to use.
type shopPaces struct {
	mu    sync.Mutex
	shops map[string]*rate.Limiter
}

// within spends n of shop's pace at now, reporting whether the pace had
// room for them.
func (p *shopPaces) within(shop string, n int, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shops == nil || len(p.shops) >= pacedShops {
		p.shops = map[string]*rate.Limiter{}
	}
	l, ok := p.shops[shop]
	if !ok {
		l = rate.NewLimiter(shopPace, shopBurst)
		p.shops[shop] = l
	}
	return l.AllowN(now, n)
}

// ingestPacer picks a delivery's processing queue by its shop's recent
// pace, so one shop flooding webhooks cannot delay other shops'. Counts
// are per web process: with several web machines each sees its share of a
// flood. The zero value is ready to use.
type ingestPacer struct{ paces shopPaces }

// queue spends one delivery of shop's pace at now and returns the queue
// its processing goes to.
func (p *ingestPacer) queue(shop string, now time.Time) string {
	if p.paces.within(shop, 1, now) {
		return jobs.QueueWebhooks
	}
	return jobs.QueueWebhooksBulk
}

// notifyPacer picks the queue of the notifications a shop's new parcels
// fire, so the thousands one shop's bulk fulfillment fires wait on the
// bulk queue's few workers rather than take the machine from every other
// shop's work. Counts are per worker process. The zero value is ready to
// use.
type notifyPacer struct{ paces shopPaces }

// queue spends n notifications of shop's pace at now and returns the
// queue they go to.
func (p *notifyPacer) queue(shop string, n int, now time.Time) string {
	if p.paces.within(shop, n, now) {
		return river.QueueDefault
	}
	return jobs.QueueBulk
}
