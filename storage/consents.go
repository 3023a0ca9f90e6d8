package storage

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Consent is one agreement a shopper gave to be messaged on a channel,
// kept as proof: when, where (Source), the exact words they were shown,
// and from which IP address or phone number.
type Consent struct {
	ID          int64
	ShopID      int64
	OrderID     *int64
	Channel     string
	Address     string // E.164 phone number
	Source      string // a ConsentSource*
	Wording     string
	IP          string `gorm:"column:ip"`
	Locale      string
	Status      string // ConsentPending until confirmed where a double opt-in is required
	DoubleOptIn bool
	CreatedAt   time.Time
	ConfirmedAt *time.Time
}

// Where consent comes from.
const (
	ConsentSourceTrackingPage = "tracking_page"
	ConsentSourceOrderStatus  = "order_status_page"
	ConsentSourceWooCheckout  = "woocommerce_checkout"
	ConsentSourceReply        = "reply"
)

// Consent statuses.
const (
	ConsentPending   = "pending"
	ConsentConfirmed = "confirmed"
	ConsentWithdrawn = "withdrawn"
)

// RecordConsent stores a consent with its proof, given now unless
// CreatedAt says earlier (a checkout's box, read later). A confirmed one (no double
// opt-in needed) takes effect at once: the address may be messaged on the
// channel, and an earlier STOP is lifted, since this is a newer word.
func (db *DB) RecordConsent(ctx context.Context, c *Consent) error {
	return db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := db.now()
		if c.CreatedAt.IsZero() || c.CreatedAt.After(now) {
			c.CreatedAt = now
		}
		if c.Status == ConsentConfirmed && c.ConfirmedAt == nil {
			c.ConfirmedAt = &now
		}
		if err := tx.Create(c).Error; err != nil {
			return fmt.Errorf("record consent: %w", err)
		}
		if c.Status != ConsentConfirmed {
			return nil
		}
		return setConsent(tx, c.ShopID, c.Channel, c.Address, c.Source, now)
	})
}

func setConsent(tx *gorm.DB, shopID int64, channel, address, source string, now time.Time) error {
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "shop_id"}, {Name: "channel"}, {Name: "address"}},
		DoUpdates: clause.AssignmentColumns([]string{"consent", "opted_out", "source", "updated_at"}),
	}).Create(&Contact{ShopID: shopID, Channel: channel, Address: address, Consent: true, Source: source, UpdatedAt: now}).Error
	if err != nil {
		return fmt.Errorf("record consent on contact: %w", err)
	}
	return nil
}

// ConfirmConsent confirms the latest pending consent of an address on a
// channel asked for within ConfirmWindow (the shopper answered its
// confirmation message) and returns the shop it was for; ok is false when
// none was pending. One YES answers one question: the latest, not every
// shop's that has asked the number; consent to calls given with it on the
// same form is confirmed along. With shops, only a question one of them
// asked is answered (a reply to a merchant's own number). An SMS YES also
// answers the question asked for consent to calls alone.
func (db *DB) ConfirmConsent(ctx context.Context, channel, address string, shops ...int64) (shopID int64, ok bool, err error) {
	err = db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := db.now()
		var pending []Consent
		// Consent to calls alone is asked by SMS, so an SMS YES may answer it.
		channels := []string{channel}
		if channel == "sms" {
			channels = append(channels, "voice")
		}
		q := tx.Where("channel IN ? AND address = ? AND status = ? AND created_at > ?", channels, address, ConsentPending, now.Add(-ConfirmWindow))
		if len(shops) > 0 {
			q = q.Where("shop_id IN ?", shops)
		}
		if err := q.Order("created_at DESC, id DESC").Limit(1).Find(&pending).Error; err != nil {
			return fmt.Errorf("pending consents: %w", err)
		}
		if len(pending) == 0 {
			return nil
		}
		c := pending[0]
		if err := tx.Model(&Consent{}).Where("id = ?", c.ID).Updates(map[string]any{"status": ConsentConfirmed, "confirmed_at": now}).Error; err != nil {
			return fmt.Errorf("confirm consent %d: %w", c.ID, err)
		}
		if err := setConsent(tx, c.ShopID, c.Channel, c.Address, c.Source, now); err != nil {
			return err
		}
		// Consents given on the same form (same order and source, the
		// texts' and the calls') have one question: this YES confirms all.
		var calls []Consent
		if err := tx.Where("shop_id = ? AND channel IN ? AND address = ? AND status = ? AND source = ? AND order_id = ? AND id <> ? AND created_at >= ? AND created_at <= ?",
			c.ShopID, append(channels, "voice"), c.Address, ConsentPending, c.Source, c.OrderID, c.ID, c.CreatedAt.Add(-time.Minute), c.CreatedAt.Add(time.Minute)).Find(&calls).Error; err != nil {
			return fmt.Errorf("pending consents of the same form: %w", err)
		}
		for _, v := range calls {
			if err := tx.Model(&Consent{}).Where("id = ?", v.ID).Updates(map[string]any{"status": ConsentConfirmed, "confirmed_at": now}).Error; err != nil {
				return fmt.Errorf("confirm consent %d: %w", v.ID, err)
			}
			if err := setConsent(tx, v.ShopID, v.Channel, v.Address, v.Source, now); err != nil {
				return err
			}
		}
		shopID, ok = c.ShopID, true
		return nil
	})
	return shopID, ok, err
}

