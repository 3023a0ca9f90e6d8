-- +goose Up
-- Analytics reads a shop's shipments by creation date; the stage-first index
-- cannot serve a date range across all stages.
CREATE INDEX shipments_shop_created ON shipments (shop_id, created_at);
-- Problem events are a small share of all scans: a partial index finds them
-- without reading the rest.
CREATE INDEX tracking_events_shop_problem ON tracking_events (shop_id, problem, shipment_id) WHERE problem <> '';

-- +goose Down
DROP INDEX tracking_events_shop_problem;
DROP INDEX shipments_shop_created;
