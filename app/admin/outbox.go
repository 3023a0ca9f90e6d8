package admin

import "github.com/labstack/echo/v4"

// Outbox lists the shop's latest messages with their delivery status.
func (a *Pages) Outbox(c echo.Context) error {
	ns, err := a.db.Scope(a.signedIn(c).Shop.ID).Notifications(c.Request().Context(), 200)
	if err != nil {
		return err
	}
	return a.render(c, "outbox", map[string]any{"Notifications": ns})
}
