-- +goose Up
-- One exchange of an update call: what the call said, what it heard (keys
-- or speech, with the recogniser's confidence) and what it did. The admin
-- shows them as the call's transcript; customers/redact empties them.
CREATE TABLE call_turns (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id         INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    notification_id INTEGER NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
    shipment_id     INTEGER REFERENCES shipments(id) ON DELETE CASCADE,
    heard           TEXT NOT NULL DEFAULT '',
    input           TEXT NOT NULL DEFAULT '',
    confidence      REAL NOT NULL DEFAULT 0,
    said            TEXT NOT NULL DEFAULT '',
    action          TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL
);
CREATE INDEX call_turns_shipment ON call_turns (shipment_id, id);

-- +goose Down
DROP TABLE call_turns;
