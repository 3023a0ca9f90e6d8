-- +goose NO TRANSACTION
-- +goose Up
-- A shop is named by its platform and domain: a WooCommerce connect must
-- never find (and overwrite) a Shopify shop of the same name. SQLite cannot
-- drop a column's UNIQUE, so shops is rebuilt (sqlite.org/lang_altertable.html
-- "other kinds of table schema changes"), with foreign keys off so the
-- rows that reference shops are neither checked nor cascaded meanwhile.
-- The column list is every shops column up to this migration.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE shops_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    platform            TEXT NOT NULL,
    domain              TEXT NOT NULL,
    name                TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'active',
    email               TEXT NOT NULL DEFAULT '',
    timezone            TEXT NOT NULL DEFAULT 'UTC',
    currency            TEXT NOT NULL DEFAULT 'USD',
    access_token        BLOB,
    access_expires_at   DATETIME,
    refresh_token       BLOB,
    refresh_expires_at  DATETIME,
    scopes              TEXT NOT NULL DEFAULT '',
    webhook_secret      BLOB,
    api_key             BLOB,
    api_secret          BLOB,
    settings            TEXT NOT NULL DEFAULT '{}',
    installed_at        DATETIME,
    uninstalled_at      DATETIME,
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL,
    synced_through      DATETIME
);
INSERT INTO shops_new (id, platform, domain, name, status, email, timezone, currency, access_token, access_expires_at,
    refresh_token, refresh_expires_at, scopes, webhook_secret, api_key, api_secret, settings, installed_at, uninstalled_at,
    created_at, updated_at, synced_through)
SELECT id, platform, domain, name, status, email, timezone, currency, access_token, access_expires_at,
    refresh_token, refresh_expires_at, scopes, webhook_secret, api_key, api_secret, settings, installed_at, uninstalled_at,
    created_at, updated_at, synced_through FROM shops;
DROP TABLE shops;
ALTER TABLE shops_new RENAME TO shops;
CREATE UNIQUE INDEX shops_platform_domain ON shops (platform, domain);

-- The browser that started a WooCommerce connect holds a cookie whose hash
-- is browser_hash; client is the starting IP, for the per-client cap.
ALTER TABLE woo_connections ADD COLUMN browser_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE woo_connections ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE INDEX woo_connections_client ON woo_connections (client, expires_at);
CREATE INDEX woo_connections_expires ON woo_connections (expires_at);

ALTER TABLE oauth_states ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE INDEX oauth_states_client ON oauth_states (client, expires_at);
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);

-- login_tokens are single-use admin sign-in links (stored as SHA-256 of the
-- token) and the nonces of used plugin sign-in links.
CREATE TABLE login_tokens (
    token_hash TEXT PRIMARY KEY,
    shop_id    INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME,
    created_at DATETIME NOT NULL
);
CREATE INDEX login_tokens_shop ON login_tokens (shop_id, expires_at);
CREATE INDEX login_tokens_expires ON login_tokens (expires_at);
COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
DROP TABLE login_tokens;
DROP INDEX oauth_states_expires;
DROP INDEX oauth_states_client;
ALTER TABLE oauth_states DROP COLUMN client;
DROP INDEX woo_connections_expires;
DROP INDEX woo_connections_client;
ALTER TABLE woo_connections DROP COLUMN client;
ALTER TABLE woo_connections DROP COLUMN browser_hash;
DROP INDEX shops_platform_domain;
CREATE UNIQUE INDEX shops_domain ON shops (domain);
