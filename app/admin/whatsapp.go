package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// contentSID is a Twilio Content API template's id.
var contentSID = regexp.MustCompile(`^HX[0-9a-fA-F]{32}$`)

// consentTrigger is the message that follows a shopper's opt-in; it has a
// WhatsApp template of its own (messaging.TriggerConsent).
const consentTrigger = "consent_confirmation"

// blankTemplateRows are the empty rows the WhatsApp page offers for new
// templates.
const blankTemplateRows = 3

// templateRow is one WhatsApp template on the settings page.
type templateRow struct {
	Trigger, Language, ContentSID, Variables, Status, Reason string
}

// WhatsApp shows the shop's WhatsApp templates: per update and language,
// the Twilio content SID, its variables and WhatsApp's verdict.
func (a *Pages) WhatsApp(c echo.Context) error {
	return a.renderWhatsApp(c, http.StatusOK, templateRows(a.signedIn(c).Shop.Settings.V.WhatsAppTemplates), "", c.QueryParam("saved") != "")
}

func templateRows(tpls map[string]storage.WhatsAppTemplate) []templateRow {
	var rows []templateRow
	for key, t := range tpls {
		trig, lang, _ := strings.Cut(key, ":")
		rows = append(rows, templateRow{Trigger: trig, Language: lang, ContentSID: t.ContentSID,
			Variables: strings.Join(t.Variables, ", "), Status: t.Status, Reason: t.Reason})
	}
	sort.Slice(rows, func(i, j int) bool {
		return rows[i].Trigger+":"+rows[i].Language < rows[j].Trigger+":"+rows[j].Language
	})
	return rows
}

func (a *Pages) renderWhatsApp(c echo.Context, code int, rows []templateRow, problem string, saved bool) error {
	for range blankTemplateRows {
		rows = append(rows, templateRow{})
	}
	var langs []string
	for _, t := range locale.Supported {
		langs = append(langs, t.String())
	}
	trigs := []string{consentTrigger}
	for _, t := range tracking.Triggers {
		trigs = append(trigs, string(t))
	}
	return a.renderCode(c, code, "whatsapp", map[string]any{
		"Nav": "settings", "Rows": rows, "Problem": problem, "Saved": saved,
		"Triggers": trigs, "Languages": langs, "Variables": notify.WhatsAppVariables,
	})
}

// SaveWhatsApp stores the WhatsApp templates and asks Twilio for their
// approval at once; a row whose content SID is cleared is removed.
func (a *Pages) SaveWhatsApp(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable form")
	}
	shop := a.signedIn(c).Shop
	tpls, rows, problem := parseWhatsAppTemplates(form, shop.Settings.V.WhatsAppTemplates)
	if problem != "" {
		return a.renderWhatsApp(c, http.StatusUnprocessableEntity, rows, problem, false)
	}
	st := shop.Settings.V
	st.WhatsAppTemplates = tpls
	ctx := c.Request().Context()
	if err := a.db.SaveSettings(ctx, shop.ID, st); err != nil {
		return err
	}
	if len(tpls) > 0 {
		if _, err := a.jobs.Insert(ctx, jobs.WhatsAppApprovalsArgs{ShopID: shop.ID}, nil); err != nil {
			return fmt.Errorf("check whatsapp approvals: %w", err)
		}
	}
	return c.Redirect(http.StatusSeeOther, "/admin/settings/whatsapp?saved=1")
}

// parseWhatsAppTemplates reads the template rows; a template whose content SID did
// not change keeps the verdict last read.
func parseWhatsAppTemplates(form url.Values, cur map[string]storage.WhatsAppTemplate) (map[string]storage.WhatsAppTemplate, []templateRow, string) {
	trigs, langs, sids, vars := form["trigger"], form["language"], form["content_sid"], form["variables"]
	out := map[string]storage.WhatsAppTemplate{}
	var rows []templateRow
	problem := ""
	for i := range sids {
		r := templateRow{Trigger: strings.TrimSpace(at(trigs, i)), Language: strings.TrimSpace(at(langs, i)),
			ContentSID: strings.TrimSpace(sids[i]), Variables: strings.TrimSpace(at(vars, i))}
		if r.ContentSID == "" {
			continue
		}
		rows = append(rows, r)
		var names []string
		for _, v := range strings.Split(r.Variables, ",") {
			if v = strings.TrimSpace(v); v != "" {
				names = append(names, v)
			}
		}
		key := storage.WhatsAppTemplateKey(r.Trigger, r.Language)
		switch {
		case !contentSID.MatchString(r.ContentSID):
			problem = fmt.Sprintf("%q is not a content SID: copy it from Twilio Console → Messaging → Content Template Builder (HX and 32 hex digits).", r.ContentSID)
		case r.Trigger != consentTrigger && !slices.Contains(tracking.Triggers, tracking.Trigger(r.Trigger)):
			problem = "Pick the update each template is for."
		case !slices.ContainsFunc(locale.Supported, func(t language.Tag) bool { return t.String() == r.Language }):
			problem = "Pick the language of each template."
		case slices.ContainsFunc(names, func(n string) bool { return !slices.Contains(notify.WhatsAppVariables, n) }):
			problem = "Variables are one of: " + strings.Join(notify.WhatsAppVariables, ", ") + " (comma-separated, in the order {{1}}, {{2}}, …)."
		case out[key].ContentSID != "":
			problem = "One template per update and language."
		}
		t := storage.WhatsAppTemplate{ContentSID: r.ContentSID, Variables: names}
		if old, ok := cur[key]; ok && old.ContentSID == t.ContentSID {
			t.Status, t.Reason = old.Status, old.Reason
		}
		out[key] = t
	}
	return out, rows, problem
}
