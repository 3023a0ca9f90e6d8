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
	e.GET("/auth/shopify", a.install.ShopifyInstall)
	e.GET("/auth/shopify/callback", a.install.ShopifyCallback)
	e.GET("/auth/shopify/bounce", a.install.ShopifyBounce)
	e.POST("/webhooks/shopify", a.ingest.ShopifyWebhook)
	e.GET("/auth/woocommerce/start", a.install.WooStart)
	e.POST("/auth/woocommerce/callback", a.install.WooCallback)
	e.GET("/auth/woocommerce/return", a.install.WooReturn)
	e.POST("/webhooks/woocommerce/:shop", a.ingest.WooWebhook)

	// Carriers that push their news (AfterShip), so we poll less.
	e.POST("/webhooks/carriers/:name", a.ingest.CarrierPush)

	// Message providers: delivery status and shopper replies.
	e.POST("/webhooks/messaging/sendgrid", a.messaging.SendGridEvents)
	e.POST("/webhooks/messaging/twilio/status", a.messaging.TwilioStatus)
	e.POST("/webhooks/messaging/twilio/inbound", a.messaging.TwilioInbound)
	e.POST("/webhooks/messaging/twilio/gather", a.messaging.TwilioGather)

	// Shoppers: signed links, lookup, the storefront's app proxy, JSON for
	// extensions and the WooCommerce plugin. The pages take a strict CSP;
	// the app proxy's answer is rendered inside the shop's theme, whose
	// scripts such a policy would block.
	page := secure.ShopperPages(a.cfg.AppURL)
	e.GET("/t/:token", a.shopper.TrackPage, page)
	e.POST("/t/:token/actions", a.shopper.TrackAction, page)
	e.POST("/t/:token/consent", a.shopper.TrackConsent, page)
	e.GET("/t/:token/unsubscribe", a.shopper.UnsubscribeForm, page)
	e.POST("/t/:token/unsubscribe", a.shopper.Unsubscribe, page)
	e.GET("/track", a.shopper.LookupForm, page)
	e.POST("/track", a.shopper.Lookup, page)
	e.GET("/apps/track", a.shopper.AppProxy)
	e.POST("/apps/track", a.shopper.AppProxyLookup)
	e.GET("/api/track/:token", a.shopper.TrackJSON)
	e.GET("/api/track/woocommerce/orders/:order_id", a.shopper.WooStorefront)
	e.GET("/api/track/orders/:id", a.shopper.ExtensionOrder)
	e.OPTIONS("/api/track/orders/:id", a.shopper.ExtensionOrder)
	e.POST("/api/track/orders/:id/consent", a.shopper.ExtensionConsent)
	e.OPTIONS("/api/track/orders/:id/consent", a.shopper.ExtensionConsent)

	// Merchants' other tools: Shopify Flow's action (signed by Shopify) and
	// helpdesks (the shop's helpdesk key).
	e.POST("/flow/actions/send-tracking-update", a.flow.SendUpdate)
	e.GET("/api/helpdesk/customer", a.helpdesk.Customer)

	// Merchants: signed-link or Shopify session-token admin.
	e.GET("/admin/login", a.install.AdminLogin)
	e.POST("/admin/login", a.install.AdminLoginRequest)
	e.GET("/admin/login/woocommerce", a.install.PluginLogin)
	pages := e.Group("/admin", a.install.RequireAdmin)
	pages.GET("", a.admin.Home)
	pages.GET("/", a.admin.Home)
	pages.GET("/shipments", a.admin.Shipments)
	pages.GET("/shipments/:id", a.admin.Shipment)
	pages.POST("/actions/:id/handled", a.admin.HandleAction)
	pages.GET("/outbox", a.admin.Outbox)
	pages.GET("/outbox/:id", a.admin.Message)
	pages.GET("/consents", a.admin.Consents)
	pages.GET("/webhooks/:id", a.admin.Webhook)
	pages.GET("/webhooks", a.admin.Webhooks)
	pages.POST("/webhooks/:id/replay", a.admin.Replay)
	pages.GET("/templates", a.admin.Templates)
	pages.POST("/templates/preview", a.admin.TemplatePreview)
	pages.GET("/templates/:trigger/:channel/:locale", a.admin.TemplateEdit)
	pages.POST("/templates/:trigger/:channel/:locale", a.admin.TemplateSubmit)
	pages.POST("/templates/:trigger/:channel/:locale/restore", a.admin.TemplateRestore)
	pages.POST("/templates/:trigger/:channel/:locale/reset", a.admin.TemplateReset)
	pages.GET("/settings", a.admin.Settings)
	pages.POST("/settings", a.admin.SaveSettings)
	pages.POST("/settings/carriers", a.admin.SaveCarrierAccount)
	pages.POST("/settings/plugin-secret", a.admin.RotatePluginSecret)
	pages.POST("/settings/sign-out-everywhere", a.admin.SignOutEverywhere)
	pages.POST("/settings/integrations", a.admin.SaveIntegrations)
	pages.GET("/settings/whatsapp", a.admin.WhatsApp)
	pages.POST("/settings/whatsapp", a.admin.SaveWhatsApp)
	pages.GET("/settings/twilio", a.admin.Twilio)
	pages.POST("/settings/twilio", a.admin.SaveTwilio)
	pages.POST("/settings/helpdesk-key", a.admin.RotateHelpdeskKey)
	pages.GET("/analytics", a.admin.Analytics)
	pages.GET("/analytics.csv", a.admin.AnalyticsCSV)
}
