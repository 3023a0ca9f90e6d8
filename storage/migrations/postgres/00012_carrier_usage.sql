-- +goose Up
-- Calls spent per carrier account per UTC day, shared by every worker, so a
-- daily quota (DHL's starter key: 250 a day) holds across machines.
CREATE TABLE carrier_usage (
    account TEXT NOT NULL,
    day     TEXT NOT NULL,
    calls   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, day)
);

-- +goose Down
DROP TABLE carrier_usage;
