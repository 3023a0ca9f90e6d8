package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// RecordDelivery stores a raw webhook. It reports false, and stores
// nothing, when the same delivery id was already recorded: platforms deliver
// at least once, so a re-delivery must change nothing.
func (q queries) RecordDelivery(ctx context.Context, d *WebhookDelivery) (bool, error) {
	ok, err := q.RecordDeliveries(ctx, []*WebhookDelivery{d})
	if err != nil {
		return false, err
	}
	return ok[0], nil
}

// The statement RecordDeliveries builds: deliveryArgs values a row.
const (
	deliveryInsert   = "INSERT INTO webhook_deliveries (shop_id, platform, delivery_id, topic, shop_domain, payload, status, error, attempts, received_at) VALUES "
	deliveryArgs     = 10
	deliveryConflict = " ON CONFLICT (platform, delivery_id) DO NOTHING RETURNING id, platform, delivery_id"
)

// RecordDeliveries stores several raw webhooks with one statement
// and sets the ID of each one stored. stored[i] is false for a delivery whose
// (platform, delivery id) was already recorded, or appears earlier in ds:
// only the first copy is stored.
func (q queries) RecordDeliveries(ctx context.Context, ds []*WebhookDelivery) (stored []bool, err error) {
	stored = make([]bool, len(ds))
	if len(ds) == 0 {
		return stored, nil
	}
	// The statement goes straight to the connection (or transaction) under
	// GORM: this is the webhook hot path, and GORM's callbacks and logger
	// cost more CPU than the insert itself.
	numbered := q.g.Dialector.Name() == "postgres"
	var stmt strings.Builder
	stmt.Grow(len(deliveryInsert) + 50*len(ds) + len(deliveryConflict))
	stmt.WriteString(deliveryInsert)
	args := make([]any, 0, deliveryArgs*len(ds))
	for i, d := range ds {
		if d.Status == "" {
			d.Status = DeliveryReceived
		}
		if i > 0 {
			stmt.WriteByte(',')
		}
		stmt.WriteByte('(')
		for j := range deliveryArgs {
			if j > 0 {
				stmt.WriteByte(',')
			}
			if numbered {
				stmt.WriteByte('$')
				stmt.WriteString(strconv.Itoa(i*deliveryArgs + j + 1))
			} else {
				stmt.WriteByte('?')
			}
		}
		stmt.WriteByte(')')
		args = append(args, d.ShopID, string(d.Platform), d.DeliveryID, d.Topic, d.ShopDomain, d.Payload, d.Status, d.Error, d.Attempts, d.ReceivedAt)
	}
	stmt.WriteString(deliveryConflict)
	rows, err := q.g.Statement.ConnPool.QueryContext(ctx, stmt.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("record %d webhook deliveries: %w", len(ds), err)
	}
	defer rows.Close()
	type key struct{ platform, id string }
	ids := make(map[key]int64, len(ds))
	for rows.Next() {
		var k key
		var id int64
		if err := rows.Scan(&id, &k.platform, &k.id); err != nil {
			return nil, fmt.Errorf("record webhook deliveries: read ids: %w", err)
		}
		ids[k] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("record webhook deliveries: %w", err)
	}
	for i, d := range ds {
		k := key{string(d.Platform), d.DeliveryID}
		if id, ok := ids[k]; ok {
			d.ID, stored[i] = id, true
			delete(ids, k) // a later copy in ds is a duplicate
		}
	}
	return stored, nil
}

// Delivery loads a stored webhook delivery by id.
func (db *DB) Delivery(ctx context.Context, id int64) (*WebhookDelivery, error) {
	var d WebhookDelivery
	if err := db.Gorm.WithContext(ctx).Take(&d, id).Error; err != nil {
		return nil, notFound(err, "webhook delivery %d", id)
	}
	return &d, nil
}

// FinishDelivery marks a delivery processed, or failed with the reason,
// with its shop and note as processing set them, in one statement.
func (db *DB) FinishDelivery(ctx context.Context, d *WebhookDelivery, procErr error) error {
	id := d.ID
	upd := map[string]any{"status": DeliveryProcessed, "error": "", "note": d.Note, "processed_at": db.now(), "attempts": gorm.Expr("attempts + 1")}
	if d.ShopID != nil {
		upd["shop_id"] = *d.ShopID
	}
	if procErr != nil {
		// The reason may quote the refused text; text columns refuse NUL.
		upd["status"], upd["error"] = DeliveryFailed, strings.ReplaceAll(procErr.Error(), "\x00", "")
	}
	if err := db.Gorm.WithContext(ctx).Model(&WebhookDelivery{}).Where("id = ?", id).Updates(upd).Error; err != nil {
		return fmt.Errorf("finish webhook delivery %d: %w", id, err)
	}
	return nil
}
