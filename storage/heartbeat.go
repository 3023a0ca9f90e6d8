package storage

import (
	"context"
	"fmt"
)

// Heartbeat rewrites the heartbeat row and commits. It fails when the
// database answers reads but cannot write (a read-only transaction default
// or replica, a full disk, a read-only file), which a ping does not notice:
// /readyz uses it so a machine that could not store a webhook takes no
// traffic.
func (db *DB) Heartbeat(ctx context.Context) error {
	err := db.Gorm.WithContext(ctx).Exec(
		"INSERT INTO heartbeat (id, beat_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at", db.now()).Error
	if err != nil {
		return fmt.Errorf("write heartbeat: %w", err)
	}
	return nil
}
