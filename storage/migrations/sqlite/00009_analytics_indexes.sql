-- +goose Up
-- Analytics reads a shop's shipments by creation date; the stage-first index
-- cannot serve a date range across all stages.
CREATE INDEX shipments_shop_created ON shipments (shop_id, created_at);
-- Problem events are a small share of all scans: a partial index finds them
-- without reading the rest.
CREATE INDEX tracking_events_shop_problem ON tracking_events (shop_id, problem, shipment_id) WHERE problem <> '';
CREATE INDEX customer_actions_shop_kind ON customer_actions (shop_id, kind, shipment_id);
CREATE INDEX notifications_shipment ON notifications (shipment_id);

-- +goose Down
DROP INDEX notifications_shipment;
DROP INDEX customer_actions_shop_kind;
DROP INDEX tracking_events_shop_problem;
DROP INDEX shipments_shop_created;
