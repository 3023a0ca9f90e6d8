package admin

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// Shipments lists the shop's shipments, filtered by stage, problem,
// carrier, a search and a range of days.
func (a *Pages) Shipments(c echo.Context) error {
	shop := a.signedIn(c).Shop
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
	return a.render(c, "shipments", map[string]any{"Shipments": rows, "Filter": f, "StageOptions": stages, "ProblemOptions": problems,
		"From": c.QueryParam("from"), "To": c.QueryParam("to")})
}

// Shipment shows one shipment: its full timeline, the messages sent
// about it with their delivery status, and what the shopper asked.
func (a *Pages) Shipment(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "bad shipment id")
	}
	ctx := c.Request().Context()
	scope := a.db.Scope(a.signedIn(c).Shop.ID)
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
	turns, err := scope.ShipmentCallTurns(ctx, ship.ID)
	if err != nil {
		return err
	}
	return a.render(c, "shipment", map[string]any{"Ship": ship, "Events": events, "Messages": msgs, "Actions": acts, "CallTurns": turns, "Nav": "shipments"})
}
