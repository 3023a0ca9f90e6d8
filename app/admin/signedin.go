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

// signedIn is the session the admin middleware (Sessions) resolved for
// the request; every handler here runs behind that middleware.
func (a *Pages) signedIn(c echo.Context) session {
	shop, csrf, embedded := a.sessions.SignedIn(c)
	return session{Shop: shop, CSRF: csrf, Embedded: embedded}
}
