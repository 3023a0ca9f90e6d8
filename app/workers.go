package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/admin"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
)

// registerWorkers adds every job worker this process runs.
func (a *App) registerWorkers(w *river.Workers) {
	river.AddWorker(w, river.WorkFunc(a.processWebhook))
	river.AddWorker(w, river.WorkFunc(a.schedulePolls))
	river.AddWorker(w, river.WorkFunc(a.poll))
	river.AddWorker(w, river.WorkFunc(a.notifyJob))
	river.AddWorker(w, river.WorkFunc(a.sendJob))
	river.AddWorker(w, river.WorkFunc(a.wooTick))
	river.AddWorker(w, river.WorkFunc(a.wooWebhooks))
	river.AddWorker(w, river.WorkFunc(a.wooReconcile))
	river.AddWorker(w, river.WorkFunc(a.wooNote))
	river.AddWorker(w, &timedWorker[jobs.ShopifyBackfillArgs]{work: a.shopifyBackfill, timeout: syncTimeout})
	river.AddWorker(w, river.WorkFunc(a.shopifyReconcile))
	river.AddWorker(w, &timedWorker[jobs.ShopifyReconcileShopArgs]{work: a.shopifyReconcileShop, timeout: syncTimeout})
	river.AddWorker(w, river.WorkFunc(a.shopifyFulfillmentEvent))
	river.AddWorker(w, river.WorkFunc(a.notifyMerchantJob))
	river.AddWorker(w, river.WorkFunc(a.loginEmailJob))
	river.AddWorker(w, river.WorkFunc(a.shopifyOrderWriteback))
	river.AddWorker(w, &timedWorker[jobs.RefreshAnalyticsArgs]{work: a.refreshAnalytics, timeout: admin.AnalyticsRefreshTimeout})
}

// periodicJobs are enqueued by the elected leader only, so several worker
// machines never double them.
func (a *App) periodicJobs() []*river.PeriodicJob {
	every := time.Minute
	if a.cfg.Demo {
		every = 5 * time.Second
	}
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			return jobs.SchedulePollsArgs{}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(wooTickEvery), func() (river.JobArgs, *river.InsertOpts) {
			return jobs.WooTickArgs{}, nil
		}, nil),
		river.NewPeriodicJob(river.PeriodicInterval(reconcileEvery), func() (river.JobArgs, *river.InsertOpts) {
			return jobs.ShopifyReconcileArgs{}, nil
		}, nil),
		river.NewPeriodicJob(river.PeriodicInterval(admin.AnalyticsRefreshEvery), func() (river.JobArgs, *river.InsertOpts) {
			return jobs.RefreshAnalyticsArgs{}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}),
	}
}

// errMalformed marks a payload that will never parse: kept as failed for
// replay after a fix, not retried.
var errMalformed = errors.New("malformed payload")

func (a *App) processWebhook(ctx context.Context, job *river.Job[jobs.ProcessWebhookArgs]) error {
	d, err := a.db.Delivery(ctx, job.Args.DeliveryID)
	if errors.Is(err, storage.ErrNotFound) {
		return river.JobCancel(err) // deleted with its shop: nothing to process
	}
	if err != nil {
		return err // the database is unreachable: retried, never dropped
	}
	release, ok := a.webhookSlots.acquire(d.ShopDomain)
	if !ok {
		return river.JobSnooze(webhookSnooze)
	}
	defer release()
	d.Note = "" // a replay notes afresh
	var procErr error
	switch d.Platform {
	case storage.Shopify:
		procErr = a.processShopify(ctx, d)
	case storage.WooCommerce:
		procErr = a.processWoo(ctx, d)
	case storage.CarrierPush:
		procErr = a.processCarrierPush(ctx, d)
	default:
		procErr = fmt.Errorf("%w: unknown platform %q", errMalformed, d.Platform)
	}
	// A payload the database refuses (a data exception, a violated
	// constraint) is refused again on every retry: keep it failed and
	// replayable at once rather than retrying it for days.
	if procErr != nil && !errors.Is(procErr, errMalformed) && !storage.Permanent(procErr) {
		return procErr // transient: River retries with backoff
	}
	if err := a.db.FinishDelivery(ctx, d, procErr); err != nil {
		return err
	}
	if procErr != nil {
		a.log.Warn("webhook payload rejected", "delivery", d.ID, "topic", d.Topic, "err", procErr)
	}
	return nil
}
