-- +goose Up
-- push_subscriptions is one shipment's push subscription with its carrier:
-- live while the carrier pushes (until expires_at when it lapses), failed
-- when the carrier refused it, ended once the shipment needs no news.
CREATE TABLE push_subscriptions (
    shipment_id     INTEGER PRIMARY KEY REFERENCES shipments(id) ON DELETE CASCADE,
    shop_id         INTEGER NOT NULL,
    carrier         TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    carrier_ref     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    subscribed_at   DATETIME NOT NULL,
    expires_at      DATETIME,
    last_push_at    DATETIME,
    pushes          INTEGER NOT NULL DEFAULT 0,
    failure         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX push_subscriptions_shop_carrier ON push_subscriptions (shop_id, carrier, status);
CREATE INDEX push_subscriptions_number ON push_subscriptions (tracking_number);
-- carrier_push_stats counts each carrier's pushes at the intake: accepted
-- and rejected (bad or missing credential), and the latest accepted.
CREATE TABLE carrier_push_stats (
    carrier      TEXT PRIMARY KEY,
    received     INTEGER NOT NULL DEFAULT 0,
    rejected     INTEGER NOT NULL DEFAULT 0,
    last_push_at DATETIME
);

-- +goose Down
DROP TABLE carrier_push_stats;
DROP TABLE push_subscriptions;
