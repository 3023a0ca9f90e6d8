package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// OAuthToken is a shop's platform access token in plain text, only ever in
// memory; at rest its secrets are sealed with the Cipher.
type OAuthToken struct {
	AccessToken      string
	ExpiresAt        *time.Time // nil: a non-expiring (legacy) token
	RefreshToken     string
	RefreshExpiresAt *time.Time
	Scopes           string
}

// OAuthToken returns the token of an installed shop. It is ErrNotFound when
// the shop is unknown, uninstalled or has no token, so callers treat all
// three as "install again".
func (db *DB) OAuthToken(ctx context.Context, domain string) (OAuthToken, error) {
	var s Shop
	err := db.Gorm.WithContext(ctx).Where("platform = ? AND domain = ? AND status = ?", Shopify, domain, "active").Take(&s).Error
	if err != nil {
		return OAuthToken{}, notFound(err, "token of shop %s", domain)
	}
	return db.openToken(&s)
}

func (db *DB) openToken(s *Shop) (OAuthToken, error) {
	if len(s.AccessToken) == 0 {
		return OAuthToken{}, fmt.Errorf("token of shop %s: %w", s.Domain, ErrNotFound)
	}
	sec, err := db.Secrets(s)
	if err != nil {
		return OAuthToken{}, err
	}
	return OAuthToken{
		AccessToken: sec.AccessToken, ExpiresAt: utcPtr(s.AccessExpiresAt), RefreshToken: sec.RefreshToken,
		RefreshExpiresAt: utcPtr(s.RefreshExpiresAt), Scopes: s.Scopes,
	}, nil
}

// SaveOAuthToken stores a shop's new token pair in one update, so a rotated
// refresh token is never half-written. The row is locked and reread first
// (FOR UPDATE on Postgres; SQLite has one writer): when another machine has
// meanwhile stored a pair that lives longer, that newer pair is kept.
func (db *DB) SaveOAuthToken(ctx context.Context, domain string, t OAuthToken) error {
	err := db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var s Shop
		q := tx.Where("platform = ? AND domain = ? AND status = ?", Shopify, domain, "active")
		if db.Dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Take(&s).Error; err != nil {
			return notFound(err, "shop %s", domain)
		}
		if len(s.AccessToken) > 0 && s.AccessExpiresAt != nil && t.ExpiresAt != nil && s.AccessExpiresAt.After(*t.ExpiresAt) {
			return nil
		}
		return tx.Model(&Shop{}).Where("id = ?", s.ID).Updates(db.tokenColumns(t)).Error
	})
	if err != nil {
		return fmt.Errorf("save token of shop %s: %w", domain, err)
	}
	return nil
}

func (db *DB) tokenColumns(t OAuthToken) map[string]any {
	return map[string]any{
		"access_token":       db.cipher.Seal(t.AccessToken),
		"access_expires_at":  utcPtr(t.ExpiresAt),
		"refresh_token":      db.cipher.Seal(t.RefreshToken),
		"refresh_expires_at": utcPtr(t.RefreshExpiresAt),
		"scopes":             t.Scopes,
		"updated_at":         db.now(),
	}
}

// InstallShop creates or reactivates a Shopify shop by domain with its new
// token: status active, installed now, and a sync cursor reset so the
// backfill starts from its full window.
func (tx *Tx) InstallShop(ctx context.Context, s *Shop, t OAuthToken) error {
	db, now := tx.db, tx.db.now()
	s.Platform, s.Status, s.InstalledAt, s.UninstalledAt = Shopify, "active", &now, nil
	if s.Timezone == "" {
		s.Timezone = "UTC"
	}
	err := tx.g.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "platform"}, {Name: "domain"}},
		DoUpdates: clause.AssignmentColumns([]string{"status", "installed_at", "uninstalled_at", "updated_at"}),
	}).Omit("id").Create(s).Error
	if err != nil {
		return fmt.Errorf("install shop %s: %w", s.Domain, err)
	}
	if err := tx.g.WithContext(ctx).Where("platform = ? AND domain = ?", Shopify, s.Domain).Take(s).Error; err != nil {
		return fmt.Errorf("install shop %s: %w", s.Domain, err)
	}
	cols := db.tokenColumns(t)
	cols["synced_through"] = nil
	if err := tx.g.WithContext(ctx).Model(&Shop{}).Where("id = ?", s.ID).Updates(cols).Error; err != nil {
		return fmt.Errorf("store token of shop %s: %w", s.Domain, err)
	}
	return nil
}

