package app

import (
	"github.com/labstack/echo/v4"
)

// routes lists every HTTP surface in one place.
func (a *App) routes(e *echo.Echo) {
	e.GET("/healthz", a.healthz)
	e.GET("/readyz", a.readyz)
	e.GET("/metrics", echo.WrapHandler(a.metrics.handler()))

	e.POST("/webhooks/shopify", a.shopifyWebhook)

	e.GET("/t/:token", a.trackPage)
	e.POST("/t/:token/actions", a.trackAction)
	e.GET("/t/:token/unsubscribe", a.unsubscribe)
	e.GET("/track", a.lookupForm)
	e.POST("/track", a.lookup)
	e.GET("/apps/track", a.appProxy)
	e.GET("/api/track/:token", a.trackJSON)

	e.GET("/admin/login", a.adminLogin)
	admin := e.Group("/admin", a.requireAdmin)
	admin.GET("", a.adminHome)
	admin.GET("/shipments", a.adminShipments)
	admin.GET("/outbox", a.adminOutbox)
	admin.GET("/webhooks", a.adminWebhooks)
	admin.POST("/webhooks/:id/replay", a.adminReplay)
	admin.GET("/analytics", a.adminAnalytics)
	admin.GET("/analytics.csv", a.adminAnalyticsCSV)
}
