package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/storage"
)

// unshippedWindowDays is how far back the overview looks for orders still
// to ship: older ones were fulfilled some other way or are not coming.
const unshippedWindowDays = 60

// Home shows the shipments by stage, in pipeline order, and problem, the
// orders still to ship, what shoppers asked lately (each request with its
// order) and, for a Shopify shop installed before the app asked for more,
// the permissions still to approve.
func (a *Pages) Home(c echo.Context) error {
	shop := a.signedIn(c).Shop
	scope := a.db.Scope(shop.ID)
	ctx := c.Request().Context()
	stages, problems, err := scope.StageCounts(ctx)
	if err != nil {
		return err
	}
	actions, err := scope.ActionRows(ctx, 20)
	if err != nil {
		return err
	}
	unshipped, err := scope.UnshippedOrders(ctx, a.now().AddDate(0, 0, -unshippedWindowDays), 20)
	if err != nil {
		return err
	}
	data := map[string]any{"Stages": inPipelineOrder(stages), "Problems": problems, "Actions": actions, "Unshipped": unshipped}
	if shop.Platform == storage.Shopify {
		if missing := MissingScopes(shop.Scopes, a.shopifyScopes); len(missing) > 0 {
			data["MissingScopes"] = missing
			data["ApproveURL"] = "/auth/shopify?shop=" + shop.Domain
		}
	}
	return a.render(c, "home", data)
}

// MissingScopes are the scopes the app asks for that granted (Shopify's
// comma-separated list) lacks. Shopify implies read_X by write_X. A shop
// that never recorded its grant misses nothing we can tell.
func MissingScopes(granted string, wanted []string) []string {
	if strings.TrimSpace(granted) == "" {
		return nil
	}
	have := strings.Split(granted, ",")
	for i := range have {
		have[i] = strings.TrimSpace(have[i])
	}
	var out []string
	for _, w := range wanted {
		w = strings.TrimSpace(w)
		if w == "" || slices.Contains(have, w) || (strings.HasPrefix(w, "read_") && slices.Contains(have, "write_"+strings.TrimPrefix(w, "read_"))) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// HandleAction marks a shopper request handled (or new again, with
// status=new) and returns to the overview, which says so, or to the
// shipment page it was marked on.
func (a *Pages) HandleAction(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound, "no such request")
	}
	status := "handled"
	if c.FormValue("status") == "new" {
		status = "new"
	}
	if err := a.db.Scope(a.signedIn(c).Shop.ID).SetActionStatus(c.Request().Context(), id, status); err != nil {
		return err
	}
	if ship, err := strconv.ParseInt(c.FormValue("shipment"), 10, 64); err == nil {
		return c.Redirect(http.StatusSeeOther, "/admin/shipments/"+strconv.FormatInt(ship, 10)+"#h-acts")
	}
	return c.Redirect(http.StatusSeeOther, "/admin?handled="+strconv.FormatInt(id, 10)+"#requests")
}
