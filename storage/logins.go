package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// loginToken is a row of login_tokens: a single-use admin sign-in link
// (UsedAt nil until used) or the nonce of a used plugin sign-in link. Only
// the token's SHA-256 is stored, so the table grants nobody a session.
type loginToken struct {
	TokenHash string `gorm:"primaryKey"`
	ShopID    int64
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

func (loginToken) TableName() string { return "login_tokens" }

// HashToken is the hex SHA-256 under which a login token or a browser's
// connect cookie is stored.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// IssueLoginToken stores a new single-use sign-in token for shopID, valid
// until expires, and returns it. Expired tokens are purged on the way;
// ErrTooMany when the shop already has maxLive unused live tokens, so
// nobody can flood a merchant's inbox with links.
func (db *DB) IssueLoginToken(ctx context.Context, shopID int64, expires time.Time, maxLive int) (string, error) {
	g := db.Gorm.WithContext(ctx)
	now := db.now()
	if err := g.Where("expires_at <= ?", now).Delete(&loginToken{}).Error; err != nil {
		return "", fmt.Errorf("purge login tokens: %w", err)
	}
	var live int64
	if err := g.Model(&loginToken{}).Where("shop_id = ? AND used_at IS NULL", shopID).Count(&live).Error; err != nil {
		return "", fmt.Errorf("count login tokens of shop %d: %w", shopID, err)
	}
	if int(live) >= maxLive {
		return "", fmt.Errorf("login token for shop %d: %w", shopID, ErrTooMany)
	}
	token := NewToken() + NewToken()
	if err := g.Create(&loginToken{TokenHash: HashToken(token), ShopID: shopID, ExpiresAt: expires.UTC()}).Error; err != nil {
		return "", fmt.Errorf("store login token for shop %d: %w", shopID, err)
	}
	return token, nil
}

// ConsumeLoginToken marks a live, unused token used and returns its shop;
// of two concurrent uses exactly one wins. Anything else is ErrNotFound.
func (db *DB) ConsumeLoginToken(ctx context.Context, token string) (int64, error) {
	g := db.Gorm.WithContext(ctx)
	var row loginToken
	if err := g.Where("token_hash = ?", HashToken(token)).Take(&row).Error; err != nil {
		return 0, notFound(err, "login token")
	}
	res := g.Model(&loginToken{}).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", row.TokenHash, db.now()).
		Update("used_at", db.now())
	if res.Error != nil {
		return 0, fmt.Errorf("use login token: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return 0, fmt.Errorf("login token used or expired: %w", ErrNotFound)
	}
	return row.ShopID, nil
}

// UseLoginNonce records that a signed sign-in link with nonce was used for
// shopID; it reports false when it was used before. expires is when the
// link's signature stops being accepted anyway, after which the row goes.
func (db *DB) UseLoginNonce(ctx context.Context, shopID int64, nonce string, expires time.Time) (bool, error) {
	now := db.now()
	row := loginToken{TokenHash: HashToken("nonce:" + nonce), ShopID: shopID, ExpiresAt: expires.UTC(), UsedAt: &now}
	res := db.Gorm.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return false, fmt.Errorf("record sign-in nonce for shop %d: %w", shopID, res.Error)
	}
	return res.RowsAffected == 1, nil
}
