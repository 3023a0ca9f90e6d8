-- +goose Up
-- Calls each shop spent of a platform carrier account's daily quota, so the
-- quota is shared fairly between shops (carrier_usage keeps the total).
CREATE TABLE carrier_shop_usage (
    account TEXT NOT NULL,
    day     TEXT NOT NULL,
    shop_id BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    calls   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, day, shop_id)
);

-- What processing a delivery left undone on purpose (tracking numbers over
-- the per-fulfillment limit), shown on the admin's webhook page.
ALTER TABLE webhook_deliveries ADD COLUMN note TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE webhook_deliveries DROP COLUMN note;
DROP TABLE carrier_shop_usage;
