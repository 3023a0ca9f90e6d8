package orders

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// ShopIdentity reads who the merchant is from their platform and stores
// it: the shop's name (messages sign with it), the owner's address
// (shopper requests, test sends and digests go there), its zone, currency,
// language and plan.
func (s *Syncer) ShopIdentity(ctx context.Context, job *river.Job[jobs.ShopIdentityArgs]) error {
	shop, err := s.db.ShopByID(ctx, job.Args.ShopID)
	if errors.Is(err, storage.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	switch shop.Platform {
	case storage.Shopify:
		if s.shopify == nil {
			return river.JobCancel(platform.ErrNoShopify)
		}
		info, err := s.shopify.Client.ShopInfo(ctx, shop.Domain)
		if err != nil {
			return platform.ShopifyJobError(job.Attempt, err)
		}
		return s.ApplyShopifyIdentity(ctx, shop, info)
	case storage.WooCommerce:
		cl, _, err := s.woo.Client(ctx, shop)
		if err != nil {
			return err
		}
		info, err := cl.StoreInfo(ctx)
		if err != nil {
			return platform.WooJobError(err)
		}
		// The owner's address is the "From" address the connect verified.
		return s.db.SetShopIdentity(ctx, shop.ID, storage.ShopIdentity{
			Name: info.Name, Timezone: info.Timezone, Currency: info.Currency, Locale: info.Locale,
		})
	}
	return river.JobCancel(fmt.Errorf("shop %d: no identity on platform %q", shop.ID, shop.Platform))
}

// ApplyShopifyIdentity stores what Shopify says of the shop (the identity
// job, and the demo store for the identity it would have); its contact
// address becomes the support address shoppers reply to unless the
// merchant chose one.
func (s *Syncer) ApplyShopifyIdentity(ctx context.Context, shop *storage.Shop, info shopify.ShopInfo) error {
	return s.db.SetShopIdentity(ctx, shop.ID, storage.ShopIdentity{
		Name: info.Name, Email: info.Email, Timezone: info.Timezone, Currency: info.Currency, Locale: info.Locale, Plan: info.Plan,
		SupportEmail: info.ContactEmail,
	})
}
