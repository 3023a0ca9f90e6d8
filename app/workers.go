package app

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/admin"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/orders"
)

// registerWorkers adds every job worker this process runs.
func (a *App) registerWorkers(w *river.Workers) {
	river.AddWorker(w, river.WorkFunc(a.orders.ProcessWebhook))
	river.AddWorker(w, river.WorkFunc(a.polling.SchedulePolls))
	river.AddWorker(w, river.WorkFunc(a.polling.Poll))
	river.AddWorker(w, river.WorkFunc(a.polling.SubscribePushes))
	river.AddWorker(w, river.WorkFunc(a.messaging.NotifyJob))
	river.AddWorker(w, river.WorkFunc(a.messaging.SendJob))
	river.AddWorker(w, river.WorkFunc(a.orders.WooTick))
	river.AddWorker(w, river.WorkFunc(a.orders.WooWebhooks))
	river.AddWorker(w, river.WorkFunc(a.orders.WooReconcile))
	river.AddWorker(w, river.WorkFunc(a.writeback.WooNote))
	river.AddWorker(w, &timedWorker[jobs.ShopifyBackfillArgs]{work: a.orders.ShopifyBackfill, timeout: orders.SyncTimeout})
	river.AddWorker(w, river.WorkFunc(a.orders.ShopifyReconcile))
	river.AddWorker(w, river.WorkFunc(a.orders.ShopIdentity))
	river.AddWorker(w, river.WorkFunc(a.orders.ProductImages))
	river.AddWorker(w, &timedWorker[jobs.ShopifyReconcileShopArgs]{work: a.orders.ShopifyReconcileShop, timeout: orders.SyncTimeout})
	river.AddWorker(w, river.WorkFunc(a.writeback.FulfillmentEvent))
	river.AddWorker(w, river.WorkFunc(a.writeback.TrackingLink))
	river.AddWorker(w, river.WorkFunc(a.writeback.TrackingLinks))
	river.AddWorker(w, river.WorkFunc(a.messaging.NotifyMerchantJob))
	river.AddWorker(w, river.WorkFunc(a.messaging.PreShipmentAlertsJob))
	river.AddWorker(w, river.WorkFunc(a.messaging.ConsentConfirmJob))
	river.AddWorker(w, river.WorkFunc(a.messaging.WhatsAppApprovalsJob))
	river.AddWorker(w, river.WorkFunc(a.install.LoginEmailJob))
	river.AddWorker(w, river.WorkFunc(a.writeback.OrderWriteback))
	river.AddWorker(w, river.WorkFunc(a.flow.TriggerJob))
	river.AddWorker(w, river.WorkFunc(a.klaviyo.EventJob))
	river.AddWorker(w, &timedWorker[jobs.RefreshAnalyticsArgs]{work: a.admin.RefreshAnalytics, timeout: admin.AnalyticsRefreshTimeout})
}

// periodicJobs are enqueued by the elected leader only, so several worker
// machines never double them.
func periodicJobs(demo bool) []*river.PeriodicJob {
	every := time.Minute
	if demo {
		every = 5 * time.Second
	}
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			return jobs.SchedulePollsArgs{}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
			return jobs.PreShipmentAlertsArgs{}, nil
		}, nil),
		river.NewPeriodicJob(river.PeriodicInterval(orders.WooTickEvery), func() (river.JobArgs, *river.InsertOpts) {
			return jobs.WooTickArgs{}, nil
		}, nil),
		river.NewPeriodicJob(river.PeriodicInterval(orders.ReconcileEvery), func() (river.JobArgs, *river.InsertOpts) {
			return jobs.ShopifyReconcileArgs{}, nil
		}, nil),
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
			return jobs.WhatsAppApprovalsArgs{}, nil
		}, nil),
		river.NewPeriodicJob(river.PeriodicInterval(admin.AnalyticsRefreshEvery), func() (river.JobArgs, *river.InsertOpts) {
			return jobs.RefreshAnalyticsArgs{}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}),
	}
}

// timedWorker is a worker function with its own timeout.
type timedWorker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	work    func(context.Context, *river.Job[T]) error
	timeout time.Duration
}

// Work implements river.Worker.
func (w *timedWorker[T]) Work(ctx context.Context, job *river.Job[T]) error { return w.work(ctx, job) }

// Timeout implements river.Worker.
func (w *timedWorker[T]) Timeout(*river.Job[T]) time.Duration { return w.timeout }
