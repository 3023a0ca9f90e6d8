-- +goose Up
-- A WooCommerce connection started at /auth/woocommerce/start and completed
-- by the store's key callback; user_id is the nonce sent to the store.
CREATE TABLE woo_connections (
    id           BIGSERIAL PRIMARY KEY,
    user_id      TEXT NOT NULL UNIQUE,
    store_url    TEXT NOT NULL,
    shop_id      BIGINT REFERENCES shops(id) ON DELETE CASCADE,
    expires_at   TIMESTAMPTZ NOT NULL,
    completed_at TIMESTAMPTZ,
    returned_at  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL
);

-- Per WooCommerce store state: the key in its webhook and plugin URLs, the
-- plugin's sealed signing secret, the reconcile cursor and webhook health.
CREATE TABLE woo_stores (
    shop_id              BIGINT PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
    store_url            TEXT NOT NULL,
    shop_key             TEXT NOT NULL UNIQUE,
    storefront_secret    BYTEA,
    reconciled_through   TIMESTAMPTZ,
    webhooks_paused      INTEGER NOT NULL DEFAULT 0,
    webhooks_checked_at  TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE woo_stores;
DROP TABLE woo_connections;
