package jobs

import "github.com/riverqueue/river"

// FlowTriggerArgs fires one Shopify Flow trigger: a shipment's trigger
// (Trigger and its dedupe Key) or a shopper's request (ActionID).
type FlowTriggerArgs struct {
	ShipmentID int64  `json:"shipment_id,omitempty"`
	Trigger    string `json:"trigger,omitempty"`
	Key        string `json:"key,omitempty"`
	ActionID   int64  `json:"action_id,omitempty"`
}

// Kind implements river.JobArgs.
func (FlowTriggerArgs) Kind() string { return "flow_trigger" }

// InsertOpts fires each trigger once, however often a notify job reruns.
func (FlowTriggerArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}, MaxAttempts: 10}
}

// KlaviyoEventArgs sends one shipment trigger to the shop's Klaviyo account
// as an event.
type KlaviyoEventArgs struct {
	ShipmentID int64  `json:"shipment_id"`
	Trigger    string `json:"trigger"`
	Key        string `json:"key"`
}

// Kind implements river.JobArgs.
func (KlaviyoEventArgs) Kind() string { return "klaviyo_event" }

// InsertOpts sends each event once; Klaviyo's rate limits snooze the job
// for as long as Klaviyo asks, other failures retry with backoff.
func (KlaviyoEventArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}, MaxAttempts: 15}
}
