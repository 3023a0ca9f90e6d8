package admin

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// Home shows the shipments by stage, in pipeline order, and problem, and
// what shoppers asked lately, each request with its order.
func (a *Pages) Home(c echo.Context) error {
	scope := a.db.Scope(signedIn(c).Shop.ID)
	ctx := c.Request().Context()
	stages, problems, err := scope.StageCounts(ctx)
	if err != nil {
		return err
	}
	actions, err := scope.ActionRows(ctx, 20)
	if err != nil {
		return err
	}
	return a.render(c, "home", map[string]any{"Stages": inPipelineOrder(stages), "Problems": problems, "Actions": actions})
}

// HandleAction marks a shopper request handled (or new again, with
// status=new) and returns to the overview, which says so.
func (a *Pages) HandleAction(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound, "no such request")
	}
	status := "handled"
	if c.FormValue("status") == "new" {
		status = "new"
	}
	if err := a.db.Scope(signedIn(c).Shop.ID).SetActionStatus(c.Request().Context(), id, status); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin?handled="+strconv.FormatInt(id, 10)+"#requests")
}
