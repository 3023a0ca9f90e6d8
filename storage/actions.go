package storage

import (
	"context"
	"fmt"
)

// CreateCustomerAction stores a shopper's request; inside a Tx, the job
// that tells the merchant is enqueued atomically with it.
func (q queries) CreateCustomerAction(ctx context.Context, a *CustomerAction) error {
	if err := q.g.WithContext(ctx).Create(a).Error; err != nil {
		return fmt.Errorf("record customer action: %w", err)
	}
	return nil
}

// CustomerAction loads one shopper request by id.
func (db *DB) CustomerAction(ctx context.Context, id int64) (*CustomerAction, error) {
	var a CustomerAction
	if err := db.Gorm.WithContext(ctx).Take(&a, id).Error; err != nil {
		return nil, notFound(err, "customer action %d", id)
	}
	return &a, nil
}

// ShipmentActions returns what the shopper asked about one of the shop's
// shipments, oldest first, for the tracking page's timeline.
func (s ShopScope) ShipmentActions(ctx context.Context, shipmentID int64) ([]CustomerAction, error) {
	var out []CustomerAction
	if err := s.q(ctx).Where("shipment_id = ?", shipmentID).Order("created_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("actions of shipment %d: %w", shipmentID, err)
	}
	return out, nil
}
