package polling

import (
	"context"
	"errors"
	"fmt"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/aftership"
	"github.com/ordertrack/ordertrack/storage"
)

// ProcessPush merges a pushed tracking update (AfterShip's, the only
// carrier that pushes today) into every shipment with that number and
// pushes their next poll out. A body that will never parse comes back
// wrapping aftership.ErrMalformedPush.
func (p *Poller) ProcessPush(ctx context.Context, d *storage.WebhookDelivery) error {
	push, err := aftership.New(aftership.Config{}).ParseWebhook(d.Payload)
	if errors.Is(err, aftership.ErrMalformedPush) {
		return fmt.Errorf("carrier push %d: %w: %w", d.ID, jobs.ErrMalformed, err) // kept failed for replay
	}
	if err != nil {
		return fmt.Errorf("carrier push %d: %w", d.ID, err)
	}
	ships, err := p.db.ShipmentsByNumber(ctx, push.Result.Number)
	if err != nil {
		return err
	}
	for i := range ships {
		if err := p.ApplyResult(ctx, &ships[i], push.Result, false, 0); err != nil {
			return err
		}
		if err := p.db.PostponePoll(ctx, ships[i].ID, tracking.AfterPush(p.now())); err != nil {
			return err
		}
	}
	return nil
}
