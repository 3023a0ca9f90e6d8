-- +goose Up
-- A merchant's own carrier API credentials (sealed JSON), used instead of
-- the platform's for that shop's shipments on that carrier.
CREATE TABLE carrier_accounts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id     INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    carrier     TEXT NOT NULL,
    credentials BLOB NOT NULL,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    UNIQUE (shop_id, carrier)
);

-- +goose Down
DROP TABLE carrier_accounts;
