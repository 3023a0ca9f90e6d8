-- +goose Up
ALTER TABLE shipments ADD COLUMN stage_at DATETIME;
ALTER TABLE shipments ADD COLUMN problem_at DATETIME;
-- Where the shopper lives, so quiet hours and dates are theirs.
ALTER TABLE orders ADD COLUMN country TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE orders DROP COLUMN country;
ALTER TABLE shipments DROP COLUMN problem_at;
ALTER TABLE shipments DROP COLUMN stage_at;
