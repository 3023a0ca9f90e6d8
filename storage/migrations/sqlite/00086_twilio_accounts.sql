-- +goose Up
-- A merchant's own Twilio account: the shop's SMS, WhatsApp messages and
-- calls go through it, billed to the merchant. auth_token is sealed like
-- the other secrets; account_sid finds the token that signed a webhook.
CREATE TABLE twilio_accounts (
    shop_id       INTEGER PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
    account_sid   TEXT NOT NULL,
    auth_token    BLOB NOT NULL,
    sms_from      TEXT NOT NULL DEFAULT '',
    whatsapp_from TEXT NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE INDEX twilio_accounts_sid ON twilio_accounts (account_sid);

-- +goose Down
DROP INDEX twilio_accounts_sid;
DROP TABLE twilio_accounts;
