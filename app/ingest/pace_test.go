package ingest

import (
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/throttle"
)

// A shop's deliveries go to the webhooks queue up to its burst, then to
// the bulk queue until its pace comes back; other shops keep their own.
func TestPacerQueuesDeliveriesOverTheShopsPaceOnTheBulkQueue(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var p pacer
	for i := range throttle.ShopBurst {
		if got := p.queue("flood", start); got != jobs.QueueWebhooks {
			t.Fatalf("delivery %d of the burst → %q; want %q", i, got, jobs.QueueWebhooks)
		}
	}
	for _, c := range []struct {
		name string
		shop string
		at   time.Duration
		want string
	}{
		{"one over the burst", "flood", 0, jobs.QueueWebhooksBulk},
		{"another shop", "quiet", 0, jobs.QueueWebhooks},
		{"a second's pace back", "flood", time.Second, jobs.QueueWebhooks},
	} {
		if got := p.queue(c.shop, start.Add(c.at)); got != c.want {
			t.Errorf("%s: delivery of %s → %q; want %q", c.name, c.shop, got, c.want)
		}
	}
}
