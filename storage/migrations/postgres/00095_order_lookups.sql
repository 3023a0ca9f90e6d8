-- +goose Up
-- A shopper who finds their order with the lookup form (order number and
-- email) is one more shopper who had to ask where it is: analytics counts
-- lookups with requests and replies in the contact rate.
CREATE TABLE order_lookups (
    id          BIGSERIAL PRIMARY KEY,
    shop_id     BIGINT NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    shipment_id BIGINT NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX order_lookups_shop_created ON order_lookups (shop_id, created_at);

-- +goose Down
DROP TABLE order_lookups;
