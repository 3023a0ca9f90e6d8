package storage

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// UpsertFulfillment records the newest state of a platform fulfillment,
// keyed by (shop, platform id). An update older than the stored one (by
// PlatformUpdatedAt) changes nothing and reports stale: a fulfillments/update
// retried after a newer one must not bring back what the newer one undid.
// An equal time is not stale, so a replay applies again (idempotently).
func (q queries) UpsertFulfillment(ctx context.Context, f *Fulfillment) (stale bool, err error) {
	res := q.g.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "shop_id"}, {Name: "platform_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"order_id", "status", "platform_updated_at", "updated_at"}),
		Where: clause.Where{Exprs: []clause.Expression{clause.Expr{
			SQL: "fulfillments.platform_updated_at IS NULL OR excluded.platform_updated_at IS NULL OR excluded.platform_updated_at >= fulfillments.platform_updated_at",
		}}},
	}).Create(f)
	if res.Error != nil {
		return false, fmt.Errorf("upsert fulfillment %s: %w", f.PlatformID, res.Error)
	}
	return res.RowsAffected == 0, nil
}

// ActiveShipments lists an order's shipments still tracked, oldest first.
func (q queries) ActiveShipments(ctx context.Context, shopID, orderID int64) ([]Shipment, error) {
	var out []Shipment
	err := q.g.WithContext(ctx).Where("shop_id = ? AND order_id = ? AND ended = ''", shopID, orderID).Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("active shipments of order %d: %w", orderID, err)
	}
	return out, nil
}

// ActiveFulfillmentShipments are the shop's tracked shipments that belong
// to a store fulfillment.
func (q queries) ActiveFulfillmentShipments(ctx context.Context, shopID int64) ([]Shipment, error) {
	var out []Shipment
	err := q.g.WithContext(ctx).Where("shop_id = ? AND ended = '' AND platform_fulfillment_id <> ''", shopID).Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("active fulfillment shipments of shop %d: %w", shopID, err)
	}
	return out, nil
}

// EndShipments stops tracking shipments for reason (see StopCancelled…):
// no more polls, and messages still waiting to go out are skipped. Their
// timeline stays. Already ended shipments keep their first reason.
func (q queries) EndShipments(ctx context.Context, shopID int64, ids []int64, reason string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	g := q.g.WithContext(ctx)
	err := g.Model(&Shipment{}).Where("shop_id = ? AND id IN ? AND ended = ''", shopID, ids).
		Updates(map[string]any{"ended": reason, "ended_at": at.UTC(), "next_poll_at": gorm.Expr("NULL"), "updated_at": at.UTC()}).Error
	if err != nil {
		return fmt.Errorf("end %d shipments: %w", len(ids), err)
	}
	err = g.Model(&Notification{}).Where("shop_id = ? AND shipment_id IN ? AND status = ?", shopID, ids, NotificationScheduled).
		Updates(map[string]any{"status": NotificationSkipped, "error": "tracking stopped: " + reason, "updated_at": at.UTC()}).Error
	if err != nil {
		return fmt.Errorf("skip messages of %d ended shipments: %w", len(ids), err)
	}
	return nil
}

// ReviveShipment tracks again a shipment whose number the store brought
// back, polling it from now.
func (q queries) ReviveShipment(ctx context.Context, s *Shipment, now time.Time) error {
	now = now.UTC()
	err := q.g.WithContext(ctx).Model(&Shipment{}).Where("shop_id = ? AND id = ?", s.ShopID, s.ID).
		Updates(map[string]any{"ended": "", "ended_at": gorm.Expr("NULL"), "next_poll_at": now, "updated_at": now}).Error
	if err != nil {
		return fmt.Errorf("revive shipment %d: %w", s.ID, err)
	}
	s.Ended, s.EndedAt, s.NextPollAt = "", nil, &now
	return nil
}

// StopOrder records why the whole order is no longer tracked; the first
// reason stays. It reports whether this call stopped it.
func (q queries) StopOrder(ctx context.Context, o *Order, reason string, at time.Time) (bool, error) {
	res := q.g.WithContext(ctx).Model(&Order{}).Where("shop_id = ? AND id = ? AND stopped = ''", o.ShopID, o.ID).
		Updates(map[string]any{"stopped": reason, "stopped_at": at.UTC()})
	if res.Error != nil {
		return false, fmt.Errorf("stop order %d: %w", o.ID, res.Error)
	}
	if res.RowsAffected == 1 {
		o.Stopped, o.StoppedAt = reason, ptr(at)
	}
	return res.RowsAffected == 1, nil
}

