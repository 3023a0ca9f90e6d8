package polling

import (
	"context"
	"errors"
	"fmt"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/aftership"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// ProcessPush merges a stored carrier push into every shipment it names,
// through the same timeline merge as a poll, so a duplicate or
// out-of-order push changes nothing twice. A carrier's own push (UPS,
// USPS, FedEx, DHL: the delivery's Topic is the carrier's code) also
// counts on the shipment's subscription, which keeps the next poll a
// safety net; AfterShip's pushes postpone the next poll. A body that will
// never parse comes back wrapping jobs.ErrMalformed, kept for replay.
func (p *Poller) ProcessPush(ctx context.Context, d *storage.WebhookDelivery) error {
	if e, ok := registry.Lookup(d.Topic); ok && e.Push != nil {
		return p.processCarrierPush(ctx, d, e)
	}
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

func (p *Poller) processCarrierPush(ctx context.Context, d *storage.WebhookDelivery, e registry.Carrier) error {
	results, err := e.Push.Parse(d.Payload)
	if err != nil {
		return fmt.Errorf("%s push %d: %w: %w", e.Code, d.ID, jobs.ErrMalformed, err)
	}
	for _, r := range results {
		ships, err := p.db.ShipmentsByNumber(ctx, r.Number)
		if err != nil {
			return err
		}
		for i := range ships {
			if ships[i].Carrier != e.Code {
				continue // the same number on another carrier is another parcel
			}
			if err := p.db.RecordPushed(ctx, ships[i].ID, d.ReceivedAt); err != nil {
				return err
			}
			if err := p.apply(ctx, &ships[i], r, false, 0, true); err != nil {
				return err
			}
		}
	}
	return nil
}
