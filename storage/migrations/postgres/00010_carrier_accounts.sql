-- +goose Up
-- A merchant's own carrier API credentials (sealed JSON), used instead of
-- the platform's for that shop's shipments on that carrier.
CREATE TABLE carrier_accounts (
    id          BIGSERIAL PRIMARY KEY,
    shop_id     BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    carrier     TEXT NOT NULL,
    credentials BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (shop_id, carrier)
);

-- +goose Down
DROP TABLE carrier_accounts;
