package app

import (
	"time"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/throttle"
)

// ingestPacer picks a delivery's processing queue by its shop's recent
// pace, so one shop flooding webhooks cannot delay other shops'. Counts
// are per web process: with several web machines each sees its share of a
// flood. The zero value is ready to use.
type ingestPacer struct{ paces throttle.Pace }

// queue spends one delivery of shop's pace at now and returns the queue
// its processing goes to.
func (p *ingestPacer) queue(shop string, now time.Time) string {
	if p.paces.Within(shop, 1, now) {
		return jobs.QueueWebhooks
	}
	return jobs.QueueWebhooksBulk
}
