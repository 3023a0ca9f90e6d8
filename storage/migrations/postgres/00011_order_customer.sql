-- +goose Up
-- The platform's customer id (Shopify Customer GID), so a signed-in
-- customer's extension sees only their own orders.
ALTER TABLE orders ADD COLUMN customer_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE orders DROP COLUMN customer_id;
