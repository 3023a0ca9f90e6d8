package admin

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
)

// SaveCarrierAccount stores a merchant's own carrier credentials,
// sealed; their shipments on that carrier are then polled with them (and
// their quota) instead of the platform's. Secrets are never shown back.
func (a *Pages) SaveCarrierAccount(c echo.Context) error {
	code := c.FormValue("carrier")
	carrier, ok := registry.Lookup(code)
	if !ok || carrier.Demo {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "choose a carrier")
	}
	creds := map[string]string{}
	for _, f := range carrier.Fields {
		v := strings.TrimSpace(c.FormValue(f.Key))
		if v == "" {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, "fill in "+strings.ToLower(f.Label)+" for "+carrier.Name)
		}
		creds[f.Key] = v
	}
	if err := a.db.SetCarrierAccount(c.Request().Context(), a.signedIn(c).Shop.ID, code, creds); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/settings?saved=carrier")
}
