-- +goose Up
ALTER TABLE shipments ADD COLUMN page_views INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE shipments DROP COLUMN page_views;
