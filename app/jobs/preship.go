package jobs

import "github.com/riverqueue/river"

// PreShipmentAlertsArgs is the periodic check for orders not shipped in
// time and labels no carrier picked up, per the shops' settings.
type PreShipmentAlertsArgs struct{}

// Kind implements river.JobArgs.
func (PreShipmentAlertsArgs) Kind() string { return "pre_shipment_alerts" }

// InsertOpts keeps at most one pending check.
func (PreShipmentAlertsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}, MaxAttempts: 3}
}
