package storage

import (
	"context"
	"fmt"
	"time"
)

// statusRank orders the statuses a delivered message moves through.
// Providers report out of order and at least once, so a status only ever
// moves forward: a late "delivered" never undoes an "opened".
var statusRank = map[string]int{
	NotificationScheduled: 0,
	NotificationSent:      1,
	NotificationDelivered: 2,
	NotificationOpened:    3,
}

// AdvanceNotification moves message id to status when that is progress:
// scheduled → sent → delivered → opened; failed (with reason) is reachable
// only before delivery and is final, as is skipped. It reports whether the
// row changed, so a duplicate or stale provider event is a no-op.
func (db *DB) AdvanceNotification(ctx context.Context, id int64, status, reason string) (bool, error) {
	var from []string
	updates := map[string]any{"status": status, "updated_at": db.now().UTC()}
	switch rank, ok := statusRank[status]; {
	case status == NotificationFailed:
		from = []string{NotificationScheduled, NotificationSent}
		updates["error"] = reason
	case ok:
		for s, r := range statusRank {
			if r < rank {
				from = append(from, s)
			}
		}
	default:
		return false, fmt.Errorf("advance notification %d: unknown status %q", id, status)
	}
	res := db.Gorm.WithContext(ctx).Model(&Notification{}).Where("id = ? AND status IN ?", id, from).Updates(updates)
	if res.Error != nil {
		return false, fmt.Errorf("advance notification %d to %s: %w", id, status, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// NotificationByProviderID finds a message by the provider's own id (a
// SendGrid X-Message-Id, a Twilio SID), for events that lost our id.
func (db *DB) NotificationByProviderID(ctx context.Context, provider, providerID string) (*Notification, error) {
	var n Notification
	err := db.Gorm.WithContext(ctx).Where("provider = ? AND provider_id = ?", provider, providerID).Order("id DESC").Take(&n).Error
	if err != nil {
		return nil, notFound(err, "%s message %s", provider, providerID)
	}
	return &n, nil
}

// NotificationByKey loads a shop's message by its dedupe key.
func (db *DB) NotificationByKey(ctx context.Context, shopID int64, key string) (*Notification, error) {
	var n Notification
	if err := db.Gorm.WithContext(ctx).Where("shop_id = ? AND dedupe_key = ?", shopID, key).Take(&n).Error; err != nil {
		return nil, notFound(err, "notification %s", key)
	}
	return &n, nil
}

// NotificationsTo returns the messages any shop sent to recipient since a
// time, newest first. It is deliberately not shop-scoped: an inbound SMS
// names only the shopper's number, and a STOP must reach every shop that
// texted it.
func (db *DB) NotificationsTo(ctx context.Context, recipient string, since time.Time) ([]Notification, error) {
	var out []Notification
	err := db.Gorm.WithContext(ctx).Where("recipient = ? AND created_at >= ? AND status <> ?", recipient, since, NotificationSkipped).
		Order("created_at DESC, id DESC").Limit(200).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("notifications to recipient: %w", err)
	}
	return out, nil
}

// SetNotificationUnits records what a message cost once the provider says
// (a call's minutes), for the shop's monthly caps.
func (db *DB) SetNotificationUnits(ctx context.Context, id int64, units int) error {
	err := db.Gorm.WithContext(ctx).Model(&Notification{}).Where("id = ?", id).
		Updates(map[string]any{"units": units, "updated_at": db.now().UTC()}).Error
	if err != nil {
		return fmt.Errorf("units of notification %d: %w", id, err)
	}
	return nil
}
