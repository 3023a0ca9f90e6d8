package polling

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// ApplyResult merges a carrier result into the shipment (tracking.Assess
// decides what it means) and stores the outcome; in the same transaction it
// enqueues the shopper's messages and the store's write-back for every
// trigger not fired before. failed marks a poll the carrier did not answer,
// retryAfter the wait it asked for.
func (p *Poller) ApplyResult(ctx context.Context, s *storage.Shipment, r tracking.Result, failed bool, retryAfter time.Duration) error {
	return p.apply(ctx, s, r, failed, retryAfter, false)
}

// apply is ApplyResult; pushed marks a carrier's push, which may leave a
// gap for a poll to fill (tracking.PushGap).
func (p *Poller) apply(ctx context.Context, s *storage.Shipment, r tracking.Result, failed bool, retryAfter time.Duration, pushed bool) error {
	stored, err := p.db.Events(ctx, s.ID)
	if err != nil {
		return err
	}
	in := tracking.Input{
		Carrier: s.Carrier, Service: s.Service, Origin: s.OriginRegion, DestCountry: s.DestCountry, DestRegion: s.DestRegion,
		CreatedAt: s.CreatedAt, State: s.State(), ETA: s.ETA(), Events: stored, PollFailures: s.PollFailures,
		Result: r, Failed: failed, RetryAfter: retryAfter, Pushed: pushed,
		Now: p.now(), Model: p.transit.Model(), Policy: p.policy, Rand: rand.Float64,
		PerShipmentPerDay: carrierQuotas[s.Carrier].PerShipmentPerDay,
	}
	if s.ShippedAt != nil {
		in.ShippedAt = *s.ShippedAt
	}
	switch sub, err := p.db.Subscription(ctx, s.ID); {
	case err == nil:
		in.Push = sub.Watch(in.Now)
	case !errors.Is(err, storage.ErrNotFound):
		return err
	}
	out := tracking.Assess(in)
	if s.Kind == storage.KindReturn {
		out.Fired = tracking.ForReturn(out.Fired)
	}
	err = p.db.InTx(ctx, func(tx *storage.Tx) error {
		fresh, err := tx.ApplyUpdate(ctx, s, storage.Update{
			Added: out.Added, Recoded: out.Recoded, State: out.State, ETA: out.ETA, Service: r.Service, NextPollAt: out.NextPollAt,
			Polled: true, Failed: failed, NotFound: out.NotFound, Fired: out.Fired,
		})
		if err != nil || len(fresh) == 0 {
			return err
		}
		if err := p.notifier.Enqueue(ctx, tx, s.ID, fresh); err != nil {
			return err
		}
		return p.writeBack.ShipmentChanged(ctx, tx, s.ID, fresh)
	})
	if err != nil {
		return err
	}
	if out.PushConfirmed {
		if err := p.db.ConfirmPushes(ctx, s.ID, in.Now); err != nil {
			return err
		}
	}
	p.pages.Forget(s.PublicToken) // this process shows the news at once; others within the cache's lifetime
	if out.Transit != nil {
		p.transit.Observe(out.Transit.Lane, out.Transit.Days)
	}
	return nil
}
