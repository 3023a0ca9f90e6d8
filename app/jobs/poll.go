package jobs

import (
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// whileActive makes a job unique only against copies not yet finished.
// River's default unique states include completed, which would swallow every
// later tick (and every later poll of the same batch) until the completed
// row is cleaned up a day later.
var whileActive = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}

// SchedulePollsArgs is the periodic tick that finds due shipments and
// enqueues their polls.
type SchedulePollsArgs struct{}

// Kind implements river.JobArgs.
func (SchedulePollsArgs) Kind() string { return "schedule_polls" }

// InsertOpts keeps at most one pending tick.
func (SchedulePollsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whileActive}, MaxAttempts: 3}
}

// PollArgs polls one batch of shipments on one carrier.
type PollArgs struct {
	Carrier     string  `json:"carrier"`
	ShipmentIDs []int64 `json:"shipment_ids"`
}

// Kind implements river.JobArgs.
func (PollArgs) Kind() string { return "poll" }

// InsertOpts makes a batch unique while pending so no shipment is polled twice
// for one due time, even with several schedulers.
func (PollArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whileActive}, MaxAttempts: 5}
}

// NotifyArgs turns one fired trigger into planned messages.
type NotifyArgs struct {
	ShipmentID int64  `json:"shipment_id"`
	Trigger    string `json:"trigger"`
	Key        string `json:"key"`
}

// Kind implements river.JobArgs.
func (NotifyArgs) Kind() string { return "notify" }

// InsertOpts dedupes a trigger key per shipment.
func (NotifyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// SendArgs delivers one logged notification through its provider.
type SendArgs struct {
	NotificationID int64 `json:"notification_id"`
}

// Kind implements river.JobArgs.
func (SendArgs) Kind() string { return "send" }

// InsertOpts: one pending send per notification; provider errors retry
// with River's backoff up to 10 attempts, then the message shows as failed.
func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}, MaxAttempts: 10}
}
