package polling

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// Poll asks the carrier about a batch and applies what it says.
func (p *Poller) Poll(ctx context.Context, job *river.Job[jobs.PollArgs]) error {
	ships, err := p.db.ShipmentsByID(ctx, job.Args.ShipmentIDs)
	if err != nil {
		return err
	}
	// A delivered shipment is polled only when a push left a gap
	// (tracking.PushGap); otherwise its next poll is nil.
	ships = slices.DeleteFunc(ships, func(s storage.Shipment) bool { return s.NextPollAt == nil })
	if len(ships) == 0 {
		return nil
	}
	c, err := p.carrierFor(ctx, job.Args.ShopID, job.Args.Carrier)
	if errors.Is(err, errNoAPI) {
		// The page shows the store's own tracking link; stop polling
		// rather than spin.
		return p.stopPolling(ctx, ships)
	}
	if err != nil {
		return err
	}
	if err := c.limit.Wait(ctx); err != nil {
		return fmt.Errorf("wait for %s quota: %w", job.Args.Carrier, err)
	}
	numbers := make([]string, len(ships))
	for i, s := range ships {
		numbers[i] = s.TrackingNumber
	}
	if q := carrierQuotas[job.Args.Carrier]; q.PerDay > 0 {
		calls := (len(numbers) + c.MaxBatch() - 1) / max(1, c.MaxBatch())
		var ok bool
		if job.Args.ShopID != 0 {
			// A merchant's own account: its quota is its own.
			ok, err = p.db.ReserveCarrierCalls(ctx, fmt.Sprintf("%s:%d", job.Args.Carrier, job.Args.ShopID), p.now(), calls, q.PerDay)
		} else {
			// The platform's account is shared: each shop gets its fair
			// share (batches of a quota carrier hold one shop's shipments).
			ok, err = p.db.ReserveSharedCarrierCalls(ctx, job.Args.Carrier, ships[0].ShopID, p.now(), calls, q.PerDay,
				func(spent int, use map[int64]tracking.QuotaUse) bool {
					return tracking.ShareQuota(q.PerDay, spent, use, ships[0].ShopID, calls)
				})
		}
		if err != nil {
			return err
		}
		if !ok {
			// The day's quota (or this shop's share of it) is spent on
			// every machine: try again after the carrier's day rolls
			// over, without counting a failure.
			p.metrics.CarrierCalls.WithLabelValues(job.Args.Carrier, "quota").Inc()
			next := tracking.AfterQuotaSpent(p.now(), rand.Float64)
			for _, s := range ships {
				if err := p.db.PostponePoll(ctx, s.ID, next); err != nil {
					return err
				}
			}
			return nil
		}
	}
	results, trackErr := c.Track(ctx, numbers)
	outcome := "ok"
	var retry *tracking.RetryableError
	switch {
	case errors.As(trackErr, &retry):
		outcome = "retryable"
	case errors.Is(trackErr, tracking.ErrCredentials):
		outcome = "credentials"
	case trackErr != nil:
		outcome = "error"
	}
	p.metrics.CarrierCalls.WithLabelValues(job.Args.Carrier, outcome).Inc()
	var wait time.Duration
	if retry != nil {
		wait = retry.RetryAfter
	}
	if trackErr != nil {
		// Back off through the polling policy (it honours Retry-After), not
		// River retries: each shipment keeps its own schedule. Batch APIs may
		// answer for some numbers and reject others, so results still count.
		p.log.Warn("carrier poll failed", "carrier", job.Args.Carrier, "shipments", len(ships), "results", len(results), "err", trackErr)
	}
	byNumber := make(map[string]tracking.Result, len(results))
	for _, r := range results {
		byNumber[r.Number] = r
	}
	for i := range ships {
		r, ok := byNumber[ships[i].TrackingNumber]
		switch {
		case ok:
			err = p.ApplyResult(ctx, &ships[i], r, false, 0)
		case trackErr != nil:
			err = p.ApplyResult(ctx, &ships[i], tracking.Result{}, true, wait)
		default:
			err = p.ApplyResult(ctx, &ships[i], tracking.Result{Number: ships[i].TrackingNumber, NotFound: true}, false, 0)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (p *Poller) stopPolling(ctx context.Context, ships []storage.Shipment) error {
	ids := make([]int64, len(ships))
	for i, s := range ships {
		ids[i] = s.ID
	}
	return p.db.StopPolling(ctx, ids)
}
