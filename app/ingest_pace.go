package app

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/ordertrack/ordertrack/app/jobs"
)

const (
	// shopPace and shopBurst are how many deliveries a second (and at
	// once) of a shop are processed on the webhooks queue; beyond that
	// they go to the bulk queue, never dropped. A busy shop sends a few a
	// second; a bulk fulfillment or an import sends hundreds.
	shopPace  = 5
	shopBurst = 20
	// pacedShops bounds the pace table; past it the table starts afresh.
	pacedShops = 10000
)

// ingestPacer picks a delivery's processing queue by its shop's recent
// pace, so one shop flooding webhooks cannot delay other shops'. Counts
// are per web process: with several web machines each sees its share of a
// flood. The zero value is ready to use.
type ingestPacer struct {
	mu    sync.Mutex
	shops map[string]*rate.Limiter
}

// queue spends one delivery of shop's pace at now and returns the queue
// its processing goes to.
func (p *ingestPacer) queue(shop string, now time.Time) string {
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
	if l.AllowN(now, 1) {
		return jobs.QueueWebhooks
	}
	return jobs.QueueWebhooksBulk
}
