package jobs

import "github.com/riverqueue/river"

// NotifyMerchantArgs tells the shop owner about one shopper request
// (confirmed address, reschedule, …) by email.
type NotifyMerchantArgs struct {
	ActionID int64 `json:"action_id"`
}

// Kind implements river.JobArgs.
func (NotifyMerchantArgs) Kind() string { return "notify_merchant_action" }

// InsertOpts: one pending email per action; provider errors retry with
// backoff like any send.
func (NotifyMerchantArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}, MaxAttempts: 10}
}

// ConsentConfirmArgs sends the message that follows a shopper's opt-in:
// the question they answer YES to where a double opt-in is required, else
// a welcome that says how to stop.
type ConsentConfirmArgs struct {
	ConsentID int64 `json:"consent_id"`
}

// Kind implements river.JobArgs.
func (ConsentConfirmArgs) Kind() string { return "consent_confirm" }

// InsertOpts: one message per consent.
func (ConsentConfirmArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}, MaxAttempts: 10}
}
