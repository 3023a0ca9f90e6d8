package orders

import (
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/throttle"
)

// notifyPacer picks the queue of the notifications a shop's new parcels
// fire, so the thousands one shop's bulk fulfillment fires wait on the
// bulk queue's few workers rather than take the machine from every other
// shop's work. Counts are per worker process. The zero value is ready to
// use.
type notifyPacer struct{ paces throttle.Pace }

// queue spends n notifications of shop's pace at now and returns the
// queue they go to.
func (p *notifyPacer) queue(shop string, n int, now time.Time) string {
	if p.paces.Within(shop, n, now) {
		return river.QueueDefault
	}
	return jobs.QueueBulk
}