// ConfirmWindow is how long a double opt-in's question can be answered.
const ConfirmWindow = 7 * 24 * time.Hour

// Consents lists a shop's consents for the addresses, newest first.
func (db *DB) Consents(ctx context.Context, shopID int64, addresses ...string) ([]Consent, error) {
	var out []Consent
	if err := db.Gorm.WithContext(ctx).Where("shop_id = ? AND address IN ?", shopID, addresses).Order("created_at DESC, id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("load consents: %w", err)
	}
	return out, nil
}

// TouchInbound records that the shopper wrote to a shop on a channel now.
func (db *DB) TouchInbound(ctx context.Context, shopID int64, channel, address string) error {
	now := db.now()
	err := db.Gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "shop_id"}, {Name: "channel"}, {Name: "address"}},
		DoUpdates: clause.AssignmentColumns([]string{"last_inbound_at"}),
	}).Create(&Contact{ShopID: shopID, Channel: channel, Address: address, UpdatedAt: now, LastInboundAt: &now}).Error
	if err != nil {
		return fmt.Errorf("record inbound message: %w", err)
	}
	return nil
}

// Usage is what a shop's messages cost since a time.
type Usage struct {
	SMSSegments int
	CallMinutes int
}

// UsageSince adds up the SMS segments and call minutes a shop's sent
// messages cost since from.
func (db *DB) UsageSince(ctx context.Context, shopID int64, from time.Time) (Usage, error) {
	var rows []struct {
		Channel string
		Units   int
	}
	err := db.Gorm.WithContext(ctx).Model(&Notification{}).Select("channel, COALESCE(SUM(units), 0) AS units").
		Where("shop_id = ? AND sent_at >= ? AND channel IN ?", shopID, from, []string{"sms", "voice"}).Group("channel").Scan(&rows).Error
	if err != nil {
		return Usage{}, fmt.Errorf("usage of shop %d: %w", shopID, err)
	}
	var u Usage
	for _, r := range rows {
		if r.Channel == "sms" {
			u.SMSSegments = r.Units
		} else {
			u.CallMinutes = r.Units
		}
	}
	return u, nil
}

// SetShopIdentity stores who the merchant is, as the platform says: the
// shop's name, owner address, zone, currency, language and plan. Empty
// values keep what is stored. SupportEmail becomes the support address
// shoppers reply to when the merchant has not chosen one; it is written
// in the same transaction, so nobody reads the one without the other.
func (db *DB) SetShopIdentity(ctx context.Context, shopID int64, id ShopIdentity) error {
	return db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		up := map[string]any{"updated_at": db.now()}
		for col, v := range map[string]string{"name": id.Name, "email": id.Email, "timezone": id.Timezone, "currency": id.Currency, "locale": id.Locale, "plan": id.Plan} {
			if v != "" {
				up[col] = v
			}
		}
		if id.SupportEmail != "" {
			var shop Shop
			if err := tx.Select("id", "settings").Take(&shop, shopID).Error; err != nil {
				return notFound(err, "shop %d", shopID)
			}
			if shop.Settings.V.SupportEmail == "" {
				st := shop.Settings.V
				st.SupportEmail = id.SupportEmail
				up["settings"] = JSON[Settings]{V: st}
			}
		}
		if err := tx.Model(&Shop{}).Where("id = ?", shopID).Updates(up).Error; err != nil {
			return fmt.Errorf("store identity of shop %d: %w", shopID, err)
		}
		return nil
	})
}

// ShopIdentity is who a merchant is on their platform.
type ShopIdentity struct {
	Name, Email, Timezone, Currency, Locale, Plan string
	SupportEmail                                  string // the shop's contact address: the default support address
}

// ConsentByID loads one consent.
func (db *DB) ConsentByID(ctx context.Context, id int64) (*Consent, error) {
	var c Consent
	if err := db.Gorm.WithContext(ctx).Take(&c, id).Error; err != nil {
		return nil, notFound(err, "consent %d", id)
	}
	return &c, nil
}

// SentBefore reports whether a shop already sent something on a channel
// to an address (the first SMS says how to stop).
func (db *DB) SentBefore(ctx context.Context, shopID int64, channel, address string, except int64) (bool, error) {
	var n int64
	err := db.Gorm.WithContext(ctx).Model(&Notification{}).
		Where("shop_id = ? AND channel = ? AND recipient = ? AND sent_at IS NOT NULL AND id <> ?", shopID, channel, address, except).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("earlier messages to %s: %w", channel, err)
	}
	return n > 0, nil
}
