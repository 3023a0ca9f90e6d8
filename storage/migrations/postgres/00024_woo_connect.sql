-- +goose Up
-- A shop is named by its platform and domain: a WooCommerce connect must
-- never find (and overwrite) a Shopify shop of the same name.
ALTER TABLE shops DROP CONSTRAINT shops_domain_key;
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
    shop_id    BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_tokens_shop ON login_tokens (shop_id, expires_at);
CREATE INDEX login_tokens_expires ON login_tokens (expires_at);

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
ALTER TABLE shops ADD CONSTRAINT shops_domain_key UNIQUE (domain);
