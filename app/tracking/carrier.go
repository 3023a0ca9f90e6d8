package tracking

import (
	"context"
	"time"
)

// Carrier is a carrier's tracking API as the poller needs it; each package
// under integrations/carriers satisfies it.
type Carrier interface {
	// Track returns what the carrier says about each number; a number it
	// does not know comes back with NotFound.
	Track(ctx context.Context, numbers []string) ([]Result, error)
	// MaxBatch is how many numbers one request carries; the poller
	// batches by it.
	MaxBatch() int
}

// Quota is a carrier's documented limit beyond calls per second.
type Quota struct {
	PerDay            int // calls per account per UTC day, across machines
	PerShipmentPerDay int // fetches of one number per day
}

// Subscription is a number a carrier accepted to push the news of.
type Subscription struct {
	Number string
	// ID is the carrier's id for it, to unsubscribe; empty when the
	// carrier has none.
	ID string
	// Expires is when the carrier stops pushing unless renewed; zero when
	// the subscription lasts as long as the shipment.
	Expires time.Time
}

// PushHook is where and with what credential a carrier pushes to us.
type PushHook struct {
	URL    string
	Secret string // echoed, signed with, or sent back as a token
}
