package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// TwilioAccount is a merchant's own Twilio account, which the shop's
// messages and calls go through instead of the platform's. AuthToken is
// sealed; read it through DB.TwilioAccount.
type TwilioAccount struct {
	ShopID       int64  `gorm:"primaryKey;autoIncrement:false"`
	AccountSID   string `gorm:"column:account_sid"`
	AuthToken    []byte
	SMSFrom      string `gorm:"column:sms_from"`      // E.164 number for SMS and calls
	WhatsAppFrom string `gorm:"column:whatsapp_from"` // E.164 WhatsApp sender; empty: WhatsApp goes through the platform
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TwilioCredentials are a TwilioAccount opened.
type TwilioCredentials struct {
	AccountSID, AuthToken, SMSFrom, WhatsAppFrom string
}

// SetTwilioAccount stores (or replaces) the shop's own Twilio account, its
// auth token sealed.
func (db *DB) SetTwilioAccount(ctx context.Context, shopID int64, c TwilioCredentials) error {
	acc := &TwilioAccount{ShopID: shopID, AccountSID: c.AccountSID, AuthToken: db.cipher.Seal(c.AuthToken), SMSFrom: c.SMSFrom, WhatsAppFrom: c.WhatsAppFrom}
	err := db.Gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "shop_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"account_sid", "auth_token", "sms_from", "whatsapp_from", "updated_at"}),
	}).Create(acc).Error
	if err != nil {
		return fmt.Errorf("store twilio account of shop %d: %w", shopID, err)
	}
	return nil
}

// DeleteTwilioAccount forgets the shop's own Twilio account: its messages
// go through the platform's again.
func (db *DB) DeleteTwilioAccount(ctx context.Context, shopID int64) error {
	if err := db.Gorm.WithContext(ctx).Where("shop_id = ?", shopID).Delete(&TwilioAccount{}).Error; err != nil {
		return fmt.Errorf("delete twilio account of shop %d: %w", shopID, err)
	}
	return nil
}

// TwilioAccount opens the shop's own Twilio account; ok is false when the
// shop uses the platform's.
func (db *DB) TwilioAccount(ctx context.Context, shopID int64) (c TwilioCredentials, ok bool, err error) {
	var acc TwilioAccount
	err = db.Gorm.WithContext(ctx).Where("shop_id = ?", shopID).Take(&acc).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return TwilioCredentials{}, false, nil
	}
	if err != nil {
		return TwilioCredentials{}, false, fmt.Errorf("twilio account of shop %d: %w", shopID, err)
	}
	token, err := db.cipher.Open(acc.AuthToken)
	if err != nil {
		return TwilioCredentials{}, false, fmt.Errorf("twilio auth token of shop %d: %w", shopID, err)
	}
	return TwilioCredentials{AccountSID: acc.AccountSID, AuthToken: token, SMSFrom: acc.SMSFrom, WhatsAppFrom: acc.WhatsAppFrom}, true, nil
}

// TwilioAccountShops lists the shops whose own Twilio account is
// accountSID, with its auth tokens opened by shop id: a webhook from that
// account is checked against them.
func (db *DB) TwilioAccountShops(ctx context.Context, accountSID string) (map[int64]string, error) {
	var accs []TwilioAccount
	if err := db.Gorm.WithContext(ctx).Where("account_sid = ?", accountSID).Find(&accs).Error; err != nil {
		return nil, fmt.Errorf("shops of twilio account %s: %w", accountSID, err)
	}
	out := make(map[int64]string, len(accs))
	for _, a := range accs {
		token, err := db.cipher.Open(a.AuthToken)
		if err != nil {
			return nil, fmt.Errorf("twilio auth token of shop %d: %w", a.ShopID, err)
		}
		out[a.ShopID] = token
	}
	return out, nil
}

// SenderOptOut is a number that texted STOP to a shared sender on channel:
// no shop sending from it may text the number until it texts START.
type SenderOptOut struct {
	Sender    string `gorm:"primaryKey"`
	Channel   string `gorm:"primaryKey"`
	Number    string `gorm:"primaryKey"`
	CreatedAt time.Time
}

// SetSenderOptOut records (out) or lifts a number's STOP to a shared sender.
func (db *DB) SetSenderOptOut(ctx context.Context, sender, channel, number string, out bool) error {
	g := db.Gorm.WithContext(ctx)
	var err error
	if out {
		err = g.Clauses(clause.OnConflict{DoNothing: true}).Create(&SenderOptOut{Sender: sender, Channel: channel, Number: number}).Error
	} else {
		err = g.Where("sender = ? AND channel = ? AND number = ?", sender, channel, number).Delete(&SenderOptOut{}).Error
	}
	if err != nil {
		return fmt.Errorf("opt-out of %s from sender %s: %w", channel, sender, err)
	}
	return nil
}

// SenderOptedOut reports whether number texted STOP to the shared sender on
// channel (and not START since).
func (db *DB) SenderOptedOut(ctx context.Context, sender, channel, number string) (bool, error) {
	var n int64
	err := db.Gorm.WithContext(ctx).Model(&SenderOptOut{}).Where("sender = ? AND channel = ? AND number = ?", sender, channel, number).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("opt-out of %s from sender %s: %w", channel, sender, err)
	}
	return n > 0, nil
}
