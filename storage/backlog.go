package storage

import (
	"context"
	"fmt"
	"time"
)

// ReadyJobs counts the jobs ready to run and not yet picked up, by kind: a
// growing count means the workers are behind.
func (db *DB) ReadyJobs(ctx context.Context) (map[string]int64, error) {
	rows, err := db.SQL.QueryContext(ctx, "SELECT kind, count(*) FROM river_job WHERE state = 'available' GROUP BY kind")
	if err != nil {
		return nil, fmt.Errorf("count ready jobs: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var kind string
		var n int64
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, fmt.Errorf("count ready jobs: %w", err)
		}
		out[kind] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count ready jobs: %w", err)
	}
	return out, nil
}

// OverduePolls counts shipments whose poll was due before cutoff and has
// not happened (the scheduler claims due shipments every minute).
func (db *DB) OverduePolls(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	if err := db.Gorm.WithContext(ctx).Model(&Shipment{}).Where("next_poll_at < ?", cutoff).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count overdue polls: %w", err)
	}
	return n, nil
}
