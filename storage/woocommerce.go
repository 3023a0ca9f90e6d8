package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// WooConnection is a WooCommerce connect flow in progress (or completed, until
// the merchant comes back to the return URL). UserID is the nonce sent to the
// store as user_id; the store echoes it in the key callback. BrowserHash is
// the SHA-256 (hex) of the cookie given to the browser that started it, so
// only that browser sees the result; Client is the starting IP.
type WooConnection struct {
	ID          int64
	UserID      string
	StoreURL    string
	BrowserHash string
	Client      string
	ShopID      *int64
	ExpiresAt   time.Time
	CompletedAt *time.Time
	ReturnedAt  *time.Time
	// CheckedAt is set by the first key callback: a connection allows one
	// key verification, whatever its outcome.
	CheckedAt *time.Time
	CreatedAt time.Time
}

// WooStore is the app's state for one connected WooCommerce store.
type WooStore struct {
	ShopID   int64 `gorm:"primaryKey;autoIncrement:false"`
	StoreURL string
	// ShopKey names the shop in its webhook delivery URL and in the
	// companion plugin's requests; it is not a secret.
	ShopKey string
	// StorefrontSecret is sealed; read it with DB.StorefrontSecret.
	StorefrontSecret []byte
	// ReconciledThrough is the newest date_modified the reconcile has seen.
	ReconciledThrough *time.Time
	// WebhooksPaused counts webhooks the merchant paused: updates for those
	// topics are not arriving.
	WebhooksPaused    int
	WebhooksCheckedAt *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// StartWooConnection records a pending connection. Expired ones are purged
// on the way; ErrTooMany when its client, or everyone, has lim's share of
// live ones.
func (db *DB) StartWooConnection(ctx context.Context, c *WooConnection, lim PendingLimits) error {
	g := db.Gorm.WithContext(ctx)
	if err := purgeAndCheck(g, "woo_connections", c.Client, db.now(), lim); err != nil {
		return fmt.Errorf("start woocommerce connection to %s: %w", c.StoreURL, err)
	}
	c.ExpiresAt = c.ExpiresAt.UTC()
	if err := g.Create(c).Error; err != nil {
		return fmt.Errorf("start woocommerce connection to %s: %w", c.StoreURL, err)
	}
	return nil
}

// WooConnection finds a connection by its nonce.
func (db *DB) WooConnection(ctx context.Context, userID string) (*WooConnection, error) {
	var c WooConnection
	if userID == "" {
		return nil, fmt.Errorf("woocommerce connection: %w", ErrNotFound)
	}
	if err := db.Gorm.WithContext(ctx).Where("user_id = ?", userID).Take(&c).Error; err != nil {
		return nil, notFound(err, "woocommerce connection")
	}
	return &c, nil
}

// ClaimWooCheck marks the one key verification a pending connection
// allows; it reports false when the connection was checked before, is
// complete or expired, so a re-posted callback never reaches the store.
func (db *DB) ClaimWooCheck(ctx context.Context, id int64) (bool, error) {
	now := db.now()
	res := db.Gorm.WithContext(ctx).Model(&WooConnection{}).
		Where("id = ? AND checked_at IS NULL AND completed_at IS NULL AND expires_at > ?", id, now).
		Update("checked_at", now)
	if res.Error != nil {
		return false, fmt.Errorf("claim key check of woocommerce connection %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ErrConnectionUsed means a pending connection expired or was already
// completed by an earlier callback.
var ErrConnectionUsed = errors.New("woocommerce connection expired or already completed")

// WooConnect is what a verified key callback stores: the keys were checked
// by a REST call to the connection's store before this is called.
type WooConnect struct {
	ConnectionID   int64
	Domain, Name   string
	Email          string // the store's admin address, for emailed sign-in links
	StoreURL       string
	ConsumerKey    string
	ConsumerSecret string
	// WebhookSecret is used when the shop has none yet; a reconnect keeps
	// the old one, because webhooks already on the store sign with it.
	WebhookSecret string
}

// CompleteWooConnect stores a verified connect in one transaction: it
// claims the pending connection (ErrConnectionUsed when it expired or was
// completed), creates or refreshes the WooCommerce shop of that domain (a
// shop of another platform is never touched), seals the keys and makes sure
// the store row exists.
func (db *DB) CompleteWooConnect(ctx context.Context, w WooConnect) (*Shop, error) {
	shop := &Shop{Platform: WooCommerce, Domain: w.Domain, Name: w.Name, Email: w.Email, Status: "active", Timezone: "UTC"}
	err := db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := db.now()
		res := tx.Model(&WooConnection{}).Where("id = ? AND completed_at IS NULL AND expires_at > ?", w.ConnectionID, now).
			Update("completed_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrConnectionUsed
		}
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "platform"}, {Name: "domain"}},
			DoUpdates: clause.AssignmentColumns([]string{"name", "email", "status", "uninstalled_at", "updated_at"}),
		}).Create(shop).Error
		if err != nil {
			return err
		}
		if err := tx.Where("platform = ? AND domain = ?", WooCommerce, w.Domain).Take(shop).Error; err != nil {
			return err
		}
		old, err := db.Secrets(shop)
		if err != nil {
			return err
		}
		hook := old.WebhookSecret
		if hook == "" {
			hook = w.WebhookSecret
		}
		c := db.cipher
		err = tx.Model(&Shop{}).Where("id = ?", shop.ID).Updates(map[string]any{
			"api_key": c.Seal(w.ConsumerKey), "api_secret": c.Seal(w.ConsumerSecret), "webhook_secret": c.Seal(hook), "updated_at": now,
		}).Error
		if err != nil {
			return err
		}
		if _, err := ensureWooStore(tx, db, shop.ID, w.StoreURL); err != nil {
			return err
		}
		return tx.Model(&WooConnection{}).Where("id = ?", w.ConnectionID).Update("shop_id", shop.ID).Error
	})
	if err != nil {
		return nil, fmt.Errorf("complete woocommerce connection %d: %w", w.ConnectionID, err)
	}
	return db.ShopByID(ctx, shop.ID)
}

