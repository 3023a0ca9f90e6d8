-- +goose Up
-- fulfillments keeps the newest state of each platform fulfillment, so a
-- stale fulfillments/update (webhooks arrive out of order) changes nothing.
CREATE TABLE fulfillments (
    id                  BIGSERIAL PRIMARY KEY,
    shop_id             BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    order_id            BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    platform_id         TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT '',
    platform_updated_at TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (shop_id, platform_id)
);
CREATE INDEX fulfillments_order ON fulfillments (order_id);
-- ended says why a shipment is no longer tracked (its fulfillment was
-- cancelled, its number replaced or removed, the order cancelled or
-- refunded); an ended shipment stays in the history and is never polled.
ALTER TABLE shipments ADD COLUMN ended TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN ended_at TIMESTAMPTZ;
-- kind is '' for a parcel to the shopper, 'return' for one coming back.
ALTER TABLE shipments ADD COLUMN kind TEXT NOT NULL DEFAULT '';
-- items are the order lines the parcel carries, when the store says.
ALTER TABLE shipments ADD COLUMN items JSONB NOT NULL DEFAULT '[]';
-- public_token opens the order's page before anything has shipped.
ALTER TABLE orders ADD COLUMN public_token TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX orders_public_token ON orders (public_token) WHERE public_token <> '';
-- stopped says why the whole order is no longer tracked (cancelled,
-- refunded, every item removed), kept apart from the platform's cancelled_at.
ALTER TABLE orders ADD COLUMN stopped TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN stopped_at TIMESTAMPTZ;
-- shipping_method is the delivery method the shopper chose at checkout.
ALTER TABLE orders ADD COLUMN shipping_method TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE orders DROP COLUMN shipping_method;
ALTER TABLE orders DROP COLUMN stopped_at;
ALTER TABLE orders DROP COLUMN stopped;
DROP INDEX orders_public_token;
ALTER TABLE orders DROP COLUMN public_token;
ALTER TABLE shipments DROP COLUMN items;
ALTER TABLE shipments DROP COLUMN kind;
ALTER TABLE shipments DROP COLUMN ended_at;
ALTER TABLE shipments DROP COLUMN ended;
DROP TABLE fulfillments;
