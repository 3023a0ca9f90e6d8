package storage

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ErrTooMany means a client, or everyone together, already has as many
// pending anonymous flows (WooCommerce connects, sign-in links) as allowed;
// callers answer 429 and store nothing.
var ErrTooMany = errors.New("too many pending requests")

// PendingLimits caps the rows anonymous requests may create in a table of
// flows in progress: PerClient live rows per client (the caller's key, e.g.
// an IPv6 /64), Total live rows.
type PendingLimits struct {
	PerClient int
	Total     int
}

// purgeAndCheck deletes table's expired rows, then reports ErrTooMany when
// client or everyone is at lim. Counting and inserting are not one
// statement, so concurrent requests may overshoot by a few: the caps bound
// growth, they are not quotas.
func purgeAndCheck(g *gorm.DB, table, client string, now time.Time, lim PendingLimits) error {
	if err := g.Exec("DELETE FROM "+table+" WHERE expires_at <= ?", now).Error; err != nil {
		return fmt.Errorf("purge expired %s: %w", table, err)
	}
	var mine, all int64
	if err := g.Table(table).Where("client = ?", client).Count(&mine).Error; err != nil {
		return fmt.Errorf("count %s: %w", table, err)
	}
	if err := g.Table(table).Count(&all).Error; err != nil {
		return fmt.Errorf("count %s: %w", table, err)
	}
	if int(mine) >= lim.PerClient || int(all) >= lim.Total {
		return ErrTooMany
	}
	return nil
}