// ClaimWooReturn marks a completed connection's return visit by the browser
// whose cookie hashes to browserHash; it reports false when the connection
// is not complete, expired, was returned to already, or another browser
// started it, so the sign-in link and secret it shows are handed out once
// and only to the merchant who connected.
func (db *DB) ClaimWooReturn(ctx context.Context, id int64, browserHash string) (bool, error) {
	if browserHash == "" {
		return false, nil
	}
	res := db.Gorm.WithContext(ctx).Model(&WooConnection{}).
		Where("id = ? AND browser_hash = ? AND completed_at IS NOT NULL AND returned_at IS NULL AND expires_at > ?", id, browserHash, db.now()).
		Update("returned_at", db.now())
	if res.Error != nil {
		return false, fmt.Errorf("claim woocommerce return %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ensureWooStore creates the store row for a shop inside tx with a fresh
// shop key and storefront secret. A reconnect keeps the key (webhook URLs
// stay valid) but rotates the secret and ends every admin session: whoever
// started the connect may not be the merchant, and the old secret may be
// known to someone who should lose it.
func ensureWooStore(tx *gorm.DB, db *DB, shopID int64, storeURL string) (*WooStore, error) {
	var ws WooStore
	err := tx.Where("shop_id = ?", shopID).Take(&ws).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		ws = WooStore{ShopID: shopID, StoreURL: storeURL, ShopKey: NewToken(), StorefrontSecret: db.cipher.Seal(newStorefrontSecret())}
		return &ws, tx.Create(&ws).Error
	}
	if err != nil {
		return nil, err
	}
	ws.StoreURL = storeURL
	if err := rotateStorefrontSecret(tx, db, shopID); err != nil {
		return nil, err
	}
	return &ws, tx.Model(&ws).Updates(map[string]any{"store_url": storeURL, "updated_at": db.now()}).Error
}

func newStorefrontSecret() string { return NewToken() + NewToken() }

// rotateStorefrontSecret gives the store a new plugin secret and ends the
// shop's admin sessions, inside tx.
func rotateStorefrontSecret(tx *gorm.DB, db *DB, shopID int64) error {
	err := tx.Model(&WooStore{}).Where("shop_id = ?", shopID).
		Updates(map[string]any{"storefront_secret": db.cipher.Seal(newStorefrontSecret()), "updated_at": db.now()}).Error
	if err != nil {
		return err
	}
	return endAdminSessions(tx, shopID)
}

func endAdminSessions(tx *gorm.DB, shopID int64) error {
	return tx.Model(&Shop{}).Where("id = ?", shopID).Update("session_generation", gorm.Expr("session_generation + 1")).Error
}

// RotateStorefrontSecret replaces a WooCommerce store's plugin secret, so
// plugin sign-in links signed with the old one stop working, and ends the
// shop's admin sessions (the old secret could mint them).
func (db *DB) RotateStorefrontSecret(ctx context.Context, shopID int64) error {
	err := db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return rotateStorefrontSecret(tx, db, shopID) })
	if err != nil {
		return fmt.Errorf("rotate storefront secret of shop %d: %w", shopID, err)
	}
	return nil
}

