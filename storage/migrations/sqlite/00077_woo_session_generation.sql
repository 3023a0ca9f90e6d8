-- +goose Up
-- session_generation is part of every admin session's signature: bumping it
-- (a reconnect, "sign out everywhere", a plugin secret rotation) ends every
-- session signed before.
ALTER TABLE shops ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;
-- checked_at marks the one key verification a pending connection allows, so
-- the public callback cannot make the app call the store again and again.
ALTER TABLE woo_connections ADD COLUMN checked_at DATETIME;

-- +goose Down
ALTER TABLE woo_connections DROP COLUMN checked_at;
ALTER TABLE shops DROP COLUMN session_generation;
