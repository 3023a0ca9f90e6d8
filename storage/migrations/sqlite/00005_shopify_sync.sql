-- +goose Up
-- synced_through is the updated_at of the last Shopify order the backfill or
-- reconcile job applied: the next reconcile resumes from it (minus overlap),
-- and a backfill cut short by a timeout resumes instead of starting over.
ALTER TABLE shops ADD COLUMN synced_through DATETIME;

-- oauth_states holds the single-use state nonce of each authorization-code
-- install in flight; the browser holds the same value in a cookie.
CREATE TABLE oauth_states (
    state      TEXT PRIMARY KEY,
    shop       TEXT NOT NULL,
    expires_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE oauth_states;
ALTER TABLE shops DROP COLUMN synced_through;
