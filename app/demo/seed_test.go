package demo

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// TestDemoParcelsKeepMovingForAnHour: future scans spread over the next
// hour or more, a few minutes apart, instead of all landing in minutes.
func TestDemoParcelsKeepMovingForAnHour(t *testing.T) {
	now := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	var events []tracking.Event
	for i := range 8 {
		events = append(events, tracking.Event{Time: now.Add(time.Duration(i-2) * 24 * time.Hour)})
	}
	events = squeezeFuture(events, now, rand.New(rand.NewPCG(1, 2)))
	last := events[len(events)-1].Time
	if last.Before(now.Add(55*time.Minute)) || last.After(now.Add(100*time.Minute)) {
		t.Errorf("last scan at %s; want about an hour or more from now", last.Sub(now))
	}
	for i := 1; i < len(events); i++ {
		if !events[i].Time.After(events[i-1].Time) {
			t.Errorf("scans out of order at %d", i)
		}
	}
}
