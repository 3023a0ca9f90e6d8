package jobs

import "github.com/riverqueue/river"

// RefreshAnalyticsArgs is the periodic tick that folds the queued shipment
// changes into every shop's analytics rollup and builds the rollups that are
// missing (after the migration, or when a shop's time zone changed).
type RefreshAnalyticsArgs struct{}

// Kind implements river.JobArgs.
func (RefreshAnalyticsArgs) Kind() string { return "refresh_analytics" }

// InsertOpts keeps at most one pending tick.
func (RefreshAnalyticsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}, MaxAttempts: 3}
}
