package admin

import (
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// Fonts the tracking page may use: common fonts every platform ships (or
// falls back from cleanly), so the page never loads a web font.
var allowedFonts = []string{"Helvetica", "Arial", "Georgia", "Verdana", "Trebuchet MS", "Palatino", "Garamond", "Courier New"}

// channelPreference is the order checked channels are tried in: the first
// one that reaches the shopper gets the message (see notify.Route).
var channelPreference = []notify.Channel{notify.ChannelSMS, notify.ChannelWhatsApp, notify.ChannelEmail, notify.ChannelVoice}

// Limits on what a merchant can enter.
const (
	maxFAQItems    = 20
	maxCODGateways = 20
	maxDailyCap    = 20
	// maxCallsPerWeek bounds the per-shopper call cap: a call a day.
	maxCallsPerWeek = 7
	// maxProcessingDays bounds the processing time a store can state.
	maxProcessingDays = 30
	blankFAQRows      = 2
)

// clockLayout is how quiet hours are entered and stored.
const clockLayout = "15:04"

var hexColor = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// channelRow is one trigger's checkboxes.
type channelRow struct {
	Trigger string
	Boxes   []channelBox
}

type channelBox struct {
	Channel string
	Checked bool
}

// Settings shows the shop's settings form.
func (a *Pages) Settings(c echo.Context) error {
	st := a.signedIn(c).Shop.Settings.V
	return a.renderSettings(c, http.StatusOK, st, nil, c.QueryParam("saved") != "")
}

func (a *Pages) renderSettings(c echo.Context, code int, st storage.Settings, errs map[string]string, saved bool) error {
	faq := append([]storage.FAQItem(nil), st.FAQ...)
	for range blankFAQRows {
		faq = append(faq, storage.FAQItem{})
	}
	defaults := notify.DefaultRules().Routes
	var rows []channelRow
	for _, trig := range tracking.Triggers {
		on, ok := st.Channels[string(trig)]
		if !ok {
			for _, ch := range defaults[trig].Channels {
				on = append(on, string(ch))
			}
		}
		row := channelRow{Trigger: string(trig)}
		for _, ch := range channelPreference {
			row.Boxes = append(row.Boxes, channelBox{Channel: string(ch), Checked: slices.Contains(on, string(ch))})
		}
		rows = append(rows, row)
	}
	var chans []string
	for _, ch := range channelPreference {
		chans = append(chans, string(ch))
	}
	if errs == nil {
		errs = map[string]string{}
	}
	accounts, err := a.db.Scope(a.signedIn(c).Shop.ID).CarrierAccounts(c.Request().Context())
	if err != nil {
		return err
	}
	plugin, err := a.pluginSettings(c)
	if err != nil {
		return err
	}
	shop := a.signedIn(c).Shop
	now := a.now().UTC()
	usage, err := a.db.UsageSince(c.Request().Context(), shop.ID, time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return err
	}
	pushes, err := a.pushRows(c)
	if err != nil {
		return err
	}
	integ, err := a.integrations(shop)
	if err != nil {
		return err
	}
	// The sender email is used as From only on an authenticated domain.
	senderNote := ""
	if e := st.SenderEmail; e != "" && errs["sender_email"] == "" && a.senders != nil {
		ok, err := a.senders.SenderAuthenticated(c.Request().Context(), e)
		switch {
		case err != nil:
			senderNote = "Could not ask the email provider whether your domain is authenticated; until it answers, emails go from ordertrack's address with your shop's name, and replies come to " + e + "."
		case !ok:
			_, domain, _ := strings.Cut(e, "@")
			senderNote = domain + " is not authenticated with ordertrack's email provider (SendGrid), so shopper emails go from ordertrack's address with your shop's name as the sender, and replies come to " + e + ". To send from " + e + " itself, ask ordertrack support for the three DNS (CNAME) records that authenticate " + domain + " and add them at your domain host."
		}
	}
	payer := "ordertrack's shared Twilio sender (billed to you by ordertrack)"
	if acc, own, err := a.db.TwilioAccount(c.Request().Context(), shop.ID); err != nil {
		return err
	} else if own && acc.SMSFrom != "" {
		payer = "your own Twilio account " + acc.AccountSID + " (billed to you by Twilio)"
	}
	return a.renderCode(c, code, "settings", map[string]any{
		"OwnerEmail": shop.Email, "Usage": usage, "Payer": payer, "SenderNote": senderNote,
		"S": st, "FAQ": faq, "ChannelRows": rows, "Channels": chans, "Fonts": allowedFonts,
		"Errors": errs, "Saved": saved, "COD": strings.Join(st.CODGateways, "\n"), "CarrierAccounts": accounts,
		"Carriers": registry.Accounts(), "CarrierForm": registry.Form(),
		"Plugin": plugin, "Rotated": c.QueryParam("rotated") != "", "Pushes": pushes, "Integrations": integ,
		"Shopify": shop.Platform == storage.Shopify,
	})
}

// SaveSettings validates the whole form and stores it, or shows it
// again with a message beside each field that needs fixing.
func (a *Pages) SaveSettings(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable form")
	}
	shop := a.signedIn(c).Shop
	st, errs := parseSettings(form, shop.Settings.V)
	if len(errs) > 0 {
		return a.renderSettings(c, http.StatusUnprocessableEntity, st, errs, false)
	}
	if shop.Platform != storage.Shopify {
		st.ShopifyTrackingLinks = false
	}
	ctx := c.Request().Context()
	err = a.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.SaveSettings(ctx, shop.ID, st); err != nil {
			return err
		}
		if !st.ShopifyTrackingLinks || shop.Settings.V.ShopifyTrackingLinks {
			return nil
		}
		// Opting in points the parcels already in tracking too.
		_, err := a.jobs.InsertTx(ctx, tx.SQL(), jobs.ShopifyTrackingLinksArgs{ShopID: shop.ID}, nil)
		return err
	})
	if err != nil {
		return err
	}
	a.views.ForgetAll() // new branding shows on the next page view
	return c.Redirect(http.StatusSeeOther, "/admin/settings?saved=1")
}

