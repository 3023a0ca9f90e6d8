package jobs

import (
	"errors"

	"github.com/riverqueue/river"
)

// ProcessWebhookArgs processes one stored webhook delivery.
type ProcessWebhookArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind implements river.JobArgs.
func (ProcessWebhookArgs) Kind() string { return "process_webhook" }

// ErrMalformed marks a delivery whose processing can never succeed as
// received (a payload that does not parse, a shop we do not know): it is
// kept as failed, for replay after a fix, instead of retried. Whatever
// processes a delivery wraps it.
var ErrMalformed = errors.New("malformed payload")

// Webhook processing runs on queues with workers of their own.
const (
	// QueueWebhooks takes deliveries: the work a delivery creates
	// (notifications, polls, messages) runs on the default queue (or
	// QueueBulk), so however much of it one shop's deliveries queue,
	// other shops' deliveries are never behind it.
	QueueWebhooks = "webhooks"
	// QueueWebhooksBulk takes the deliveries a shop sends beyond its fair
	// pace (a bulk fulfillment, an import), on few workers: they are
	// processed in turn, never dropped, and the webhooks queue stays free
	// for every other shop.
	QueueWebhooksBulk = "webhooks_bulk"
	// QueueBulk takes the other work (notifications) a shop creates beyond
	// its fair pace, on few workers, so the default queue's work of every
	// other shop is not behind it.
	QueueBulk = "bulk"
)

// InsertOpts puts webhook processing on its own queue.
func (ProcessWebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueWebhooks}
}

// ReplayOpts makes a replay unique while it is pending, so a replay clicked
// twice runs once, yet a replay after processing runs again. A delivery's
// first processing needs no such check (its id is new), and skipping it
// keeps webhook ingest cheap.
func ReplayOpts() *river.InsertOpts {
	return &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}}
}
