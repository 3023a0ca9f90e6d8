package orders

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

const (
	// backfillWindow is how far back an install pulls orders: the most a
	// public app may read without read_all_orders.
	backfillWindow = 60 * 24 * time.Hour
	// ReconcileOverlap re-reads orders just before the sync cursor: Shopify's
	// search index trails writes, so an order updated near the cursor may
	// not have been listed yet. Stale re-reads change nothing.
	ReconcileOverlap = 15 * time.Minute
	// ReconcileEvery is the periodic reconcile's interval.
	ReconcileEvery = 30 * time.Minute
	// SyncTimeout bounds one backfill or reconcile attempt: longer than the
	// default job timeout, shorter than the 10-minute stuck-job rescue (or a
	// second copy would start). A cut-short run resumes from the cursor.
	SyncTimeout = 8 * time.Minute
)

// ShopifyBackfill pulls a freshly installed shop's recent orders.
func (s *Syncer) ShopifyBackfill(ctx context.Context, job *river.Job[jobs.ShopifyBackfillArgs]) error {
	return platform.ShopifyJobError(job.Attempt, s.syncShopifyShop(ctx, job.Args.ShopID))
}

// ShopifyReconcileShop syncs one shop's orders updated since its cursor.
func (s *Syncer) ShopifyReconcileShop(ctx context.Context, job *river.Job[jobs.ShopifyReconcileShopArgs]) error {
	return platform.ShopifyJobError(job.Attempt, s.syncShopifyShop(ctx, job.Args.ShopID))
}

// ShopifyReconcile enqueues a sync of every installed Shopify shop; each runs
// (and fails) on its own.
func (s *Syncer) ShopifyReconcile(ctx context.Context, _ *river.Job[jobs.ShopifyReconcileArgs]) error {
	if s.shopify == nil {
		return nil
	}
	ids, err := s.db.SyncableShops(ctx, storage.Shopify)
	if err != nil || len(ids) == 0 {
		return err
	}
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: jobs.ShopifyReconcileShopArgs{ShopID: id}}
	}
	if _, err := s.jobs.InsertMany(ctx, params); err != nil {
		return fmt.Errorf("enqueue shopify reconciles: %w", err)
	}
	return nil
}

// syncShopifyShop applies every order updated since the shop's sync cursor
// (less an overlap), or over the backfill window on a fresh install, oldest
// update first. The cursor advances per order, so a run cut short resumes.
func (s *Syncer) syncShopifyShop(ctx context.Context, shopID int64) error {
	sh := s.shopify
	if sh == nil {
		return river.JobCancel(platform.ErrNoShopify)
	}
	shop, err := s.db.ShopByID(ctx, shopID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil // redacted meanwhile
	}
	if err != nil {
		return err
	}
	if shop.Platform != storage.Shopify || shop.Status != "active" {
		return nil
	}
	since := s.now().UTC().Add(-backfillWindow)
	through, err := s.db.SyncedThrough(ctx, shop.ID)
	if err != nil {
		return err
	}
	if c := through.Add(-ReconcileOverlap); !through.IsZero() && c.After(since) {
		since = c
	}
	err = sh.Client.EachOrderUpdatedSince(ctx, shop.Domain, since, func(o shopify.Order) error {
		if _, err := s.SyncShopifyOrder(ctx, shop, o); err != nil { // a refusal is logged
			return err
		}
		if o.UpdatedAt.IsZero() {
			return nil
		}
		return s.db.AdvanceSyncedThrough(ctx, shop.ID, o.UpdatedAt)
	})
	if err != nil {
		return fmt.Errorf("sync orders of %s: %w", shop.Domain, err)
	}
	return nil
}

// fetchShopifyOrder syncs an order straight from Shopify, for a fulfillment
// that arrived before its order. It reports false when the shop has no token
// to fetch with.
func (s *Syncer) fetchShopifyOrder(ctx context.Context, shop *storage.Shop, orderID string) (bool, error) {
	sh := s.shopify
	if sh == nil {
		return false, nil
	}
	if _, err := s.db.OAuthToken(ctx, shop.Domain); err != nil {
		return false, nil
	}
	o, err := sh.Client.Order(ctx, shop.Domain, orderID)
	if err != nil {
		return false, fmt.Errorf("fetch order %s: %w", orderID, err)
	}
	_, err = s.SyncShopifyOrder(ctx, shop, o) // a refusal is logged
	return true, err
}
