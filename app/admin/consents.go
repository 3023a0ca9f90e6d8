package admin

import (
	"strings"

	"github.com/labstack/echo/v4"
)

// Consents lists the shoppers' consents to texts, WhatsApp and calls as
// proof: when, where (tracking page, order status page, checkout, a
// START reply), the words they were shown, the number and IP, and whether
// it waits for their YES. ?number= keeps one number's.
func (a *Pages) Consents(c echo.Context) error {
	number := strings.TrimSpace(c.QueryParam("number"))
	rows, err := a.db.Scope(a.signedIn(c).Shop.ID).Consents(c.Request().Context(), number, 500)
	if err != nil {
		return err
	}
	return a.render(c, "consents", map[string]any{"Consents": rows, "Number": number})
}

// consentSources say where a consent was given.
var consentSources = map[string]string{
	"tracking_page": "Tracking page", "order_status_page": "Shopify order status page",
	"woocommerce_checkout": "WooCommerce checkout", "reply": "Reply to a message",
}

// consentStatuses say where a consent stands.
var consentStatuses = map[string]string{
	"pending": "Waiting for the shopper's YES", "confirmed": "Confirmed", "withdrawn": "Withdrawn",
}
