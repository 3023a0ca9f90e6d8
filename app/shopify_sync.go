package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

const (
	// backfillWindow is how far back an install pulls orders: the most a
	// public app may read without read_all_orders.
	backfillWindow = 60 * 24 * time.Hour
	// reconcileOverlap re-reads orders just before the sync cursor: Shopify's
	// search index trails writes, so an order updated near the cursor may
	// not have been listed yet. Stale re-reads change nothing.
	reconcileOverlap = 15 * time.Minute
	// reconcileEvery is the periodic reconcile's interval.
	reconcileEvery = 30 * time.Minute
	// syncTimeout bounds one backfill or reconcile attempt: longer than the
	// default job timeout, shorter than the 10-minute stuck-job rescue (or a
	// second copy would start). A cut-short run resumes from the cursor.
	syncTimeout = 8 * time.Minute
)

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

var errNoShopify = errors.New("shopify is not configured (SHOPIFY_API_KEY)")

func (a *App) shopifyBackfill(ctx context.Context, job *river.Job[jobs.ShopifyBackfillArgs]) error {
	return shopifyJobError(job.Attempt, a.syncShopifyShop(ctx, job.Args.ShopID))
}

func (a *App) shopifyReconcileShop(ctx context.Context, job *river.Job[jobs.ShopifyReconcileShopArgs]) error {
	return shopifyJobError(job.Attempt, a.syncShopifyShop(ctx, job.Args.ShopID))
}

// shopifyReconcile enqueues a sync of every installed Shopify shop; each runs
// (and fails) on its own.
func (a *App) shopifyReconcile(ctx context.Context, _ *river.Job[jobs.ShopifyReconcileArgs]) error {
	if a.shopifyAPI() == nil {
		return nil
	}
	ids, err := a.db.SyncableShops(ctx, storage.Shopify)
	if err != nil || len(ids) == 0 {
		return err
	}
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: jobs.ShopifyReconcileShopArgs{ShopID: id}}
	}
	if _, err := a.jobs.InsertMany(ctx, params); err != nil {
		return fmt.Errorf("enqueue shopify reconciles: %w", err)
	}
	return nil
}

// syncShopifyShop applies every order updated since the shop's sync cursor
// (less an overlap), or over the backfill window on a fresh install, oldest
// update first. The cursor advances per order, so a run cut short resumes.
func (a *App) syncShopifyShop(ctx context.Context, shopID int64) error {
	sh := a.shopifyAPI()
	if sh == nil {
		return river.JobCancel(errNoShopify)
	}
	shop, err := a.db.ShopByID(ctx, shopID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil // redacted meanwhile
	}
	if err != nil {
		return err
	}
	if shop.Platform != storage.Shopify || shop.Status != "active" {
		return nil
	}
	since := a.now().UTC().Add(-backfillWindow)
	through, err := a.db.SyncedThrough(ctx, shop.ID)
	if err != nil {
		return err
	}
	if c := through.Add(-reconcileOverlap); !through.IsZero() && c.After(since) {
		since = c
	}
	err = sh.Client.EachOrderUpdatedSince(ctx, shop.Domain, since, func(o shopify.Order) error {
		if _, err := a.syncShopifyOrder(ctx, shop, o); err != nil { // a refusal is logged
			return err
		}
		if o.UpdatedAt.IsZero() {
			return nil
		}
		return a.db.AdvanceSyncedThrough(ctx, shop.ID, o.UpdatedAt)
	})
	if err != nil {
		return fmt.Errorf("sync orders of %s: %w", shop.Domain, err)
	}
	return nil
}

// shopifyJobError turns Shopify failures into River outcomes: a shop that is
// gone or a refused input stop the job; a rate limit snoozes it for as long
// as Shopify asks; anything else retries. A rejected token is retried twice
// first: another machine may have rotated the refresh token a moment before
// (the retry loads the new pair); after that only the merchant opening the
// app again (token exchange) can help.
func shopifyJobError(attempt int, err error) error {
	if err == nil {
		return nil
	}
	var retry *tracking.RetryableError
	var userErrs shopify.UserErrors
	switch {
	case errors.Is(err, shopify.ErrReauthorize) && attempt < 3:
		return err
	case errors.Is(err, shopify.ErrShopUnavailable), errors.Is(err, shopify.ErrReauthorize),
		errors.Is(err, storage.ErrNotFound), errors.As(err, &userErrs):
		return river.JobCancel(err)
	case errors.As(err, &retry) && retry.RetryAfter > 0:
		return river.JobSnooze(retry.RetryAfter)
	}
	return err
}

