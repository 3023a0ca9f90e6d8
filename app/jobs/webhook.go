package jobs

import "github.com/riverqueue/river"

// ProcessWebhookArgs processes one stored webhook delivery.
type ProcessWebhookArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind implements river.JobArgs.
func (ProcessWebhookArgs) Kind() string { return "process_webhook" }

// ReplayOpts makes a replay unique while it is pending, so a replay clicked
// twice runs once, yet a replay after processing runs again. A delivery's
// first processing needs no such check (its id is new), and skipping it
// keeps webhook ingest cheap.
func ReplayOpts() *river.InsertOpts {
	return &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}}
}
