package orders

import (
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/throttle"
)

// A shop's notifications stay on the default queue up to its burst, then
// go to the bulk queue until its pace comes back; other shops keep their
// own pace.
func TestNotifyPacerQueues(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var p notifyPacer
	for _, c := range []struct {
		name string
		shop string
		n    int
		at   time.Duration
		want string
	}{
		{"the burst at once", "flood", throttle.ShopBurst - 1, 0, river.QueueDefault},
		{"the last of the burst", "flood", 1, 0, river.QueueDefault},
		{"one over the burst", "flood", 1, 0, jobs.QueueBulk},
		{"another shop", "quiet", 1, 0, river.QueueDefault},
		{"more than a second's pace back", "flood", throttle.ShopPace + 1, time.Second, jobs.QueueBulk},
		{"a second's pace back", "flood", throttle.ShopPace, time.Second, river.QueueDefault},
		{"none fired", "flood", 0, time.Second, river.QueueDefault},
	} {
		if got := p.queue(c.shop, c.n, start.Add(c.at)); got != c.want {
			t.Errorf("%s: %d of %s → %q; want %q", c.name, c.n, c.shop, got, c.want)
		}
	}
}
