package tracking

import "context"

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
