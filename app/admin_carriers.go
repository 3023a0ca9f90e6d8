package app

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// carrierAccountFields says what each carrier's API needs from a merchant
// who brings their own account.
var carrierAccountFields = map[string][]string{
	"ups": {"client_id", "client_secret"}, "fedex": {"client_id", "client_secret"}, "usps": {"client_id", "client_secret"},
	"dhl": {"api_key"}, "aftership": {"api_key"},
}

// adminCarrierAccountSave stores a merchant's own carrier credentials,
// sealed; their shipments on that carrier are then polled with them (and
// their quota) instead of the platform's. Secrets are never shown back.
func (a *App) adminCarrierAccountSave(c echo.Context) error {
	carrier := c.FormValue("carrier")
	fields, ok := carrierAccountFields[carrier]
	if !ok {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "choose a carrier")
	}
	creds := map[string]string{}
	for _, f := range fields {
		v := strings.TrimSpace(c.FormValue(f))
		if v == "" {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, "fill in "+strings.ReplaceAll(f, "_", " ")+" for "+carrier)
		}
		creds[f] = v
	}
	if err := a.db.SetCarrierAccount(c.Request().Context(), adminShop(c).ID, carrier, creds); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/settings?saved=carrier")
}
