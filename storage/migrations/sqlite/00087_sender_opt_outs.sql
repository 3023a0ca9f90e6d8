-- +goose Up
-- A STOP texted to a shared sender (the platform's number, which many shops
-- send from) opts the number out of that sender for every shop on it;
-- START removes the row.
CREATE TABLE sender_opt_outs (
    sender     TEXT NOT NULL,
    channel    TEXT NOT NULL,
    number     TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (sender, channel, number)
);

-- +goose Down
DROP TABLE sender_opt_outs;
