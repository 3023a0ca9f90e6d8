package demo

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/sim"
)

// TestRetimeSpreadsTheFutureOverAnHour: past scans keep their times, future
// ones spread over the next hour or more, in order, and the promise moves
// with the scans around it.
func TestRetimeSpreadsTheFutureOverAnHour(t *testing.T) {
	now := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	for _, ago := range []int{0, 2, 4} {
		c := sim.New(1)
		plan := c.Plan(c.Number(ago), now.AddDate(0, 0, -ago), sim.Normal)
		orig := append([]tracking.Event(nil), plan.Events...)
		retime(&plan, now, rand.New(rand.NewPCG(1, 2)))
		last := plan.Events[len(plan.Events)-1].Time
		if last.Before(now.Add(55*time.Minute)) || last.After(now.Add(100*time.Minute)) {
			t.Errorf("shipped %d days ago: last scan %s from now; want about an hour or more", ago, last.Sub(now))
		}
		for i, e := range plan.Events {
			if !orig[i].Time.After(now) && !e.Time.Equal(orig[i].Time) {
				t.Errorf("shipped %d days ago: past scan %d moved from %s to %s", ago, i, orig[i].Time, e.Time)
			}
			if i > 0 && !e.Time.After(plan.Events[i-1].Time) {
				t.Errorf("shipped %d days ago: scans out of order at %d", ago, i)
			}
		}
		if w := plan.Promised; w.Earliest.After(now) && (w.Latest.After(last.Add(time.Hour)) || w.Earliest.After(w.Latest)) {
			t.Errorf("shipped %d days ago: promised %s–%s, last scan %s; want the promise within the squeezed hour", ago, w.Earliest, w.Latest, last)
		}
	}
}