// writeBackStatuses are the statuses Shopify shows shoppers that only the
// carrier knows; the earlier ones (label, pickup) Shopify records itself.
var writeBackStatuses = map[shopify.EventStatus]bool{
	shopify.EventInTransit: true, shopify.EventOutForDelivery: true, shopify.EventAttemptedDelivery: true,
	shopify.EventDelayed: true, shopify.EventDelivered: true, shopify.EventFailure: true, shopify.EventReadyForPickup: true,
}

// enqueueFulfillmentEvent queues, in tx, writing the shipment's new status
// back to its Shopify fulfillment. Shipments of other platforms, without a
// fulfillment, or of shops without a token have nothing to write.
func (a *App) enqueueFulfillmentEvent(ctx context.Context, tx *storage.Tx, shipmentID int64) error {
	w, err := tx.ShopifyWriteBack(ctx, shipmentID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	status, ok := shopify.EventStatusFor(tracking.Stage(w.Stage), tracking.Problem(w.Problem))
	if !ok || !writeBackStatuses[status] {
		return nil
	}
	if _, err := a.jobs.InsertTx(ctx, tx.SQL(), jobs.ShopifyFulfillmentEventArgs{ShipmentID: shipmentID, Status: string(status)}, nil); err != nil {
		return fmt.Errorf("enqueue fulfillment event for shipment %d: %w", shipmentID, err)
	}
	return nil
}

// shopifyFulfillmentEvent creates the fulfillment event on Shopify.
func (a *App) shopifyFulfillmentEvent(ctx context.Context, job *river.Job[jobs.ShopifyFulfillmentEventArgs]) error {
	sh := a.shopifyAPI()
	if sh == nil {
		return river.JobCancel(errNoShopify)
	}
	ships, err := a.db.ShipmentsByID(ctx, []int64{job.Args.ShipmentID})
	if err != nil || len(ships) == 0 {
		return err // a redacted shipment has nothing to write
	}
	s := ships[0]
	shop, err := a.db.ShopByID(ctx, s.ShopID)
	if err != nil {
		return err
	}
	if shop.Status != "active" {
		return nil
	}
	ev := shopify.FulfillmentEvent{FulfillmentID: s.PlatformFulfillmentID, Status: shopify.EventStatus(job.Args.Status), HappenedAt: a.now()}
	if s.StageAt != nil {
		ev.HappenedAt = *s.StageAt
	}
	if s.ProblemAt != nil && s.Problem != "" && s.ProblemAt.After(ev.HappenedAt) {
		ev.HappenedAt = *s.ProblemAt
	}
	if s.ETALatest != nil && s.Stage != string(tracking.StageDelivered) {
		ev.EstimatedDeliveryAt = *s.ETALatest
	}
	if events, err := a.db.Events(ctx, s.ID); err == nil && len(events) > 0 {
		last := events[len(events)-1]
		ev.Message, ev.City, ev.Country = last.Description, last.Location.City, last.Location.Country
	}
	if _, err := sh.Client.CreateFulfillmentEvent(ctx, shop.Domain, ev); err != nil {
		return shopifyJobError(job.Attempt, fmt.Errorf("write %s back to %s: %w", job.Args.Status, shop.Domain, err))
	}
	return nil
}

// fetchShopifyOrder syncs an order straight from Shopify, for a fulfillment
// that arrived before its order. It reports false when the shop has no token
// to fetch with.
func (a *App) fetchShopifyOrder(ctx context.Context, shop *storage.Shop, orderID string) (bool, error) {
	sh := a.shopifyAPI()
	if sh == nil {
		return false, nil
	}
	if _, err := a.db.OAuthToken(ctx, shop.Domain); err != nil {
		return false, nil
	}
	o, err := sh.Client.Order(ctx, shop.Domain, orderID)
	if err != nil {
		return false, fmt.Errorf("fetch order %s: %w", orderID, err)
	}
	_, err = a.syncShopifyOrder(ctx, shop, o) // a refusal is logged
	return true, err
}
