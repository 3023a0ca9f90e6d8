-- +goose Up
CREATE TABLE shops (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    platform            TEXT NOT NULL,
    domain              TEXT NOT NULL UNIQUE,
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
    updated_at          DATETIME NOT NULL
);

CREATE TABLE orders (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id             INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    platform_id         TEXT NOT NULL,
    name                TEXT NOT NULL DEFAULT '',
    email               TEXT NOT NULL DEFAULT '',
    phone               TEXT NOT NULL DEFAULT '',
    customer_name       TEXT NOT NULL DEFAULT '',
    locale              TEXT NOT NULL DEFAULT 'en',
    timezone            TEXT NOT NULL DEFAULT '',
    currency            TEXT NOT NULL DEFAULT '',
    total               TEXT NOT NULL DEFAULT '',
    cod                 BOOLEAN NOT NULL DEFAULT FALSE,
    shipping_address    TEXT NOT NULL DEFAULT '{}',
    line_items          TEXT NOT NULL DEFAULT '[]',
    platform_updated_at DATETIME,
    cancelled_at        DATETIME,
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL,
    UNIQUE (shop_id, platform_id)
);
CREATE INDEX orders_shop_name ON orders (shop_id, name);

CREATE TABLE shipments (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id                 INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    order_id                INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    platform_fulfillment_id TEXT NOT NULL DEFAULT '',
    carrier                 TEXT NOT NULL,
    carrier_company         TEXT NOT NULL DEFAULT '',
    service                 TEXT NOT NULL DEFAULT '',
    tracking_number         TEXT NOT NULL,
    tracking_url            TEXT NOT NULL DEFAULT '',
    public_token            TEXT NOT NULL UNIQUE,
    stage                   TEXT NOT NULL,
    problem                 TEXT NOT NULL DEFAULT '',
    substatus               TEXT NOT NULL DEFAULT '',
    origin_country          TEXT NOT NULL DEFAULT '',
    origin_region           TEXT NOT NULL DEFAULT '',
    dest_country            TEXT NOT NULL DEFAULT '',
    dest_region             TEXT NOT NULL DEFAULT '',
    eta_earliest            DATETIME,
    eta_latest              DATETIME,
    eta_source              TEXT NOT NULL DEFAULT '',
    shipped_at              DATETIME,
    last_event_at           DATETIME,
    delivered_at            DATETIME,
    next_poll_at            DATETIME,
    last_polled_at          DATETIME,
    poll_count              INTEGER NOT NULL DEFAULT 0,
    poll_failures           INTEGER NOT NULL DEFAULT 0,
    not_found_since         DATETIME,
    expired                 BOOLEAN NOT NULL DEFAULT FALSE,
    created_at              DATETIME NOT NULL,
    updated_at              DATETIME NOT NULL,
    UNIQUE (shop_id, carrier, tracking_number)
);
-- The scheduler's only query: cost grows with due work, not with the table.
CREATE INDEX shipments_due ON shipments (next_poll_at) WHERE next_poll_at IS NOT NULL;
CREATE INDEX shipments_order ON shipments (order_id);
CREATE INDEX shipments_shop_stage ON shipments (shop_id, stage, created_at);
CREATE INDEX shipments_shop_number ON shipments (shop_id, tracking_number);

CREATE TABLE tracking_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id     INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    shipment_id INTEGER NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    occurred_at DATETIME NOT NULL,
    stage       TEXT NOT NULL,
    problem     TEXT NOT NULL DEFAULT '',
    code        TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    UNIQUE (shipment_id, fingerprint)
);

CREATE TABLE eta_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id     INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    shipment_id INTEGER NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    earliest    DATETIME,
    latest      DATETIME,
    source      TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
CREATE INDEX eta_changes_shipment ON eta_changes (shipment_id, created_at);

CREATE TABLE shipment_triggers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id     INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    shipment_id INTEGER NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    trigger     TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    UNIQUE (shipment_id, key)
);

CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id      INTEGER REFERENCES shops(id) ON DELETE CASCADE,
    platform     TEXT NOT NULL,
    delivery_id  TEXT NOT NULL,
    topic        TEXT NOT NULL DEFAULT '',
    shop_domain  TEXT NOT NULL DEFAULT '',
    payload      BLOB NOT NULL,
    status       TEXT NOT NULL DEFAULT 'received',
    error        TEXT NOT NULL DEFAULT '',
    attempts     INTEGER NOT NULL DEFAULT 0,
    received_at  DATETIME NOT NULL,
    processed_at DATETIME,
    UNIQUE (platform, delivery_id)
);
CREATE INDEX webhook_deliveries_shop_status ON webhook_deliveries (shop_id, status, received_at);

CREATE TABLE message_templates (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id    INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    trigger    TEXT NOT NULL,
    channel    TEXT NOT NULL,
    locale     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    body       TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    UNIQUE (shop_id, trigger, channel, locale, version)
);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id     INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    shipment_id INTEGER REFERENCES shipments(id) ON DELETE CASCADE,
    trigger     TEXT NOT NULL,
    channel     TEXT NOT NULL,
    recipient   TEXT NOT NULL DEFAULT '',
    dedupe_key  TEXT NOT NULL,
    status      TEXT NOT NULL,
    provider    TEXT NOT NULL DEFAULT '',
    provider_id TEXT NOT NULL DEFAULT '',
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    html        TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    send_at     DATETIME,
    sent_at     DATETIME,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    UNIQUE (shop_id, dedupe_key)
);
CREATE INDEX notifications_shop_created ON notifications (shop_id, created_at);
CREATE INDEX notifications_provider_id ON notifications (provider, provider_id);

CREATE TABLE customer_actions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id     INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    shipment_id INTEGER REFERENCES shipments(id) ON DELETE CASCADE,
    order_id    INTEGER REFERENCES orders(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    source      TEXT NOT NULL,
    details     TEXT NOT NULL DEFAULT '{}',
    status      TEXT NOT NULL DEFAULT 'new',
    created_at  DATETIME NOT NULL
);
CREATE INDEX customer_actions_shop_created ON customer_actions (shop_id, created_at);

-- +goose Down
DROP TABLE customer_actions;
DROP TABLE notifications;
DROP TABLE message_templates;
DROP TABLE webhook_deliveries;
DROP TABLE shipment_triggers;
DROP TABLE eta_changes;
DROP TABLE tracking_events;
DROP TABLE shipments;
DROP TABLE orders;
DROP TABLE shops;
