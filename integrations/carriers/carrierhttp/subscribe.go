package carrierhttp

import (
	"context"
	"errors"
	"fmt"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// SubscribeEach subscribes numbers one call each (for APIs that take one
// number per subscription) and returns those the carrier accepted, with
// their subscription ids, and those it refused (a RejectedError). Any
// other error stops the run, returning what was done so far.
func SubscribeEach(ctx context.Context, carrier string, numbers []string, subscribe func(ctx context.Context, number string) (id string, err error)) ([]tracking.Subscription, []string, error) {
	var subs []tracking.Subscription
	var rejected []string
	for _, n := range numbers {
		id, err := subscribe(ctx, n)
		var rej *RejectedError
		switch {
		case errors.As(err, &rej):
			rejected = append(rejected, n)
		case err != nil:
			return subs, rejected, fmt.Errorf("%s: subscribe %s: %w", carrier, n, err)
		default:
			subs = append(subs, tracking.Subscription{Number: n, ID: id})
		}
	}
	return subs, rejected, nil
}
