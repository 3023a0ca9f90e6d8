package app

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/install"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/templates"
)

func parseAdminTemplates() (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	for _, page := range []string{"home", "shipments", "outbox", "webhooks", "templates", "template_edit", "settings", "analytics", "shipment"} {
		t, err := template.New("").Funcs(adminFuncs).ParseFS(templates.Admin, "admin/layout.html", "admin/"+page+".html")
		if err != nil {
			return nil, fmt.Errorf("admin template %s: %w", page, err)
		}
		out[page] = t
	}
	return out, nil
}

func (a *App) renderAdmin(c echo.Context, page string, data map[string]any) error {
	return a.renderAdminCode(c, http.StatusOK, page, data)
}

// renderAdminCode renders a page with a status, e.g. 422 for a form shown
// again with its errors. data may set Nav when the page belongs to another
// section (the template editor under Templates).
func (a *App) renderAdminCode(c echo.Context, code int, page string, data map[string]any) error {
	shop := adminShop(c)
	if _, ok := data["Nav"]; !ok {
		data["Nav"] = page
	}
	data["Title"], data["ShopName"], data["CSRF"] = page, shop.Name, install.CSRF(c)
	if e := install.Embedded(c); e != nil {
		data["Embedded"] = e
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().WriteHeader(code)
	return a.adminPages[page].ExecuteTemplate(c.Response(), "layout", data)
}

func (a *App) adminHome(c echo.Context) error {
	scope := a.db.Scope(adminShop(c).ID)
	ctx := c.Request().Context()
	stages, problems, err := scope.StageCounts(ctx)
	if err != nil {
		return err
	}
	actions, err := scope.Actions(ctx, 20)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, "home", map[string]any{"Stages": stages, "Problems": problems, "Actions": actions})
}

func (a *App) adminShipments(c echo.Context) error {
	shop := adminShop(c)
	f := storage.ShipmentFilter{Stage: c.QueryParam("stage"), Problem: c.QueryParam("problem"), Carrier: c.QueryParam("carrier"), Query: c.QueryParam("q")}
	// Days are the shop's, as in analytics: a shipment created late in the
	// evening in New York belongs to that day, not to the next UTC one.
	if d, err := time.ParseInLocation(time.DateOnly, c.QueryParam("from"), shop.Location()); err == nil {
		f.From = d
	}
	if d, err := time.ParseInLocation(time.DateOnly, c.QueryParam("to"), shop.Location()); err == nil {
		f.To = d.AddDate(0, 0, 1) // the whole "to" day
	}
	rows, err := a.db.Scope(shop.ID).Shipments(c.Request().Context(), f)
	if err != nil {
		return err
	}
	var problems []string
	for _, p := range tracking.Problems[1:] {
		problems = append(problems, string(p))
	}
	var stages []string
	for _, s := range tracking.Stages {
		stages = append(stages, string(s))
	}
	return a.renderAdmin(c, "shipments", map[string]any{"Shipments": rows, "Filter": f, "StageOptions": stages, "ProblemOptions": problems,
		"From": c.QueryParam("from"), "To": c.QueryParam("to")})
}

// adminShipment shows one shipment: its full timeline, the messages sent
// about it with their delivery status, and what the shopper asked.
func (a *App) adminShipment(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "bad shipment id")
	}
	ctx := c.Request().Context()
	scope := a.db.Scope(adminShop(c).ID)
	ship, err := scope.Shipment(ctx, id)
	if err != nil {
		return err
	}
	events, err := a.db.Events(ctx, ship.ID)
	if err != nil {
		return err
	}
	slices.Reverse(events) // newest first, as on the tracking page
	msgs, err := scope.ShipmentNotifications(ctx, ship.ID)
	if err != nil {
		return err
	}
	acts, err := scope.ShipmentActions(ctx, ship.ID)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, "shipment", map[string]any{"Ship": ship, "Events": events, "Messages": msgs, "Actions": acts, "Nav": "shipments"})
}

func (a *App) adminOutbox(c echo.Context) error {
	ns, err := a.db.Scope(adminShop(c).ID).Notifications(c.Request().Context(), 200)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, "outbox", map[string]any{"Notifications": ns})
}

func (a *App) adminWebhooks(c echo.Context) error {
	ds, err := a.db.Scope(adminShop(c).ID).Deliveries(c.Request().Context(), c.QueryParam("status"), 200)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, "webhooks", map[string]any{"Deliveries": ds})
}

// adminReplay re-processes a failed delivery from its stored payload.
func (a *App) adminReplay(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "bad delivery id")
	}
	ctx := c.Request().Context()
	err = a.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.Shop(adminShop(c).ID).ResetDelivery(ctx, id); err != nil {
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
