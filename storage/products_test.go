package storage_test

import (
	"context"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestProductImagesAreCachedPerShop(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "img.myshopify.com")
		other := newShop(t, db, "img2.myshopify.com")
		const v1, v2 = "gid://shopify/ProductVariant/1", "gid://shopify/ProductVariant/2"
		if err := db.SaveProductImages(ctx, []storage.ProductImage{
			{ShopID: shop.ID, Product: v1, URL: "https://cdn.example/old.png"},
			{ShopID: shop.ID, Product: v2}, // no image: cached empty
			{ShopID: other.ID, Product: v1, URL: "https://cdn.example/other.png"},
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveProductImages(ctx, []storage.ProductImage{{ShopID: shop.ID, Product: v1, URL: "https://cdn.example/new.png", Alt: "Mug"}}); err != nil {
			t.Fatal(err)
		}
		got, err := db.ProductImages(ctx, shop.ID, []string{v1, v2, "gid://shopify/ProductVariant/3"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[v1].URL != "https://cdn.example/new.png" || got[v1].Alt != "Mug" || got[v2].URL != "" {
			t.Errorf("images %+v; want v1 replaced, v2 cached empty, v3 absent", got)
		}
	})
}
