package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// Secrets are a shop's credentials in plain text, only ever in memory.
type Secrets struct {
	AccessToken      string
	AccessExpiresAt  *time.Time
	RefreshToken     string
	RefreshExpiresAt *time.Time
	WebhookSecret    string
	APIKey           string
	APISecret        string
}

// UpsertShop creates the shop or refreshes its name and status by platform
// and domain, returning the stored row.
func (db *DB) UpsertShop(ctx context.Context, s *Shop) error {
	if s.Status == "" {
		s.Status = "active"
	}
	if s.Timezone == "" {
		s.Timezone = "UTC"
	}
	err := db.Gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "platform"}, {Name: "domain"}},
		DoUpdates: clause.AssignmentColumns([]string{"name", "status", "updated_at"}),
	}).Create(s).Error
	if err != nil {
		return fmt.Errorf("upsert shop %s: %w", s.Domain, err)
	}
	return db.Gorm.WithContext(ctx).Where("platform = ? AND domain = ?", s.Platform, s.Domain).Take(s).Error
}

// Location is the shop's time zone, UTC when unset or unknown: the
// merchant's days in analytics.
func (s *Shop) Location() *time.Location { return tracking.ZoneOf(s.Timezone) }

// ShopByDomain finds a shop of platform by its domain (demo.myshopify.com,
// or a WooCommerce store's host and path): the same name on two platforms
// is two shops.
func (db *DB) ShopByDomain(ctx context.Context, platform Platform, domain string) (*Shop, error) {
	var s Shop
	if err := db.Gorm.WithContext(ctx).Where("platform = ? AND domain = ?", platform, domain).Take(&s).Error; err != nil {
		return nil, notFound(err, "%s shop %s", platform, domain)
	}
	return &s, nil
}

// ShopByID finds a shop by id.
func (db *DB) ShopByID(ctx context.Context, id int64) (*Shop, error) {
	var s Shop
	if err := db.Gorm.WithContext(ctx).Take(&s, id).Error; err != nil {
		return nil, notFound(err, "shop %d", id)
	}
	return &s, nil
}

// SetSecrets seals and stores a shop's credentials in one update, so a
// rotated refresh token is never half-written.
func (db *DB) SetSecrets(ctx context.Context, shopID int64, sec Secrets) error {
	c := db.cipher
	err := db.Gorm.WithContext(ctx).Model(&Shop{}).Where("id = ?", shopID).Updates(map[string]any{
		"access_token":       c.Seal(sec.AccessToken),
		"access_expires_at":  sec.AccessExpiresAt,
		"refresh_token":      c.Seal(sec.RefreshToken),
		"refresh_expires_at": sec.RefreshExpiresAt,
		"webhook_secret":     c.Seal(sec.WebhookSecret),
		"api_key":            c.Seal(sec.APIKey),
		"api_secret":         c.Seal(sec.APISecret),
		"updated_at":         db.now(),
	}).Error
	if err != nil {
		return fmt.Errorf("store secrets for shop %d: %w", shopID, err)
	}
	return nil
}

// Secrets decrypts a shop's credentials.
func (db *DB) Secrets(s *Shop) (Secrets, error) {
	c := db.cipher
	out := Secrets{AccessExpiresAt: s.AccessExpiresAt, RefreshExpiresAt: s.RefreshExpiresAt}
	for _, f := range []struct {
		dst *string
		src []byte
	}{
		{&out.AccessToken, s.AccessToken}, {&out.RefreshToken, s.RefreshToken},
		{&out.WebhookSecret, s.WebhookSecret}, {&out.APIKey, s.APIKey}, {&out.APISecret, s.APISecret},
	} {
		v, err := c.Open(f.src)
		if err != nil {
			return Secrets{}, fmt.Errorf("secrets of shop %d: %w", s.ID, err)
		}
		*f.dst = v
	}
	return out, nil
}

// SaveSettings replaces a shop's settings.
func (db *DB) SaveSettings(ctx context.Context, shopID int64, st Settings) error {
	return saveSettings(ctx, db.Gorm, db.now(), shopID, st)
}

// SaveSettings replaces the shop's settings in tx, with the jobs the change
// queues.
func (tx *Tx) SaveSettings(ctx context.Context, shopID int64, st Settings) error {
	return saveSettings(ctx, tx.g, tx.db.now(), shopID, st)
}

func saveSettings(ctx context.Context, g *gorm.DB, now time.Time, shopID int64, st Settings) error {
	err := g.WithContext(ctx).Model(&Shop{}).Where("id = ?", shopID).
		Updates(map[string]any{"settings": JSON[Settings]{V: st}, "updated_at": now}).Error
	if err != nil {
		return fmt.Errorf("save settings of shop %d: %w", shopID, err)
	}
	return nil
}

func notFound(err error, format string, args ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf(format+": %w", append(args, ErrNotFound)...)
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
