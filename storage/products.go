package storage

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// ProductImage is the cached image of an ordered variant or product (a
// platform ID such as a Shopify GID); URL is empty when it has none.
type ProductImage struct {
	ShopID    int64  `gorm:"primaryKey"`
	Product   string `gorm:"primaryKey"`
	URL       string
	Alt       string
	FetchedAt time.Time
}

// ProductImages returns the cached images of a shop's products, by product;
// products never fetched are absent.
func (db *DB) ProductImages(ctx context.Context, shopID int64, products []string) (map[string]ProductImage, error) {
	if len(products) == 0 {
		return map[string]ProductImage{}, nil
	}
	var rows []ProductImage
	if err := db.Gorm.WithContext(ctx).Where("shop_id = ? AND product IN ?", shopID, products).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("product images of shop %d: %w", shopID, err)
	}
	return byProduct(rows), nil
}

// byProduct keys images by their product.
func byProduct(images []ProductImage) map[string]ProductImage {
	out := make(map[string]ProductImage, len(images))
	for _, im := range images {
		out[im.Product] = im
	}
	return out
}

// LineImages is each order line's image by line ID: its own, else the
// cached image of its product (order webhooks carry none), in one query.
func (db *DB) LineImages(ctx context.Context, shopID int64, items []LineItem) (map[string]string, error) {
	cached, err := db.ProductImages(ctx, shopID, imagelessProducts(items))
	if err != nil {
		return nil, err
	}
	return lineImages(items, cached), nil
}

// imagelessProducts are the products of the lines that carry no image.
func imagelessProducts(items []LineItem) []string {
	var products []string
	for _, li := range items {
		if li.ImageURL == "" && li.Product != "" {
			products = append(products, li.Product)
		}
	}
	return products
}

// lineImages is each line's image by line ID: its own, else its product's
// in cached.
func lineImages(items []LineItem, cached map[string]ProductImage) map[string]string {
	out := make(map[string]string, len(items))
	for _, li := range items {
		out[li.ID] = cmp.Or(li.ImageURL, cached[li.Product].URL)
	}
	return out
}

// SaveProductImages stores fetched images, replacing older copies.
func (db *DB) SaveProductImages(ctx context.Context, images []ProductImage) error {
	if len(images) == 0 {
		return nil
	}
	now := db.now()
	for i := range images {
		images[i].FetchedAt = now
	}
	err := db.Gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "shop_id"}, {Name: "product"}},
		DoUpdates: clause.AssignmentColumns([]string{"url", "alt", "fetched_at"}),
	}).Create(&images).Error
	if err != nil {
		return fmt.Errorf("save product images: %w", err)
	}
	return nil
}