// SetLineItems stores an order's line items (with the removals applied to
// them) without touching anything else.
func (q queries) SetLineItems(ctx context.Context, o *Order) error {
	err := q.g.WithContext(ctx).Model(&Order{}).Where("shop_id = ? AND id = ?", o.ShopID, o.ID).
		UpdateColumn("line_items", o.LineItems).Error
	if err != nil {
		return fmt.Errorf("store line items of order %d: %w", o.ID, err)
	}
	return nil
}

// HasTrigger reports whether trigger key fired for the shipment: whether
// the shopper was (or is being) told that news.
func (q queries) HasTrigger(ctx context.Context, shipmentID int64, key string) (bool, error) {
	var n int64
	err := q.g.WithContext(ctx).Model(&ShipmentTrigger{}).Where("shipment_id = ? AND key = ?", shipmentID, key).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("trigger %s of shipment %d: %w", key, shipmentID, err)
	}
	return n > 0, nil
}

// OrderByToken finds the order behind its public page link.
func (db *DB) OrderByToken(ctx context.Context, token string) (*Order, error) {
	var o Order
	if token == "" {
		return nil, fmt.Errorf("order: %w", ErrNotFound)
	}
	if err := db.Gorm.WithContext(ctx).Where("public_token = ?", token).Take(&o).Error; err != nil {
		return nil, notFound(err, "order")
	}
	return &o, nil
}

// OrderByPlatformID finds an order by the platform's id.
func (q queries) OrderByPlatformID(ctx context.Context, shopID int64, platformID string) (*Order, error) {
	var o Order
	if err := q.g.WithContext(ctx).Where("shop_id = ? AND platform_id = ?", shopID, platformID).Take(&o).Error; err != nil {
		return nil, notFound(err, "order %s", platformID)
	}
	return &o, nil
}

// FulfillmentByPlatformID finds a shop's fulfillment (or return) by the
// platform's id.
func (q queries) FulfillmentByPlatformID(ctx context.Context, shopID int64, platformID string) (*Fulfillment, error) {
	var f Fulfillment
	if err := q.g.WithContext(ctx).Where("shop_id = ? AND platform_id = ?", shopID, platformID).Take(&f).Error; err != nil {
		return nil, notFound(err, "fulfillment %s", platformID)
	}
	return &f, nil
}

// ShopOrder loads one of a shop's orders by its id.
func (q queries) ShopOrder(ctx context.Context, shopID, id int64) (*Order, error) {
	var o Order
	if err := q.g.WithContext(ctx).Where("shop_id = ? AND id = ?", shopID, id).Take(&o).Error; err != nil {
		return nil, notFound(err, "order %d", id)
	}
	return &o, nil
}

// UnshippedOrders lists the shop's orders placed after since that are
// still to ship (no parcel to the shopper tracked, no fulfillment without
// tracking either, not stopped), oldest first, at most limit.
func (s ShopScope) UnshippedOrders(ctx context.Context, since time.Time, limit int) ([]Order, error) {
	var out []Order
	err := s.q(ctx).Model(&Order{}).Where("stopped = '' AND cancelled_at IS NULL AND created_at > ?", since.UTC()).
		Where("NOT EXISTS (SELECT 1 FROM shipments WHERE shipments.order_id = orders.id AND shipments.kind = '' AND shipments.ended = '')").
		Where("NOT EXISTS (SELECT 1 FROM fulfillments WHERE fulfillments.order_id = orders.id AND fulfillments.status = 'active')").
		Order("created_at, id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("unshipped orders: %w", err)
	}
	return out, nil
}

// ActiveShops lists every installed shop, for the jobs that go through
// each shop's settings.
func (db *DB) ActiveShops(ctx context.Context) ([]Shop, error) {
	var out []Shop
	if err := db.Gorm.WithContext(ctx).Where("status = ?", "active").Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list active shops: %w", err)
	}
	return out, nil
}

// IdleLabels lists the shop's parcels to the shopper whose label was made
// before before and that no carrier has scanned yet, oldest first.
func (s ShopScope) IdleLabels(ctx context.Context, before time.Time, limit int) ([]ShipmentRow, error) {
	var out []ShipmentRow
	err := s.g.WithContext(ctx).Table("shipments").Select("shipments.*, orders.name AS order_name").
		Joins("JOIN orders ON orders.id = shipments.order_id").
		Where("shipments.shop_id = ? AND shipments.stage = ? AND shipments.ended = '' AND shipments.kind = '' AND shipments.last_event_at IS NULL AND shipments.created_at < ?",
			s.id, "packed", before.UTC()).
		Order("shipments.created_at, shipments.id").Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("idle labels: %w", err)
	}
	return out, nil
}