// parseSettings reads the settings form over the current settings (fields
// the form does not carry are kept) and reports problems by field name.
// supportPhone is a number a call can dial: a plus, then digits, spaces,
// dots and dashes.
var supportPhone = regexp.MustCompile(`^\+[1-9][0-9 .\-]{6,20}$`)

func parseSettings(form url.Values, cur storage.Settings) (storage.Settings, map[string]string) {
	errs := map[string]string{}
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	st := cur
	st.Branding = storage.Branding{
		LogoURL: get("logo_url"), PrimaryColor: strings.ToLower(get("primary_color")),
		AccentColor: strings.ToLower(get("accent_color")), FontFamily: get("font_family"),
	}
	if u := st.Branding.LogoURL; u != "" && !isURL(u, "https") {
		errs["logo_url"] = "Use an https:// address of an image (the page is served over https)."
	}
	for _, f := range []struct{ key, val string }{{"primary_color", st.Branding.PrimaryColor}, {"accent_color", st.Branding.AccentColor}} {
		if f.val != "" && !hexColor.MatchString(f.val) {
			errs[f.key] = "Use a hex colour such as #1f5c4a."
		}
	}
	if f := st.Branding.FontFamily; f != "" && !slices.Contains(allowedFonts, f) {
		errs["font_family"] = "Pick one of the listed fonts."
	}

	st.ShopifyTrackingLinks = get("shopify_tracking_links") == "1"

	st.SupportEmail, st.SupportURL, st.ReturnsURL = get("support_email"), get("support_url"), get("returns_url")
	if e := st.SupportEmail; e != "" && !isEmail(e) {
		errs["support_email"] = "Enter an email address such as help@yourshop.com."
	}
	for _, f := range []struct{ key, val string }{{"support_url", st.SupportURL}, {"returns_url", st.ReturnsURL}} {
		if f.val != "" && !isURL(f.val, "https", "http") {
			errs[f.key] = "Enter a full web address starting with https://."
		}
	}

	st.FAQ = nil
	qs, as := form["faq_q"], form["faq_a"]
	for i := range max(len(qs), len(as)) {
		q, a := strings.TrimSpace(at(qs, i)), strings.TrimSpace(at(as, i))
		switch {
		case q == "" && a == "":
			continue
		case q == "" || a == "":
			errs["faq"] = "Each question needs an answer (or clear both to remove it)."
		case len(q) > 300 || len(a) > 3000:
			errs["faq"] = "Keep questions under 300 and answers under 3,000 characters."
		}
		st.FAQ = append(st.FAQ, storage.FAQItem{Question: q, Answer: a})
	}
	if len(st.FAQ) > maxFAQItems {
		errs["faq"] = "At most " + strconv.Itoa(maxFAQItems) + " questions."
	}

	st.Channels = parseChannels(form)

	st.QuietStart, st.QuietEnd = get("quiet_start"), get("quiet_end")
	_, errStart := time.Parse(clockLayout, st.QuietStart)
	_, errEnd := time.Parse(clockLayout, st.QuietEnd)
	switch {
	case st.QuietStart == "" && st.QuietEnd == "":
	case errStart != nil || errEnd != nil || len(st.QuietStart) != 5 || len(st.QuietEnd) != 5:
		errs["quiet"] = "Enter both times as HH:MM, e.g. 21:00 and 08:00 (or leave both empty for the default)."
	}

	st.DailyCap = 0
	if s := get("daily_cap"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > maxDailyCap {
			errs["daily_cap"] = "Enter a number from 0 to " + strconv.Itoa(maxDailyCap) + " (0 uses the default of 3)."
		}
		st.DailyCap = n
	}

	st.CallsPerWeek = 0
	if s := get("calls_per_week"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > maxCallsPerWeek {
			errs["calls_per_week"] = "Enter a number from 0 to " + strconv.Itoa(maxCallsPerWeek) + " (0 uses the default of 2)."
		}
		st.CallsPerWeek = n
	}

	st.ProcessingDays = 0
	if s := get("processing_days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > maxProcessingDays {
			errs["processing_days"] = "Enter a number of working days from 0 to " + strconv.Itoa(maxProcessingDays) + " (0 says nothing)."
		}
		st.ProcessingDays = n
	}
	for _, f := range []struct {
		name string
		to   *int
	}{{"not_shipped_alert_days", &st.NotShippedAlertDays}, {"label_idle_alert_days", &st.LabelIdleAlertDays}} {
		*f.to = 0
		if s := get(f.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n > maxProcessingDays {
				errs[f.name] = "Enter a number of working days from 0 to " + strconv.Itoa(maxProcessingDays) + " (0 turns the alert off)."
			}
			*f.to = n
		}
	}
	st.ProcessingLabel = get("processing_label")
	if l := st.ProcessingLabel; len(l) > 40 || strings.ContainsAny(l, "\r\n<>") {
		errs["processing_label"] = "Use a short word or two, under 40 characters."
	}

	st.SenderName, st.SenderEmail = get("sender_name"), get("sender_email")
	if n := st.SenderName; len(n) > 100 || strings.ContainsAny(n, "\r\n<>\"") {
		errs["sender_name"] = "Use a plain name under 100 characters."
	}
	if e := st.SenderEmail; e != "" && !isEmail(e) {
		errs["sender_email"] = "Enter an email address on a domain you have verified with your email provider."
	}

	st.NotifyEmail = get("notify_email")
	if e := st.NotifyEmail; e != "" && !isEmail(e) {
		errs["notify_email"] = "Enter the address where you want shoppers' requests, e.g. orders@yourshop.com."
	}
	st.SupportPhone = get("support_phone")
	if p := st.SupportPhone; p != "" && !supportPhone.MatchString(p) {
		errs["support_phone"] = "Enter the number with its country code, e.g. +49 30 1234567."
	}
	for _, f := range []struct {
		key string
		to  *int
	}{{"sms_segments_monthly", &st.SMSSegmentsMonthly}, {"call_minutes_monthly", &st.CallMinutesMonthly}} {
		*f.to = 0
		if v := get(f.key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 10_000_000 {
				errs[f.key] = "Enter a whole number (0 or empty: no cap)."
			}
			*f.to = n
		}
	}

	st.CODGateways = nil
	for _, g := range strings.FieldsFunc(form.Get("cod_gateways"), func(r rune) bool { return r == '\n' || r == ',' }) {
		if g = strings.TrimSpace(g); g != "" {
			st.CODGateways = append(st.CODGateways, g)
		}
	}
	if len(st.CODGateways) > maxCODGateways {
		errs["cod_gateways"] = "At most " + strconv.Itoa(maxCODGateways) + " gateway names."
	}
	return st, errs
}

// parseChannels keeps only the triggers whose checked channels differ from
// the defaults, so a shop that never touches a row follows improvements to
// the defaults (and keeps their extra channels, e.g. the call on
// action_required). Unchecking every channel turns a trigger off.
func parseChannels(form url.Values) map[string][]string {
	defaults := notify.DefaultRules().Routes
	out := map[string][]string{}
	for _, trig := range tracking.Triggers {
		picked := form["ch_"+string(trig)]
		var chosen, def []string
		for _, ch := range channelPreference {
			if slices.Contains(picked, string(ch)) {
				chosen = append(chosen, string(ch))
			}
			if slices.Contains(defaults[trig].Channels, ch) {
				def = append(def, string(ch))
			}
		}
		if !slices.Equal(chosen, def) {
			if chosen == nil {
				chosen = []string{}
			}
			out[string(trig)] = chosen
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

func isURL(s string, schemes ...string) bool {
	u, err := url.Parse(s)
	return err == nil && slices.Contains(schemes, u.Scheme) && u.Host != "" && u.User == nil
}

func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}
