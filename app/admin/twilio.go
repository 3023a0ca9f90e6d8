package admin

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/storage"
)

var (
	twilioSID   = regexp.MustCompile(`^AC[0-9a-f]{32}$`)
	twilioToken = regexp.MustCompile(`^[0-9a-f]{32}$`)
	e164        = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
)

// twilioForm is the merchant's own Twilio account as the page shows it:
// never the auth token.
type twilioForm struct {
	Connected                         bool
	AccountSID, SMSFrom, WhatsAppFrom string
}

// Twilio shows the shop's own Twilio account, if any, and the webhook
// address its numbers must call.
func (a *Pages) Twilio(c echo.Context) error {
	acc, ok, err := a.db.TwilioAccount(c.Request().Context(), a.signedIn(c).Shop.ID)
	if err != nil {
		return err
	}
	f := twilioForm{Connected: ok, AccountSID: acc.AccountSID, SMSFrom: acc.SMSFrom, WhatsAppFrom: acc.WhatsAppFrom}
	return a.renderTwilio(c, http.StatusOK, f, nil, c.QueryParam("saved") != "")
}

func (a *Pages) renderTwilio(c echo.Context, code int, f twilioForm, errs map[string]string, saved bool) error {
	if errs == nil {
		errs = map[string]string{}
	}
	return a.renderCode(c, code, "twilio", map[string]any{
		"Nav": "settings", "F": f, "Errors": errs, "Saved": saved,
		"InboundURL": a.appURL + "/webhooks/messaging/twilio/inbound",
	})
}

// SaveTwilio stores the shop's own Twilio account (the auth token sealed;
// an empty token field keeps the current one), or removes it.
func (a *Pages) SaveTwilio(c echo.Context) error {
	shop := a.signedIn(c).Shop
	ctx := c.Request().Context()
	if c.FormValue("remove") != "" {
		if err := a.db.DeleteTwilioAccount(ctx, shop.ID); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/admin/settings/twilio?saved=1")
	}
	cur, ok, err := a.db.TwilioAccount(ctx, shop.ID)
	if err != nil {
		return err
	}
	get := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	in := storage.TwilioCredentials{AccountSID: get("account_sid"), AuthToken: get("auth_token"),
		SMSFrom: strings.ReplaceAll(get("sms_from"), " ", ""), WhatsAppFrom: strings.ReplaceAll(strings.TrimPrefix(get("whatsapp_from"), "whatsapp:"), " ", "")}
	if in.AuthToken == "" && ok && in.AccountSID == cur.AccountSID {
		in.AuthToken = cur.AuthToken
	}
	errs := map[string]string{}
	if !twilioSID.MatchString(in.AccountSID) {
		errs["account_sid"] = "Paste the Account SID from Twilio Console → Account info: AC and 32 letters and digits."
	}
	if !twilioToken.MatchString(in.AuthToken) {
		errs["auth_token"] = "Paste the Auth Token from Twilio Console → Account info (32 letters and digits)."
	}
	if in.SMSFrom == "" && in.WhatsAppFrom == "" {
		errs["sms_from"] = "Enter the number that sends your SMS and calls, or your WhatsApp sender, or both."
	}
	for _, f := range []struct{ key, val string }{{"sms_from", in.SMSFrom}, {"whatsapp_from", in.WhatsAppFrom}} {
		if f.val != "" && !e164.MatchString(f.val) {
			errs[f.key] = "Enter the number with its country code, e.g. +14155550100."
		}
	}
	if len(errs) == 0 && a.twilio != nil {
		if err := a.twilio.CheckTwilioAccount(ctx, in); err != nil {
			errs["auth_token"] = "Twilio did not accept this Account SID and auth token (" + err.Error() + "). Copy both again from Twilio Console → Account info."
		}
	}
	if len(errs) > 0 {
		f := twilioForm{Connected: ok, AccountSID: in.AccountSID, SMSFrom: in.SMSFrom, WhatsAppFrom: in.WhatsAppFrom}
		return a.renderTwilio(c, http.StatusUnprocessableEntity, f, errs, false)
	}
	if err := a.db.SetTwilioAccount(ctx, shop.ID, in); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/settings/twilio?saved=1")
}
