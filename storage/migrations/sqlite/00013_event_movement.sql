-- +goose Up
-- Whether a scan put the parcel inside a facility ("arrived") or on its way
-- out of one ("departed"), as the carrier adapter read it; the polling
-- policy watches parcels at a facility more closely. Older scans say neither.
ALTER TABLE tracking_events ADD COLUMN movement TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE tracking_events DROP COLUMN movement;
