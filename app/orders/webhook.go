package orders

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
)

// slotWait is how long a delivery over its shop's slots waits before it is
// tried again.
const slotWait = time.Second

// ProcessWebhook applies one stored delivery by its platform. A delivery that
// can never succeed (jobs.ErrMalformed, or data the database refuses) is kept
// as failed for replay; anything else is retried with River's backoff.
func (s *Syncer) ProcessWebhook(ctx context.Context, job *river.Job[jobs.ProcessWebhookArgs]) error {
	d, err := s.db.Delivery(ctx, job.Args.DeliveryID)
	if errors.Is(err, storage.ErrNotFound) {
		return river.JobCancel(err) // deleted with its shop: nothing to process
	}
	if err != nil {
		return err // the database is unreachable: retried, never dropped
	}
	release, ok := s.slots.TakeSlot(d.ShopDomain)
	if !ok {
		return river.JobSnooze(slotWait)
	}
	defer release()
	d.Note = "" // a replay notes afresh
	var procErr error
	switch d.Platform {
	case storage.Shopify:
		procErr = s.processShopify(ctx, d)
	case storage.WooCommerce:
		procErr = s.processWoo(ctx, d)
	case storage.CarrierPush:
		procErr = s.pushes.ProcessPush(ctx, d)
	default:
		procErr = fmt.Errorf("%w: unknown platform %q", jobs.ErrMalformed, d.Platform)
	}
	// A payload the database refuses (a data exception, a violated
	// constraint) is refused again on every retry: keep it failed and
	// replayable at once rather than retrying it for days.
	if procErr != nil && !errors.Is(procErr, jobs.ErrMalformed) && !storage.Permanent(procErr) {
		return procErr // transient: River retries with backoff
	}
	if err := s.db.FinishDelivery(ctx, d, procErr); err != nil {
		return err
	}
	if procErr != nil {
		s.log.Warn("webhook payload rejected", "delivery", d.ID, "topic", d.Topic, "err", procErr)
	}
	return nil
}

// malformed marks err as a payload that will never process.
func malformed(err error) error { return fmt.Errorf("%w: %w", jobs.ErrMalformed, err) }
