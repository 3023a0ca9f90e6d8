package orders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// fetchImages enqueues a read of the images of an order's lines that carry
// none and are not cached yet.
func (s *Syncer) fetchImages(ctx context.Context, shop *storage.Shop, items []storage.LineItem) error {
	var want []string
	for _, li := range items {
		if li.ImageURL == "" && li.Product != "" && !slices.Contains(want, li.Product) {
			want = append(want, li.Product)
		}
	}
	if len(want) == 0 || s.jobs == nil || !mayReadProducts(shop.Scopes) {
		return nil
	}
	cached, err := s.db.ProductImages(ctx, shop.ID, want)
	if err != nil {
		return err
	}
	want = slices.DeleteFunc(want, func(p string) bool { _, ok := cached[p]; return ok })
	if len(want) == 0 {
		return nil
	}
	slices.Sort(want)
	if _, err := s.jobs.Insert(ctx, jobs.ProductImagesArgs{ShopID: shop.ID, Products: want}, nil); err != nil {
		return fmt.Errorf("enqueue product images for shop %d: %w", shop.ID, err)
	}
	return nil
}

// mayReadProducts reports whether a shop granted the scopes (as Shopify
// lists them, comma-separated) to read products; a shop whose grant is not
// known is tried.
func mayReadProducts(granted string) bool {
	if strings.TrimSpace(granted) == "" {
		return true
	}
	for _, sc := range strings.Split(granted, ",") {
		if sc = strings.TrimSpace(sc); sc == "read_products" || sc == "write_products" {
			return true
		}
	}
	return false
}

// ProductImages reads the images of ordered variants or products from
// Shopify, shopify.MaxNodes at a time, and caches them; one without an
// image is cached empty so it is not asked for again.
func (s *Syncer) ProductImages(ctx context.Context, job *river.Job[jobs.ProductImagesArgs]) error {
	shop, err := s.db.ShopByID(ctx, job.Args.ShopID)
	if errors.Is(err, storage.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if shop.Platform != storage.Shopify {
		return river.JobCancel(fmt.Errorf("shop %d: product images are read from Shopify only", shop.ID))
	}
	if s.shopify == nil {
		return river.JobCancel(platform.ErrNoShopify)
	}
	for batch := range slices.Chunk(job.Args.Products, shopify.MaxNodes) {
		images, err := s.shopify.Client.ProductImages(ctx, shop.Domain, batch)
		if err != nil {
			return platform.ShopifyJobError(job.Attempt, err)
		}
		rows := make([]storage.ProductImage, 0, len(batch))
		for _, p := range batch {
			img := images[p]
			rows = append(rows, storage.ProductImage{ShopID: shop.ID, Product: p, URL: img.URL, Alt: img.AltText})
		}
		if err := s.db.SaveProductImages(ctx, rows); err != nil {
			return err
		}
	}
	return nil
}
