-- +goose Up
-- News the frequency cap held back and a later update about the same parcel
-- superseded: the outbox links the message it was merged into.
ALTER TABLE notifications ADD COLUMN merged_into INTEGER REFERENCES notifications(id) ON DELETE SET NULL;

-- +goose Down
ALTER TABLE notifications DROP COLUMN merged_into;
