package admin

import (
	"bytes"
	"encoding/json"
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
	data := map[string]any{"Deliveries": ds}
	if id := c.QueryParam("replayed"); id != "" {
		data["Notice"] = "Replay of delivery " + id + " queued: its status below changes to processed (or failed, with the reason) within seconds. Reload to see it."
	}
	return a.render(c, "webhooks", data)
}

// Webhook shows one delivery with its payload, pretty-printed when it is
// JSON, exactly as received otherwise.
func (a *Pages) Webhook(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound, "no such delivery")
	}
	d, err := a.db.Scope(a.signedIn(c).Shop.ID).Delivery(c.Request().Context(), id)
	if err != nil {
		return err
	}
	payload := string(d.Payload)
	var pretty bytes.Buffer
	if json.Indent(&pretty, d.Payload, "", "  ") == nil {
		payload = pretty.String()
	}
	return a.render(c, "webhook", map[string]any{"Nav": "webhooks", "D": d, "Payload": payload})
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
	return c.Redirect(http.StatusSeeOther, "/admin/webhooks?replayed="+strconv.FormatInt(id, 10))
}
