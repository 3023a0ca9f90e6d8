package app

import (
	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/secure"
)

// routes lists every HTTP surface in one place.
func (a *App) routes(e *echo.Echo) {
	// Operators.
	e.GET("/healthz", a.healthz)
	e.GET("/readyz", a.readyz)

	// Platforms: install and connect, then webhooks (verify, store, enqueue).
	e.GET("/auth/shopify", a.shopifyInstall)
	e.GET("/auth/shopify/callback", a.shopifyCallback)
	e.GET("/auth/shopify/bounce", a.shopifyBounce)
	e.POST("/webhooks/shopify", a.shopifyWebhook)
	e.GET("/auth/woocommerce/start", a.wooStart)
	e.POST("/auth/woocommerce/callback", a.wooCallback)
	e.GET("/auth/woocommerce/return", a.wooReturn)
	e.POST("/webhooks/woocommerce/:shop", a.wooWebhook)

	// Carriers that push their news (AfterShip), so we poll less.
	e.POST("/webhooks/carriers/:name", a.carrierPush)

	// Message providers: delivery status and shopper replies.
	e.POST("/webhooks/messaging/sendgrid", a.sendgridEvents)
	e.POST("/webhooks/messaging/twilio/status", a.twilioStatus)
	e.POST("/webhooks/messaging/twilio/inbound", a.twilioInbound)
	e.POST("/webhooks/messaging/twilio/gather", a.twilioGather)

	// Shoppers: signed links, lookup, the storefront's app proxy, JSON for
	// extensions and the WooCommerce plugin. The pages take a strict CSP;
	// the app proxy's answer is rendered inside the shop's theme, whose
	// scripts such a policy would block.
	page := secure.ShopperPages(a.cfg.AppURL)
	e.GET("/t/:token", a.trackPage, page)
	e.POST("/t/:token/actions", a.trackAction, page)
	e.GET("/t/:token/unsubscribe", a.unsubscribeForm, page)
	e.POST("/t/:token/unsubscribe", a.unsubscribe, page)
	e.GET("/track", a.lookupForm, page)
	e.POST("/track", a.lookup, page)
	e.GET("/apps/track", a.appProxy)
	e.POST("/apps/track", a.appProxyLookup)
	e.GET("/api/track/:token", a.trackJSON)
	e.GET("/api/track/woocommerce/orders/:order_id", a.wooStorefront)
	e.GET("/api/track/orders/:id", a.extensionOrder)
	e.OPTIONS("/api/track/orders/:id", a.extensionOrder)

	// Merchants: signed-link or Shopify session-token admin.
	e.GET("/admin/login", a.adminLogin)
	e.POST("/admin/login", a.adminLoginRequest)
	e.GET("/admin/login/woocommerce", a.pluginLogin)
	admin := e.Group("/admin", a.requireAdmin)
	admin.GET("", a.admin.Home)
	admin.GET("/", a.admin.Home)
	admin.GET("/shipments", a.admin.Shipments)
	admin.GET("/shipments/:id", a.admin.Shipment)
	admin.GET("/outbox", a.admin.Outbox)
	admin.GET("/webhooks", a.admin.Webhooks)
	admin.POST("/webhooks/:id/replay", a.admin.Replay)
	admin.GET("/templates", a.admin.Templates)
	admin.POST("/templates/preview", a.admin.TemplatePreview)
	admin.GET("/templates/:trigger/:channel/:locale", a.admin.TemplateEdit)
	admin.POST("/templates/:trigger/:channel/:locale", a.admin.TemplateSubmit)
	admin.POST("/templates/:trigger/:channel/:locale/restore", a.admin.TemplateRestore)
	admin.POST("/templates/:trigger/:channel/:locale/reset", a.admin.TemplateReset)
	admin.GET("/settings", a.admin.Settings)
	admin.POST("/settings", a.admin.SaveSettings)
	admin.POST("/settings/carriers", a.admin.SaveCarrierAccount)
	admin.POST("/settings/plugin-secret", a.admin.RotatePluginSecret)
	admin.POST("/settings/sign-out-everywhere", a.admin.SignOutEverywhere)
	admin.GET("/analytics", a.admin.Analytics)
	admin.GET("/analytics.csv", a.admin.AnalyticsCSV)
}
