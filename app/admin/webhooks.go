package admin

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
)

// Webhooks lists the shop's latest webhook deliveries, optionally of one
// status.
func (a *Pages) Webhooks(c echo.Context) error {
	ds, err := a.db.Scope(a.signedIn(c).Shop.ID).Deliveries(c.Request().Context(), c.QueryParam("status"), 200)
	if err != nil {
		return err
	}
	return a.render(c, "webhooks", map[string]any{"Deliveries": ds})
}

// Replay re-processes a failed delivery from its stored payload.
func (a *Pages) Replay(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "bad delivery id")
	}
	ctx := c.Request().Context()
	err = a.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.Shop(a.signedIn(c).Shop.ID).ResetDelivery(ctx, id); err != nil {
			return err
		}
		_, err := a.jobs.InsertTx(ctx, tx.SQL(), jobs.ProcessWebhookArgs{DeliveryID: id}, jobs.ReplayOpts())
		return err
	})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/webhooks")
}
