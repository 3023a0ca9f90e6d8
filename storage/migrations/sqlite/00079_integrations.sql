-- +goose Up
-- klaviyo_key is the shop's Klaviyo private API key, sealed like the other
-- secrets; helpdesk_key is the key a helpdesk (Gorgias, Zendesk) sends,
-- sealed so the admin can show it again, and helpdesk_key_hash its SHA-256,
-- which finds the shop a request is for.
ALTER TABLE shops ADD COLUMN klaviyo_key BLOB;
ALTER TABLE shops ADD COLUMN helpdesk_key BLOB;
ALTER TABLE shops ADD COLUMN helpdesk_key_hash BLOB;
CREATE UNIQUE INDEX shops_helpdesk_key_hash ON shops (helpdesk_key_hash);
-- A helpdesk asks for a customer's orders by email.
CREATE INDEX orders_shop_email ON orders (shop_id, lower(email));

-- +goose Down
DROP INDEX orders_shop_email;
DROP INDEX shops_helpdesk_key_hash;
ALTER TABLE shops DROP COLUMN helpdesk_key_hash;
ALTER TABLE shops DROP COLUMN helpdesk_key;
ALTER TABLE shops DROP COLUMN klaviyo_key;
