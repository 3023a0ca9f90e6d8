package storage

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Contact is a shopper address's consent and opt-out on one channel.
type Contact struct {
	ID        int64
	ShopID    int64
	Channel   string
	Address   string
	Consent   bool
	OptedOut  bool
	Source    string
	UpdatedAt time.Time
	// LastInboundAt is when the shopper last wrote on this channel.
	LastInboundAt *time.Time
}

// SetContact records consent or an opt-out for an address, keeping the
// latest word; the Source says where it came from (checkout, sms_stop,
// unsubscribe_link, …).
func (db *DB) SetContact(ctx context.Context, c *Contact) error {
	err := db.Gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "shop_id"}, {Name: "channel"}, {Name: "address"}},
		DoUpdates: clause.AssignmentColumns([]string{"consent", "opted_out", "source", "updated_at"}),
	}).Create(c).Error
	if err != nil {
		return fmt.Errorf("record contact preference: %w", err)
	}
	return nil
}

// Contacts returns the stored preferences for the given addresses.
func (db *DB) Contacts(ctx context.Context, shopID int64, addresses ...string) ([]Contact, error) {
	var out []Contact
	if err := db.Gorm.WithContext(ctx).Where("shop_id = ? AND address IN ?", shopID, addresses).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("load contacts: %w", err)
	}
	return out, nil
}

// RecentNotifications returns what was sent or scheduled to these
// recipients since a time, for the frequency cap and cross-channel rules.
func (db *DB) RecentNotifications(ctx context.Context, shopID int64, since time.Time, recipients ...string) ([]Notification, error) {
	var out []Notification
	err := db.Gorm.WithContext(ctx).Where("shop_id = ? AND recipient IN ? AND created_at >= ?", shopID, recipients, since).
		Order("created_at").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("recent notifications: %w", err)
	}
	return out, nil
}

// CreateNotification logs a planned message; it reports false when the
// dedupe key was already used (the message exists).
func (q queries) CreateNotification(ctx context.Context, n *Notification) (bool, error) {
	res := q.g.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "shop_id"}, {Name: "dedupe_key"}}, DoNothing: true,
	}).Create(n)
	if res.Error != nil {
		return false, fmt.Errorf("log notification %s: %w", n.DedupeKey, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Notification loads one message by id.
func (db *DB) Notification(ctx context.Context, id int64) (*Notification, error) {
	var n Notification
	if err := db.Gorm.WithContext(ctx).Take(&n, id).Error; err != nil {
		return nil, notFound(err, "notification %d", id)
	}
	return &n, nil
}

// SaveNotification writes a message's new status and content.
func (db *DB) SaveNotification(ctx context.Context, n *Notification) error {
	if err := db.Gorm.WithContext(ctx).Select("*").Omit("created_at").Save(n).Error; err != nil {
		return fmt.Errorf("save notification %d: %w", n.ID, err)
	}
	return nil
}

// Superseding finds the first message newer than n to the same recipient,
// on the same channel, about the same shipment, that was or will be sent
// (not skipped or failed): the update that makes n's news stale. Nil when
// there is none.
func (db *DB) Superseding(ctx context.Context, n *Notification) (*Notification, error) {
	var out []Notification
	err := db.Gorm.WithContext(ctx).
		Where("shop_id = ? AND shipment_id = ? AND channel = ? AND recipient = ? AND id > ? AND status NOT IN ?",
			n.ShopID, n.ShipmentID, n.Channel, n.Recipient, n.ID, []string{NotificationSkipped, NotificationFailed}).
		Order("id").Limit(1).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("messages superseding %d: %w", n.ID, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return &out[0], nil
}

// OrderByID loads an order (any shop; callers got the id from a row of that shop).
func (db *DB) OrderByID(ctx context.Context, id int64) (*Order, error) {
	var o Order
	if err := db.Gorm.WithContext(ctx).Take(&o, id).Error; err != nil {
		return nil, notFound(err, "order %d", id)
	}
	return &o, nil
}

// TemplateOverrides returns the live (latest) version of each overridden
// template part for a trigger and locale, keyed by part.
func (db *DB) TemplateOverrides(ctx context.Context, shopID int64, trigger, locale string) (map[string]string, error) {
	var rows []MessageTemplate
	err := db.Gorm.WithContext(ctx).Where("shop_id = ? AND trigger = ? AND locale = ?", shopID, trigger, locale).
		Order("version").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("template overrides: %w", err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.Channel] = r.Body // later versions win
	}
	return out, nil
}

// ETAChanges returns a shipment's estimates, oldest first.
func (db *DB) ETAChanges(ctx context.Context, shipmentID int64) ([]ETAChange, error) {
	var out []ETAChange
	if err := db.Gorm.WithContext(ctx).Where("shipment_id = ?", shipmentID).Order("created_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("eta changes of shipment %d: %w", shipmentID, err)
	}
	return out, nil
}

// MarkSent records a successful hand-off to the provider. A delivery
// callback may already have moved the status on (it can arrive before this
// write), so the status only becomes "sent" if it is still "scheduled".
func (db *DB) MarkSent(ctx context.Context, n *Notification) error {
	err := db.Gorm.WithContext(ctx).Model(&Notification{}).Where("id = ?", n.ID).Updates(map[string]any{
		"subject": n.Subject, "body": n.Body, "html": n.HTML, "provider": n.Provider, "provider_id": n.ProviderID,
		"sent_at": n.SentAt, "attempts": n.Attempts, "error": "", "updated_at": db.now(), "units": n.Units,
		"status": gorm.Expr("CASE WHEN status = ? THEN ? ELSE status END", NotificationScheduled, NotificationSent),
	}).Error
	if err != nil {
		return fmt.Errorf("mark notification %d sent: %w", n.ID, err)
	}
	return nil
}
