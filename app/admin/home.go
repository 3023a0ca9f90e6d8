package admin

import "github.com/labstack/echo/v4"

// Home shows the shipments by stage and problem, and what shoppers asked
// lately.
func (a *Pages) Home(c echo.Context) error {
	scope := a.db.Scope(a.signedIn(c).Shop.ID)
	ctx := c.Request().Context()
	stages, problems, err := scope.StageCounts(ctx)
	if err != nil {
		return err
	}
	actions, err := scope.Actions(ctx, 20)
	if err != nil {
		return err
	}
	return a.render(c, "home", map[string]any{"Stages": stages, "Problems": problems, "Actions": actions})
}
