package jobs

import (
	"encoding/json"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// SnoozeDoubling puts off a job whose cause of failure will not go away
// soon (a refused store address): first after first, doubling with each
// snooze up to limit. Unlike a retry, a snooze never runs out of attempts,
// and the snoozed job stays pending, so a recurring job unique while
// pending gets no fresh copies in the meantime.
func SnoozeDoubling(job *rivertype.JobRow, first, limit time.Duration) (time.Duration, error) {
	var meta struct {
		Snoozes int `json:"snoozes"` // kept by River, counting this job's snoozes
	}
	_ = json.Unmarshal(job.Metadata, &meta) // no metadata: never snoozed
	d := first
	for i := 0; i < meta.Snoozes && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	return d, river.JobSnooze(d)
}
