-- +goose Up
-- Order webhooks carry no images: the image of each ordered variant (else
-- its product's featured image) is read once from the platform and kept
-- here for the tracking page. An empty url records that it has none.
CREATE TABLE product_images (
    shop_id    INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    product    TEXT NOT NULL,
    url        TEXT NOT NULL,
    alt        TEXT NOT NULL,
    fetched_at DATETIME NOT NULL,
    PRIMARY KEY (shop_id, product)
);

-- +goose Down
DROP TABLE product_images;
