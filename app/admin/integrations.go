package admin

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// integrations is the settings page's "Integrations" card: Klaviyo, the
// helpdesk key and, on Shopify, the Flow action's address.
type integrations struct {
	KlaviyoConnected bool
	Triggers         []klaviyoRow
	HelpdeskKey      string
	HelpdeskURL      string
	Shopify          bool
	FlowActionURL    string
}

type klaviyoRow struct {
	Trigger string
	Handed  bool
}

func (a *Pages) integrations(shop *storage.Shop) (integrations, error) {
	key, err := a.db.HelpdeskKey(shop)
	if err != nil {
		return integrations{}, err
	}
	in := integrations{
		KlaviyoConnected: len(shop.KlaviyoKey) > 0, HelpdeskKey: key,
		HelpdeskURL: a.appURL + "/api/helpdesk/customer", Shopify: shop.Platform == storage.Shopify,
		FlowActionURL: a.appURL + "/flow/actions/send-tracking-update",
	}
	for _, t := range tracking.Triggers {
		in.Triggers = append(in.Triggers, klaviyoRow{Trigger: string(t), Handed: slices.Contains(shop.Settings.V.Klaviyo, string(t))})
	}
	return in, nil
}

// SaveIntegrations stores the Klaviyo private key (sealed; an empty field
// keeps the current one, "remove" deletes it) and which triggers are
// handed to Klaviyo.
func (a *Pages) SaveIntegrations(c echo.Context) error {
	shop := a.signedIn(c).Shop
	ctx := c.Request().Context()
	key := strings.TrimSpace(c.FormValue("klaviyo_key"))
	if key != "" && (!strings.HasPrefix(key, "pk_") || len(key) > 200 || strings.ContainsAny(key, " \t\r\n")) {
		st := shop.Settings.V
		return a.renderSettings(c, http.StatusUnprocessableEntity, st, map[string]string{
			"klaviyo_key": "Paste a Klaviyo private API key: it starts with pk_ (Klaviyo → Settings → API keys).",
		}, false)
	}
	switch {
	case c.FormValue("klaviyo_remove") != "":
		key = ""
		fallthrough
	case key != "":
		if err := a.db.SetKlaviyoKey(ctx, shop.ID, key); err != nil {
			return err
		}
	}
	st := shop.Settings.V
	st.Klaviyo = nil
	for _, t := range tracking.Triggers {
		if c.FormValue("klaviyo_"+string(t)) == "klaviyo" {
			st.Klaviyo = append(st.Klaviyo, string(t))
		}
	}
	if err := a.db.SaveSettings(ctx, shop.ID, st); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/settings?saved=1#integrations")
}

// RotateHelpdeskKey makes a new helpdesk key; the old one stops working.
func (a *Pages) RotateHelpdeskKey(c echo.Context) error {
	if _, err := a.db.RotateHelpdeskKey(c.Request().Context(), a.signedIn(c).Shop.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/settings#integrations")
}
