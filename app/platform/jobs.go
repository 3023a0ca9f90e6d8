package platform

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/egress"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/storage"
)

// ErrNoShopify cancels Shopify jobs of a process without Shopify credentials.
var ErrNoShopify = errors.New("shopify is not configured (SHOPIFY_API_KEY)")

// ShopifyJobError turns Shopify failures into River outcomes: a shop that is
// gone or a refused input stop the job; a rate limit (a
// *tracking.RetryableError with RetryAfter) snoozes it for as long as Shopify
// asks; anything else retries. A rejected token is retried twice first:
// another machine may have rotated the refresh token a moment before (the
// retry loads the new pair); after that only the merchant opening the app
// again (token exchange) can help.
func ShopifyJobError(attempt int, err error) error {
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

// WooJobError stops retrying a job whose keys the merchant revoked, or whose
// store address the outbound policy refuses; anything else retries.
func WooJobError(err error) error {
	if errors.Is(err, woocommerce.ErrUnauthorized) || errors.Is(err, egress.ErrRefused) {
		return river.JobCancel(err)
	}
	return err
}

// JobShop loads the shop a WooCommerce job is for; a shop that is gone,
// uninstalled or not on WooCommerce cancels the job.
func (w Woo) JobShop(ctx context.Context, shopID int64) (*storage.Shop, error) {
	shop, err := w.DB.ShopByID(ctx, shopID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, river.JobCancel(err)
	}
	if err != nil {
		return nil, err
	}
	if shop.Platform != storage.WooCommerce || shop.Status != "active" {
		return nil, river.JobCancel(fmt.Errorf("shop %d is not an active WooCommerce shop", shopID))
	}
	return shop, nil
}
