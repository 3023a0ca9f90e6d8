-- +goose Up
-- Who the merchant is, read from the platform at install and on shop/update:
-- the shop's primary language and its plan.
ALTER TABLE shops ADD COLUMN locale TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN plan TEXT NOT NULL DEFAULT '';
-- When the shopper last wrote to us on this channel: WhatsApp allows free
-- text only within 24 h of it.
ALTER TABLE contacts ADD COLUMN last_inbound_at DATETIME;
-- SMS segments and call minutes a message cost, for the monthly caps.
ALTER TABLE notifications ADD COLUMN units INTEGER NOT NULL DEFAULT 0;
-- Every consent a shopper gave, with its proof: when, where, the words shown,
-- from which IP or number; pending until confirmed where a double opt-in is
-- required.
CREATE TABLE consents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id       INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    order_id      INTEGER REFERENCES orders(id) ON DELETE SET NULL,
    channel       TEXT NOT NULL,
    address       TEXT NOT NULL,
    source        TEXT NOT NULL,
    wording       TEXT NOT NULL,
    ip            TEXT NOT NULL DEFAULT '',
    locale        TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    double_opt_in BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    DATETIME NOT NULL,
    confirmed_at  DATETIME
);
CREATE INDEX consents_address ON consents (shop_id, address);

-- +goose Down
DROP INDEX consents_address;
DROP TABLE consents;
ALTER TABLE notifications DROP COLUMN units;
ALTER TABLE contacts DROP COLUMN last_inbound_at;
ALTER TABLE shops DROP COLUMN plan;
ALTER TABLE shops DROP COLUMN locale;
