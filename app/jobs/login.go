package jobs

import "github.com/riverqueue/river"

// LoginEmailArgs emails a single-use admin sign-in link to the stored
// address of the WooCommerce shop named Domain, if there is one. The
// request handler always enqueues it, so its answer and timing say nothing
// about which shops exist.
type LoginEmailArgs struct {
	Domain string `json:"domain"`
}

// Kind implements river.JobArgs.
func (LoginEmailArgs) Kind() string { return "login_email" }

// InsertOpts: one pending email per shop, however often it is asked for.
func (LoginEmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}, MaxAttempts: 5}
}
