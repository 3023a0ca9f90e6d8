-- +goose Up
-- A shopper's consent and opt-out per channel and address, per shop
-- (SMS STOP, unsubscribe link, checkout consent).
CREATE TABLE contacts (
    id         BIGSERIAL PRIMARY KEY,
    shop_id    BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    channel    TEXT NOT NULL,
    address    TEXT NOT NULL,
    consent    BOOLEAN NOT NULL DEFAULT FALSE,
    opted_out  BOOLEAN NOT NULL DEFAULT FALSE,
    source     TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (shop_id, channel, address)
);
CREATE INDEX notifications_recipient ON notifications (shop_id, recipient, created_at);

-- +goose Down
DROP INDEX notifications_recipient;
DROP TABLE contacts;
