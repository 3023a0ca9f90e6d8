-- +goose Up
-- A tracking page lists its shipments' requests: find them by shipment,
-- not by reading every request of the shop (a cost that grew with the
-- shop's history), and let a deleted shipment's requests go by index.
CREATE INDEX customer_actions_shipment ON customer_actions (shipment_id, created_at);

-- +goose Down
DROP INDEX customer_actions_shipment;