// SyncableShops lists the active shops of platform that hold a token.
func (db *DB) SyncableShops(ctx context.Context, platform Platform) ([]int64, error) {
	var ids []int64
	err := db.Gorm.WithContext(ctx).Model(&Shop{}).
		Where("platform = ? AND status = ? AND access_token IS NOT NULL", platform, "active").Order("id").Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("list syncable shops: %w", err)
	}
	return ids, nil
}

// SyncedThrough is the platform updated_at of the last order a sync applied
// for the shop; zero when none has yet.
func (db *DB) SyncedThrough(ctx context.Context, shopID int64) (time.Time, error) {
	var row struct{ SyncedThrough *time.Time }
	if err := db.Gorm.WithContext(ctx).Model(&Shop{}).Select("synced_through").Where("id = ?", shopID).Take(&row).Error; err != nil {
		return time.Time{}, notFound(err, "sync cursor of shop %d", shopID)
	}
	if row.SyncedThrough == nil {
		return time.Time{}, nil
	}
	return row.SyncedThrough.UTC(), nil
}

// AdvanceSyncedThrough moves the shop's sync cursor forward to t; it never
// moves back, so an older page applied late cannot rewind it.
func (db *DB) AdvanceSyncedThrough(ctx context.Context, shopID int64, t time.Time) error {
	err := db.Gorm.WithContext(ctx).Model(&Shop{}).
		Where("id = ? AND (synced_through IS NULL OR synced_through < ?)", shopID, t.UTC()).
		UpdateColumn("synced_through", t.UTC()).Error
	if err != nil {
		return fmt.Errorf("advance sync cursor of shop %d: %w", shopID, err)
	}
	return nil
}

// oauthState is a row of oauth_states: a used install state, kept until it
// expires.
type oauthState struct {
	State     string
	Shop      string
	ExpiresAt time.Time
}

func (oauthState) TableName() string { return "oauth_states" }

// ErrStateMismatch means an OAuth callback's state was already used.
var ErrStateMismatch = errors.New("oauth state is already used")

// UseOAuthState records that the (signed, still valid) state of an install
// of shop was used, so it works once; ErrStateMismatch when it already was.
// Expired records are purged on the way: a state is refused once expired
// anyway. Only a Shopify-signed callback uses a state, so anonymous
// requests create no rows here.
func (db *DB) UseOAuthState(ctx context.Context, state, shop string, expires time.Time) error {
	g := db.Gorm.WithContext(ctx)
	if err := g.Exec("DELETE FROM oauth_states WHERE expires_at <= ?", db.now()).Error; err != nil {
		return fmt.Errorf("purge expired oauth states: %w", err)
	}
	res := g.Clauses(clause.OnConflict{DoNothing: true}).Create(&oauthState{State: state, Shop: shop, ExpiresAt: expires.UTC()})
	if res.Error != nil {
		return fmt.Errorf("use oauth state: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("use oauth state: %w", ErrStateMismatch)
	}
	return nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// WriteBack is what a status write-back needs of a shipment.
type WriteBack struct {
	ShopDomain    string
	FulfillmentID string
	Stage         string
	Problem       string
}

// ShopifyWriteBack reads the shipment's fulfillment and status
// when it belongs to an active Shopify shop that holds a token; otherwise it
// is ErrNotFound (nothing to write back).
func (q queries) ShopifyWriteBack(ctx context.Context, shipmentID int64) (WriteBack, error) {
	var w WriteBack
	err := q.g.WithContext(ctx).Table("shipments").
		Select("shops.domain AS shop_domain, shipments.platform_fulfillment_id AS fulfillment_id, shipments.stage, shipments.problem").
		Joins("JOIN shops ON shops.id = shipments.shop_id").
		Where("shipments.id = ? AND shipments.platform_fulfillment_id <> '' AND shops.platform = ? AND shops.status = ? AND shops.access_token IS NOT NULL",
			shipmentID, Shopify, "active").
		Take(&w).Error
	if err != nil {
		return WriteBack{}, notFound(err, "write-back of shipment %d", shipmentID)
	}
	return w, nil
}
