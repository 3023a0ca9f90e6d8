package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// CarrierAccount is a merchant's own credentials for one carrier API.
type CarrierAccount struct {
	ID          int64
	ShopID      int64
	Carrier     string
	Credentials []byte // sealed JSON object
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// SetCarrierAccount stores (or replaces) a shop's credentials for a carrier,
// sealed at rest.
func (db *DB) SetCarrierAccount(ctx context.Context, shopID int64, carrier string, creds map[string]string) error {
	raw, err := json.Marshal(creds)
	if err != nil {
		return fmt.Errorf("encode carrier credentials: %w", err)
	}
	acc := &CarrierAccount{ShopID: shopID, Carrier: carrier, Credentials: db.cipher.Seal(string(raw))}
	err = db.Gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "shop_id"}, {Name: "carrier"}},
		DoUpdates: clause.AssignmentColumns([]string{"credentials", "updated_at"}),
	}).Create(acc).Error
	if err != nil {
		return fmt.Errorf("store %s credentials of shop %d: %w", carrier, shopID, err)
	}
	return nil
}

// CarrierAccountCredentials decrypts a shop's credentials for a carrier.
func (db *DB) CarrierAccountCredentials(ctx context.Context, shopID int64, carrier string) (map[string]string, error) {
	var acc CarrierAccount
	if err := db.Gorm.WithContext(ctx).Where("shop_id = ? AND carrier = ?", shopID, carrier).Take(&acc).Error; err != nil {
		return nil, notFound(err, "%s account of shop %d", carrier, shopID)
	}
	plain, err := db.cipher.Open(acc.Credentials)
	if err != nil {
		return nil, fmt.Errorf("%s account of shop %d: %w", carrier, shopID, err)
	}
	var out map[string]string
	if err := json.Unmarshal([]byte(plain), &out); err != nil {
		return nil, fmt.Errorf("decode %s account of shop %d: %w", carrier, shopID, err)
	}
	return out, nil
}

// CarrierAccountKey names one merchant account: which shop, which carrier.
type CarrierAccountKey struct {
	ShopID  int64
	Carrier string
}

// CarrierAccountKeys lists every shop × carrier with its own credentials
// (a small table: the scheduler reads it once per tick).
func (db *DB) CarrierAccountKeys(ctx context.Context) (map[CarrierAccountKey]bool, error) {
	var rows []CarrierAccountKey
	if err := db.Gorm.WithContext(ctx).Model(&CarrierAccount{}).Select("shop_id, carrier").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list carrier accounts: %w", err)
	}
	out := make(map[CarrierAccountKey]bool, len(rows))
	for _, r := range rows {
		out[r] = true
	}
	return out, nil
}

// CarrierAccounts lists the carriers a shop has its own credentials for.
func (s ShopScope) CarrierAccounts(ctx context.Context) ([]string, error) {
	var out []string
	if err := s.q(ctx).Model(&CarrierAccount{}).Order("carrier").Pluck("carrier", &out).Error; err != nil {
		return nil, fmt.Errorf("list carrier accounts: %w", err)
	}
	return out, nil
}

// ReserveCarrierCalls spends n calls of an account's daily quota (limit per
// UTC day), atomically across machines: it reports false, spending nothing,
// when the calls would exceed the quota.
func (db *DB) ReserveCarrierCalls(ctx context.Context, account string, day time.Time, n, limit int) (bool, error) {
	key := day.UTC().Format(time.DateOnly)
	g := db.Gorm.WithContext(ctx)
	if err := g.Exec("INSERT INTO carrier_usage (account, day, calls) VALUES (?, ?, 0) ON CONFLICT DO NOTHING", account, key).Error; err != nil {
		return false, fmt.Errorf("carrier usage of %s: %w", account, err)
	}
	res := g.Exec("UPDATE carrier_usage SET calls = calls + ? WHERE account = ? AND day = ? AND calls + ? <= ?", n, account, key, n, limit)
	if res.Error != nil {
		return false, fmt.Errorf("spend %s quota: %w", account, res.Error)
	}
	return res.RowsAffected == 1, nil
}
