package storage

import (
	"context"
	"fmt"
)

// AddCallTurn records one exchange of an update call.
func (db *DB) AddCallTurn(ctx context.Context, t *CallTurn) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = db.now()
	}
	if err := db.Gorm.WithContext(ctx).Create(t).Error; err != nil {
		return fmt.Errorf("record call turn: %w", err)
	}
	return nil
}

// ShipmentCallTurns lists the turns of the calls about one of the shop's
// shipments, oldest first: the calls' transcripts.
func (s ShopScope) ShipmentCallTurns(ctx context.Context, shipmentID int64) ([]CallTurn, error) {
	var out []CallTurn
	if err := s.q(ctx).Where("shipment_id = ?", shipmentID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("call turns of shipment %d: %w", shipmentID, err)
	}
	return out, nil
}
