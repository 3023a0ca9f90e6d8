-- +goose Up
-- heartbeat holds one row that /readyz rewrites: a committed write is the
-- only check that fails when the database can read but not write (a
-- read-only transaction default or replica, a full disk, a read-only file).
CREATE TABLE heartbeat (
    id      INTEGER PRIMARY KEY,
    beat_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE heartbeat;
