package jobs

import "github.com/riverqueue/river"

// ProcessWebhookArgs processes one stored webhook delivery.
type ProcessWebhookArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind implements river.JobArgs.
func (ProcessWebhookArgs) Kind() string { return "process_webhook" }

// QueueWebhooks is the queue webhook processing runs on, with workers of
// its own: the work a delivery creates (notifications, polls, messages)
// runs on the default queue, so however much of it one shop's deliveries
// queue, other shops' deliveries are never behind it.
const QueueWebhooks = "webhooks"

// InsertOpts puts webhook processing on its own queue.
func (ProcessWebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueWebhooks}
}

// QueueWebhooksBulk takes the deliveries a shop sends beyond its fair
// pace (a bulk fulfillment, a backfill), on few workers of their own: they
// are processed in turn, never dropped, and the webhooks queue stays free
// for every other shop.
const QueueWebhooksBulk = "webhooks_bulk"

// ReplayOpts makes a replay unique while it is pending, so a replay clicked
// twice runs once, yet a replay after processing runs again. A delivery's
// first processing needs no such check (its id is new), and skipping it
// keeps webhook ingest cheap.
func ReplayOpts() *river.InsertOpts {
	return &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}}
}
