package jobs

import "github.com/riverqueue/river"

// SubscribePushesArgs subscribes polled shipments on carriers that push,
// renews lapsing subscriptions and ends those of finished shipments. The
// poll scheduler enqueues it on every tick.
type SubscribePushesArgs struct{}

// Kind implements river.JobArgs.
func (SubscribePushesArgs) Kind() string { return "subscribe_pushes" }

// InsertOpts keeps at most one pending run.
func (SubscribePushesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}, MaxAttempts: 3}
}
