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
}
