package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ordertrack/ordertrack/app/tracking"
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

// ReserveSharedCarrierCalls spends n calls of the platform's account for
// carrier (limit calls per UTC day) on behalf of shop, if share allows: it
// is given the day's total spent and each shop's use (calls spent, and
// shipments on the platform's account still to poll today), and decides.
// The account's row is locked meanwhile, so concurrent reservations decide
// one after the other on every machine. It reports false, spending
// nothing, when the quota or share refuses.
func (db *DB) ReserveSharedCarrierCalls(ctx context.Context, carrier string, shopID int64, day time.Time, n, limit int,
	share func(spent int, use map[int64]tracking.QuotaUse) bool) (bool, error) {
	key := day.UTC().Format(time.DateOnly)
	dayEnd := day.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	ok := false
	err := db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("INSERT INTO carrier_usage (account, day, calls) VALUES (?, ?, 0) ON CONFLICT DO NOTHING", carrier, key).Error; err != nil {
			return err
		}
		var spent int
		// A no-op update takes the row lock that serializes the decision.
		if err := tx.Raw("UPDATE carrier_usage SET calls = calls WHERE account = ? AND day = ? RETURNING calls", carrier, key).Scan(&spent).Error; err != nil {
			return err
		}
		use := map[int64]tracking.QuotaUse{}
		var spentBy []struct {
			ShopID int64
			Calls  int
		}
		if err := tx.Raw("SELECT shop_id, calls FROM carrier_shop_usage WHERE account = ? AND day = ?", carrier, key).Scan(&spentBy).Error; err != nil {
			return err
		}
		for _, s := range spentBy {
			use[s.ShopID] = tracking.QuotaUse{Spent: s.Calls}
		}
		var waiting []struct {
			ShopID int64
			N      int
		}
		err := tx.Raw(`SELECT shop_id, COUNT(*) AS n FROM shipments
WHERE carrier = ? AND next_poll_at IS NOT NULL AND next_poll_at < ?
AND shop_id NOT IN (SELECT shop_id FROM carrier_accounts WHERE carrier = ?)
GROUP BY shop_id`, carrier, dayEnd, carrier).Scan(&waiting).Error
		if err != nil {
			return err
		}
		for _, w := range waiting {
			u := use[w.ShopID]
			u.Waiting = w.N
			use[w.ShopID] = u
		}
		if !share(spent, use) {
			return nil
		}
		if err := tx.Exec("UPDATE carrier_usage SET calls = calls + ? WHERE account = ? AND day = ?", n, carrier, key).Error; err != nil {
			return err
		}
		err = tx.Exec(`INSERT INTO carrier_shop_usage (account, day, shop_id, calls) VALUES (?, ?, ?, ?)
ON CONFLICT (account, day, shop_id) DO UPDATE SET calls = carrier_shop_usage.calls + excluded.calls`, carrier, key, shopID, n).Error
		ok = err == nil
		return err
	})
	if err != nil {
		return false, fmt.Errorf("spend %s quota for shop %d: %w", carrier, shopID, err)
	}
	return ok, nil
}
