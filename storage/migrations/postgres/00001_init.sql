-- +goose Up
CREATE TABLE shops (
    id                  BIGSERIAL PRIMARY KEY,
    platform            TEXT NOT NULL,
    domain              TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'active',
    email               TEXT NOT NULL DEFAULT '',
    timezone            TEXT NOT NULL DEFAULT 'UTC',
    currency            TEXT NOT NULL DEFAULT 'USD',
    access_token        BYTEA,
    access_expires_at   TIMESTAMPTZ,
    refresh_token       BYTEA,
    refresh_expires_at  TIMESTAMPTZ,
    scopes              TEXT NOT NULL DEFAULT '',
    webhook_secret      BYTEA,
    api_key             BYTEA,
    api_secret          BYTEA,
    settings            JSONB NOT NULL DEFAULT '{}',
    installed_at        TIMESTAMPTZ,
    uninstalled_at      TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE orders (
    id                  BIGSERIAL PRIMARY KEY,
    shop_id             BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
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
    shipping_address    JSONB NOT NULL DEFAULT '{}',
    line_items          JSONB NOT NULL DEFAULT '[]',
    platform_updated_at TIMESTAMPTZ,
    cancelled_at        TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (shop_id, platform_id)
);
CREATE INDEX orders_shop_name ON orders (shop_id, name);

CREATE TABLE shipments (
    id                      BIGSERIAL PRIMARY KEY,
    shop_id                 BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    order_id                BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
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
    eta_earliest            TIMESTAMPTZ,
    eta_latest              TIMESTAMPTZ,
    eta_source              TEXT NOT NULL DEFAULT '',
    shipped_at              TIMESTAMPTZ,
    last_event_at           TIMESTAMPTZ,
    delivered_at            TIMESTAMPTZ,
    next_poll_at            TIMESTAMPTZ,
    last_polled_at          TIMESTAMPTZ,
    poll_count              INTEGER NOT NULL DEFAULT 0,
    poll_failures           INTEGER NOT NULL DEFAULT 0,
    not_found_since         TIMESTAMPTZ,
    expired                 BOOLEAN NOT NULL DEFAULT FALSE,
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL,
    UNIQUE (shop_id, carrier, tracking_number)
);
-- The scheduler's only query: cost grows with due work, not with the table.
CREATE INDEX shipments_due ON shipments (next_poll_at) WHERE next_poll_at IS NOT NULL;
CREATE INDEX shipments_order ON shipments (order_id);
CREATE INDEX shipments_shop_stage ON shipments (shop_id, stage, created_at);
CREATE INDEX shipments_shop_number ON shipments (shop_id, tracking_number);

CREATE TABLE tracking_events (
    id          BIGSERIAL PRIMARY KEY,
    shop_id     BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    shipment_id BIGINT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    stage       TEXT NOT NULL,
    problem     TEXT NOT NULL DEFAULT '',
    code        TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (shipment_id, fingerprint)
);

CREATE TABLE eta_changes (
    id          BIGSERIAL PRIMARY KEY,
    shop_id     BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    shipment_id BIGINT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    earliest    TIMESTAMPTZ,
    latest      TIMESTAMPTZ,
    source      TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX eta_changes_shipment ON eta_changes (shipment_id, created_at);

CREATE TABLE shipment_triggers (
    id          BIGSERIAL PRIMARY KEY,
    shop_id     BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    shipment_id BIGINT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    trigger     TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (shipment_id, key)
);

CREATE TABLE webhook_deliveries (
    id           BIGSERIAL PRIMARY KEY,
    shop_id      BIGINT REFERENCES shops(id) ON DELETE CASCADE,
    platform     TEXT NOT NULL,
    delivery_id  TEXT NOT NULL,
    topic        TEXT NOT NULL DEFAULT '',
    shop_domain  TEXT NOT NULL DEFAULT '',
    payload      BYTEA NOT NULL,
    status       TEXT NOT NULL DEFAULT 'received',
    error        TEXT NOT NULL DEFAULT '',
    attempts     INTEGER NOT NULL DEFAULT 0,
    received_at  TIMESTAMPTZ NOT NULL,
    processed_at TIMESTAMPTZ,
    UNIQUE (platform, delivery_id)
);
CREATE INDEX webhook_deliveries_shop_status ON webhook_deliveries (shop_id, status, received_at);

CREATE TABLE message_templates (
    id         BIGSERIAL PRIMARY KEY,
    shop_id    BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    trigger    TEXT NOT NULL,
    channel    TEXT NOT NULL,
    locale     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (shop_id, trigger, channel, locale, version)
);

CREATE TABLE notifications (
    id          BIGSERIAL PRIMARY KEY,
    shop_id     BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    shipment_id BIGINT REFERENCES shipments(id) ON DELETE CASCADE,
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
    send_at     TIMESTAMPTZ,
    sent_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (shop_id, dedupe_key)
);
CREATE INDEX notifications_shop_created ON notifications (shop_id, created_at);
CREATE INDEX notifications_provider_id ON notifications (provider, provider_id);

CREATE TABLE customer_actions (
    id          BIGSERIAL PRIMARY KEY,
    shop_id     BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    shipment_id BIGINT REFERENCES shipments(id) ON DELETE CASCADE,
    order_id    BIGINT REFERENCES orders(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    source      TEXT NOT NULL,
    details     JSONB NOT NULL DEFAULT '{}',
    status      TEXT NOT NULL DEFAULT 'new',
    created_at  TIMESTAMPTZ NOT NULL
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
