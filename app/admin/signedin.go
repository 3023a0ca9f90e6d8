package admin

import (
	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/storage"
)

// session is what the admin middleware resolved for a request.
type session struct {
	Shop *storage.Shop
	// CSRF is the token every form posts back; empty in the embedded
	// admin, whose forms post a session token instead.
	CSRF string
	// Embedded is what the layout needs to run inside Shopify admin (App
	// Bridge's API key, the shop and host), nil on the standalone admin.
	Embedded any
}

// signedIn reads the shop, CSRF token and embedding the admin middleware
// set on the request; every handler here runs behind that middleware.
func signedIn(c echo.Context) session {
	csrf, _ := c.Get("csrf").(string)
	return session{Shop: c.Get("shop").(*storage.Shop), CSRF: csrf, Embedded: c.Get("embedded")}
}
