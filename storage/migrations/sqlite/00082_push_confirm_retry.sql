-- +goose Up
-- confirmed_at is when a poll last found nothing the pushes had not
-- brought (silence since then is a parcel without news); retry_at and
-- attempts back off a subscribe call that failed.
ALTER TABLE push_subscriptions ADD COLUMN confirmed_at DATETIME;
ALTER TABLE push_subscriptions ADD COLUMN retry_at DATETIME;
ALTER TABLE push_subscriptions ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE push_subscriptions DROP COLUMN attempts;
ALTER TABLE push_subscriptions DROP COLUMN retry_at;
ALTER TABLE push_subscriptions DROP COLUMN confirmed_at;
