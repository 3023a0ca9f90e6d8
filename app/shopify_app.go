package app

import (
	"strings"

	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/integrations/shopify"
)

// shopifyAPI returns the configured Shopify app, or nil.
func (a *App) shopifyAPI() *platform.Shopify { return a.shopify }

// setupShopify builds the Shopify app from the configuration. baseURL maps a
// shop to the origin its calls go to; nil is production ("https://" + shop).
func (a *App) setupShopify(baseURL func(shop string) string) error {
	sh, err := platform.NewShopify(shopify.Config{
		APIKey: a.cfg.ShopifyAPIKey, APISecret: a.cfg.ShopifyAPISecret, Scopes: strings.Split(a.cfg.ShopifyScopes, ","),
		BaseURL: baseURL, Now: a.now,
	}, a.db)
	a.shopify = sh
	return err
}
