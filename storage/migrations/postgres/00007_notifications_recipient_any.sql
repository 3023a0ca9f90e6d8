-- +goose Up
-- An inbound SMS names only the shopper's number: STOP and CONFIRM look up
-- the messages every shop sent to it, without a shop id.
CREATE INDEX notifications_recipient_any ON notifications (recipient, created_at);

-- +goose Down
DROP INDEX notifications_recipient_any;
