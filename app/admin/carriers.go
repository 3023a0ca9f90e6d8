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

// pushRow is one carrier's push figures on the settings page.
type pushRow struct {
	Name                         string
	Subscribed, Received, Reject int64
	LastPush                     string // UTC, empty before the first
}

// pushRows are the shop's push figures for every carrier that pushes:
// its shipments with a live subscription, the pushes about them and the
// latest, and the pushes the intake rejected (for all shops).
func (a *Pages) pushRows(c echo.Context) ([]pushRow, error) {
	var codes []string
	names := map[string]string{}
	for _, e := range registry.Accounts() {
		if e.Push != nil {
			codes = append(codes, e.Code)
			names[e.Code] = e.Name
		}
	}
	stats, err := a.db.PushStats(c.Request().Context(), a.signedIn(c).Shop.ID, codes)
	if err != nil {
		return nil, err
	}
	rows := make([]pushRow, len(stats))
	for i, s := range stats {
		rows[i] = pushRow{Name: names[s.Carrier], Subscribed: s.Subscribed, Received: s.Received, Reject: s.Rejected}
		if s.LastPushAt != nil {
			rows[i].LastPush = s.LastPushAt.UTC().Format("2006-01-02 15:04 UTC")
		}
	}
	return rows, nil
}