// EndAdminSessions signs every browser out of the shop's admin by bumping
// the generation its session cookies are signed with.
func (db *DB) EndAdminSessions(ctx context.Context, shopID int64) error {
	if err := endAdminSessions(db.Gorm.WithContext(ctx), shopID); err != nil {
		return fmt.Errorf("end admin sessions of shop %d: %w", shopID, err)
	}
	return nil
}

// WooStore loads a shop's WooCommerce state.
func (db *DB) WooStore(ctx context.Context, shopID int64) (*WooStore, error) {
	var ws WooStore
	if err := db.Gorm.WithContext(ctx).Where("shop_id = ?", shopID).Take(&ws).Error; err != nil {
		return nil, notFound(err, "woocommerce store of shop %d", shopID)
	}
	return &ws, nil
}

// WooStoreByKey finds a store by the key in its webhook and plugin URLs.
func (db *DB) WooStoreByKey(ctx context.Context, key string) (*WooStore, error) {
	var ws WooStore
	if key == "" {
		return nil, fmt.Errorf("woocommerce store: %w", ErrNotFound)
	}
	if err := db.Gorm.WithContext(ctx).Where("shop_key = ?", key).Take(&ws).Error; err != nil {
		return nil, notFound(err, "woocommerce store")
	}
	return &ws, nil
}

// ActiveWooStores lists the stores of installed WooCommerce shops.
func (db *DB) ActiveWooStores(ctx context.Context) ([]WooStore, error) {
	var out []WooStore
	err := db.Gorm.WithContext(ctx).Joins("JOIN shops ON shops.id = woo_stores.shop_id").
		Where("shops.platform = ? AND shops.status = ?", WooCommerce, "active").Order("woo_stores.shop_id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list woocommerce stores: %w", err)
	}
	return out, nil
}

// StorefrontSecret decrypts the secret the companion plugin signs with.
func (db *DB) StorefrontSecret(ws *WooStore) (string, error) {
	s, err := db.cipher.Open(ws.StorefrontSecret)
	if err != nil {
		return "", fmt.Errorf("storefront secret of shop %d: %w", ws.ShopID, err)
	}
	return s, nil
}

// SetWooCursor records the newest order modification a reconcile has seen.
func (db *DB) SetWooCursor(ctx context.Context, shopID int64, through time.Time) error {
	err := db.Gorm.WithContext(ctx).Model(&WooStore{}).Where("shop_id = ?", shopID).
		Updates(map[string]any{"reconciled_through": through.UTC(), "updated_at": db.now()}).Error
	if err != nil {
		return fmt.Errorf("store reconcile cursor of shop %d: %w", shopID, err)
	}
	return nil
}

// SetWooWebhookHealth records the outcome of a webhook check.
func (db *DB) SetWooWebhookHealth(ctx context.Context, shopID int64, paused int) error {
	now := db.now()
	err := db.Gorm.WithContext(ctx).Model(&WooStore{}).Where("shop_id = ?", shopID).
		Updates(map[string]any{"webhooks_paused": paused, "webhooks_checked_at": now, "updated_at": now}).Error
	if err != nil {
		return fmt.Errorf("store webhook health of shop %d: %w", shopID, err)
	}
	return nil
}

// CancelOrder marks an order cancelled (the store deleted or trashed it); an
// unknown order is ErrNotFound.
func (db *DB) CancelOrder(ctx context.Context, shopID int64, platformID string, at time.Time) error {
	res := db.Gorm.WithContext(ctx).Model(&Order{}).Where("shop_id = ? AND platform_id = ?", shopID, platformID).
		Updates(map[string]any{"cancelled_at": gorm.Expr("COALESCE(cancelled_at, ?)", at.UTC()), "updated_at": db.now()})
	if res.Error != nil {
		return fmt.Errorf("cancel order %s: %w", platformID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("cancel order %s: %w", platformID, ErrNotFound)
	}
	return nil
}

// WooShipment loads a shipment and reports whether its shop is on
// WooCommerce, for writing status notes back to the store.
func (q queries) WooShipment(ctx context.Context, shipmentID int64) (*Shipment, bool, error) {
	var row struct {
		Shipment
		Platform Platform
	}
	err := q.g.WithContext(ctx).Table("shipments").Select("shipments.*, shops.platform").
		Joins("JOIN shops ON shops.id = shipments.shop_id").Where("shipments.id = ?", shipmentID).Take(&row).Error
	if err != nil {
		return nil, false, notFound(err, "shipment %d", shipmentID)
	}
	return &row.Shipment, row.Platform == WooCommerce, nil
}
