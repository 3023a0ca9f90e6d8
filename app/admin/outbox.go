package admin

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// Outbox lists the shop's latest messages with their delivery status.
func (a *Pages) Outbox(c echo.Context) error {
	ns, err := a.db.Scope(a.signedIn(c).Shop.ID).Notifications(c.Request().Context(), 200)
	if err != nil {
		return err
	}
	return a.render(c, "outbox", map[string]any{"Notifications": ns})
}

// Message shows one message as it was sent: an email's HTML rendered in a
// sandboxed frame (no scripts, no access to the admin), beside its subject
// and plain text; an SMS, WhatsApp message or call script as its text.
func (a *Pages) Message(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound, "no such message")
	}
	n, err := a.db.Scope(a.signedIn(c).Shop.ID).Notification(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return a.render(c, "message", map[string]any{"Nav": "outbox", "N": n})
}
