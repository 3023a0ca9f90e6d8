package storage

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// RecordDelivery stores a raw webhook inside tx. It reports false, and stores
// nothing, when the same delivery id was already recorded: platforms deliver
// at least once, so a re-delivery must change nothing.
func RecordDelivery(ctx context.Context, tx *gorm.DB, d *WebhookDelivery) (bool, error) {
	if d.Status == "" {
		d.Status = DeliveryReceived
	}
	res := tx.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "platform"}, {Name: "delivery_id"}},
		DoNothing: true,
	}).Create(d)
	if res.Error != nil {
		return false, fmt.Errorf("record %s webhook %s: %w", d.Platform, d.DeliveryID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Delivery loads a stored webhook delivery by id.
func (db *DB) Delivery(ctx context.Context, id int64) (*WebhookDelivery, error) {
	var d WebhookDelivery
	if err := db.Gorm.WithContext(ctx).Take(&d, id).Error; err != nil {
		return nil, notFound(err, "webhook delivery %d", id)
	}
	return &d, nil
}

// FinishDelivery marks a delivery processed, or failed with the reason.
func FinishDelivery(ctx context.Context, tx *gorm.DB, id int64, shopID *int64, procErr error) error {
	upd := map[string]any{"status": DeliveryProcessed, "error": "", "processed_at": tx.NowFunc(), "attempts": gorm.Expr("attempts + 1")}
	if shopID != nil {
		upd["shop_id"] = *shopID
	}
	if procErr != nil {
		upd["status"], upd["error"] = DeliveryFailed, procErr.Error()
	}
	if err := tx.WithContext(ctx).Model(&WebhookDelivery{}).Where("id = ?", id).Updates(upd).Error; err != nil {
		return fmt.Errorf("finish webhook delivery %d: %w", id, err)
	}
	return nil
}
