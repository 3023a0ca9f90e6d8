package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// validateTimeout bounds checking every part of one message: each render
// has its own deadline, this keeps a save request from stacking them.
const validateTimeout = 5 * time.Second

// templateCell is one locale's state of a trigger's channel in the list.
type templateCell struct {
	Locale, URL, Status string
	Custom              bool
}

// templateListRow is one trigger × channel with a cell per locale.
type templateListRow struct {
	Trigger, Channel string
	Cells            []templateCell
}

// Templates lists every trigger × channel × locale and whether the
// shop uses the default or its own version.
func (a *Pages) Templates(c echo.Context) error {
	live, err := a.db.Scope(a.signedIn(c).Shop.ID).LiveTemplates(c.Request().Context())
	if err != nil {
		return err
	}
	var rows []templateListRow
	for _, trig := range tracking.Triggers {
		for _, ch := range notify.Channels {
			row := templateListRow{Trigger: string(trig), Channel: string(ch)}
			for _, loc := range notify.Locales {
				custom, version := false, 0
				for _, p := range ch.Parts() {
					t, ok := live[storage.TemplateKey{Trigger: string(trig), Part: string(p), Locale: loc}]
					if ok && strings.TrimSpace(t.Body) != "" {
						custom, version = true, max(version, t.Version)
					}
				}
				cell := templateCell{Locale: loc, URL: editorURL(trig, ch, loc), Status: "default", Custom: custom}
				if custom {
					cell.Status = fmt.Sprintf("customized v%d", version)
				}
				row.Cells = append(row.Cells, cell)
			}
			rows = append(rows, row)
		}
	}
	return a.render(c, "templates", map[string]any{"Rows": rows, "Locales": notify.Locales})
}

func editorURL(trig tracking.Trigger, ch notify.Channel, locale string) string {
	return "/admin/templates/" + url.PathEscape(string(trig)) + "/" + url.PathEscape(string(ch)) + "/" + url.PathEscape(locale)
}

// templateTarget is the template being edited, taken from the path (or the
// preview form) and checked against the known triggers, channels, locales.
type templateTarget struct {
	Trigger tracking.Trigger
	Channel notify.Channel
	Locale  string
}

func parseTarget(trig, ch, locale string) (templateTarget, error) {
	t := templateTarget{tracking.Trigger(trig), notify.Channel(ch), locale}
	if !slices.Contains(tracking.Triggers, t.Trigger) || !slices.Contains(notify.Channels, t.Channel) || !slices.Contains(notify.Locales, locale) {
		return t, echo.NewHTTPError(http.StatusNotFound, "no such template")
	}
	return t, nil
}

func (t templateTarget) url() string { return editorURL(t.Trigger, t.Channel, t.Locale) }

// partError is a template problem as the editor and the preview JSON show it.
type partError struct {
	Part    string `json:"part"`
	Line    int    `json:"line"`
	Message string `json:"message"`
	// Source is the offending line's text, listed under the textarea.
	Source string `json:"source,omitempty"`
}

// preview is a message rendered with the sample shipment.
type preview struct {
	Subject, HTML, Text string
	Segments            notify.Segments
}

// renderPreview validates each part and, when all are valid, composes the
// message exactly as a send would (blank parts use the defaults).
func (a *Pages) renderPreview(ctx context.Context, shop *storage.Shop, t templateTarget, sources map[notify.Part]string, sample int64) (preview, []partError) {
	ctx, cancel := context.WithTimeout(ctx, validateTimeout)
	defer cancel()
	var errs []partError
	for _, p := range t.Channel.Parts() {
		if err := a.renderer.Validate(ctx, p, t.Locale, sources[p]); err != nil {
			errs = append(errs, toPartError(p, sources[p], err))
		}
	}
	if len(errs) > 0 {
		return preview{}, errs
	}
	msg, err := a.renderer.Compose(ctx, t.Trigger, t.Channel, sources, a.previewData(ctx, shop, t, sample))
	if err != nil {
		return preview{}, []partError{toPartError("", "", err)}
	}
	return preview{Subject: msg.Subject, HTML: msg.HTML, Text: msg.Text, Segments: msg.Segments}, nil
}

func toPartError(p notify.Part, src string, err error) partError {
	pe := partError{Part: string(p), Message: err.Error()}
	var te *notify.TemplateError
	if errors.As(err, &te) {
		pe.Line, pe.Message = te.Line, te.Message
		if lines := strings.Split(src, "\n"); te.Line > 0 && te.Line <= len(lines) {
			pe.Source = lines[te.Line-1]
		}
	}
	return pe
}

// liveSources is what the shop sends today for each part: its override, or
// the default when it has none (or reset to it).
func (a *Pages) liveSources(ctx context.Context, shopID int64, t templateTarget) (map[notify.Part]string, error) {
	stored, err := a.db.TemplateOverrides(ctx, shopID, string(t.Trigger), t.Locale)
	if err != nil {
		return nil, err
	}
	out := map[notify.Part]string{}
	for _, p := range t.Channel.Parts() {
		tpl, err := notify.Lookup(stored[string(p)], t.Locale, t.Trigger, p)
		if err != nil {
			return nil, err
		}
		out[p] = tpl.Source
	}
	return out, nil
}

// formSources reads the textareas; browsers send CRLF line ends, stored
// templates use LF.
func formSources(c echo.Context, ch notify.Channel) map[notify.Part]string {
	out := map[notify.Part]string{}
	for _, p := range ch.Parts() {
		out[p] = strings.ReplaceAll(c.FormValue(string(p)), "\r\n", "\n")
	}
	return out
}

// editorPart is one textarea with its error and history.
type editorPart struct {
	Part     string
	Label    string
	Source   string
	Rows     int
	Error    *partError
	Versions []storage.MessageTemplate
}

var partLabels = map[notify.Part]string{
	notify.PartEmailSubject: "Subject", notify.PartEmailHTML: "HTML body", notify.PartEmailText: "Plain-text body",
	notify.PartSMS: "SMS text", notify.PartWhatsApp: "WhatsApp text", notify.PartVoice: "Voice script",
}

// renderEditor shows the editor for sources with their preview or errors.
func (a *Pages) renderEditor(c echo.Context, code int, t templateTarget, sources map[notify.Part]string, notice string) error {
	ctx := c.Request().Context()
	shop := a.signedIn(c).Shop
	sample := sampleID(c)
	pv, errs := a.renderPreview(ctx, shop, t, sources, sample)
	scope := a.db.Scope(shop.ID)
	var parts []editorPart
	for _, p := range t.Channel.Parts() {
		versions, err := scope.TemplateVersions(ctx, storage.TemplateKey{Trigger: string(t.Trigger), Part: string(p), Locale: t.Locale})
		if err != nil {
			return err
		}
		ep := editorPart{Part: string(p), Label: partLabels[p], Source: sources[p], Rows: 4, Versions: versions}
		if p == notify.PartEmailSubject {
			ep.Rows = 2
		}
		if n := strings.Count(sources[p], "\n") + 2; n > ep.Rows {
			ep.Rows = min(n, 24)
		}
		for i := range errs {
			if errs[i].Part == string(p) {
				ep.Error = &errs[i]
			}
		}
		parts = append(parts, ep)
	}
	var general []partError
	for _, e := range errs {
		if e.Part == "" {
			general = append(general, e)
		}
	}
	recent, err := scope.Shipments(ctx, storage.ShipmentFilter{Limit: 10})
	if err != nil {
		return err
	}
	return a.renderCode(c, code, "template_edit", map[string]any{
		"Recent": recent, "Sample": sample,
		"Nav": "templates", "T": t, "URL": t.url(), "Parts": parts, "Preview": pv, "Errors": errs, "General": general,
		"Variables": notify.Variables(), "Filters": notify.Filters(), "Notice": notice, "OwnerEmail": shop.NotifyAddress(),
		"IsEmail": t.Channel == notify.ChannelEmail, "IsSMS": t.Channel == notify.ChannelSMS, "TestTo": c.FormValue("test_to"),
	})
}

func (a *Pages) templateTarget(c echo.Context) (templateTarget, error) {
	return parseTarget(c.Param("trigger"), c.Param("channel"), c.Param("locale"))
}

// TemplateEdit shows the live template with its preview.
func (a *Pages) TemplateEdit(c echo.Context) error {
	t, err := a.templateTarget(c)
	if err != nil {
		return err
	}
	sources, err := a.liveSources(c.Request().Context(), a.signedIn(c).Shop.ID, t)
	if err != nil {
		return err
	}
	notice := ""
	switch {
	case c.QueryParam("saved") != "":
		notice = "Saved. New messages use this version."
	case c.QueryParam("unchanged") != "":
		notice = "Nothing changed, so nothing was saved."
	case c.QueryParam("restored") != "":
		notice = "Restored version " + c.QueryParam("restored") + " as a new version."
	case c.QueryParam("reset") != "":
		notice = "Reset to the default template."
	}
	return a.renderEditor(c, http.StatusOK, t, sources, notice)
}

// TemplateSubmit handles the editor form: preview (for browsers
// without JavaScript), save, or send a test.
func (a *Pages) TemplateSubmit(c echo.Context) error {
	t, err := a.templateTarget(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	shop := a.signedIn(c).Shop
	sources := formSources(c, t.Channel)
	switch c.FormValue("op") {
	case "save":
		if _, errs := a.renderPreview(ctx, shop, t, sources, sampleID(c)); len(errs) > 0 {
			// Nothing is stored: the live version keeps sending.
			return a.renderEditor(c, http.StatusUnprocessableEntity, t, sources, "")
		}
		live, err := a.liveSources(ctx, shop.ID, t)
		if err != nil {
			return err
		}
		changed := map[string]string{}
		for p, src := range sources {
			if src != live[p] {
				changed[string(p)] = src
			}
		}
		if len(changed) == 0 {
			return c.Redirect(http.StatusSeeOther, t.url()+"?unchanged=1")
		}
		if _, err := a.db.Scope(shop.ID).SaveTemplates(ctx, string(t.Trigger), t.Locale, changed); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, t.url()+"?saved=1")
	case "test":
		pv, errs := a.renderPreview(ctx, shop, t, sources, sampleID(c))
		if len(errs) > 0 {
			return a.renderEditor(c, http.StatusUnprocessableEntity, t, sources, "")
		}
		to, err := a.sendTestMessage(ctx, shop, t, pv, c.FormValue("test_to"))
		if err != nil {
			return a.renderEditor(c, http.StatusUnprocessableEntity, t, sources, "Test not sent: "+err.Error())
		}
		// The editor stays on the draft that was sent: nothing is saved
		// and nothing the merchant typed is lost.
		return a.renderEditor(c, http.StatusOK, t, sources, "Test sent to "+to+" from this draft (not saved yet). It is listed under Messages.")
	default:
		return a.renderEditor(c, http.StatusOK, t, sources, "")
	}
}

// TemplateRestore stores an old version's body as the newest version,
// so history only grows and the restore itself can be undone.
func (a *Pages) TemplateRestore(c echo.Context) error {
	t, err := a.templateTarget(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "bad version id")
	}
	ctx := c.Request().Context()
	scope := a.db.Scope(a.signedIn(c).Shop.ID)
	old, err := scope.TemplateVersion(ctx, id)
	if err != nil {
		return err
	}
	if old.Trigger != string(t.Trigger) || old.Locale != t.Locale || !slices.Contains(t.Channel.Parts(), notify.Part(old.Channel)) {
		return echo.NewHTTPError(http.StatusBadRequest, "that version belongs to another template")
	}
	if err := a.renderer.Validate(ctx, notify.Part(old.Channel), t.Locale, old.Body); err != nil {
		// Validation may have tightened since the version was saved.
		sources, lerr := a.liveSources(ctx, a.signedIn(c).Shop.ID, t)
		if lerr != nil {
			return lerr
		}
		sources[notify.Part(old.Channel)] = old.Body
		return a.renderEditor(c, http.StatusUnprocessableEntity, t, sources, "")
	}
	if _, err := scope.SaveTemplates(ctx, old.Trigger, old.Locale, map[string]string{old.Channel: old.Body}); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, t.url()+"?restored="+strconv.Itoa(old.Version))
}

// TemplateReset stores an empty version of every customized part: the
// shipped default (kept current with each release) sends again.
func (a *Pages) TemplateReset(c echo.Context) error {
	t, err := a.templateTarget(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	shop := a.signedIn(c).Shop
	stored, err := a.db.TemplateOverrides(ctx, shop.ID, string(t.Trigger), t.Locale)
	if err != nil {
		return err
	}
	reset := map[string]string{}
	for _, p := range t.Channel.Parts() {
		if strings.TrimSpace(stored[string(p)]) != "" {
			reset[string(p)] = ""
		}
	}
	if len(reset) > 0 {
		if _, err := a.db.Scope(shop.ID).SaveTemplates(ctx, string(t.Trigger), t.Locale, reset); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, t.url()+"?reset=1")
}

// previewJSON is the editor's live preview: {parts, errors, sms}.
type previewJSON struct {
	Parts  map[string]string `json:"parts"`
	Errors []partError       `json:"errors"`
	SMS    *notify.Segments  `json:"sms,omitempty"`
}

// TemplatePreview renders the form's sources for the script that
// updates the preview as the merchant types.
func (a *Pages) TemplatePreview(c echo.Context) error {
	t, err := parseTarget(c.FormValue("trigger"), c.FormValue("channel"), c.FormValue("locale"))
	if err != nil {
		return err
	}
	pv, errs := a.renderPreview(c.Request().Context(), a.signedIn(c).Shop, t, formSources(c, t.Channel), sampleID(c))
	out := previewJSON{Parts: map[string]string{}, Errors: errs}
	if out.Errors == nil {
		out.Errors = []partError{}
	}
	if len(errs) == 0 {
		for _, p := range t.Channel.Parts() {
			switch p {
			case notify.PartEmailSubject:
				out.Parts[string(p)] = pv.Subject
			case notify.PartEmailHTML:
				out.Parts[string(p)] = pv.HTML
			default:
				out.Parts[string(p)] = pv.Text
			}
		}
		if t.Channel == notify.ChannelSMS {
			out.SMS = &pv.Segments
		}
	}
	return c.JSON(http.StatusOK, out)
}

// PreviewSource builds a real shipment's message data, as a send would.
type PreviewSource interface {
	PreviewData(ctx context.Context, shopID, shipmentID int64, ch notify.Channel) (notify.Data, error)
}

// sampleID is the shipment the merchant chose to preview with (0: the
// sample order).
func sampleID(c echo.Context) int64 {
	id, _ := strconv.ParseInt(c.FormValue("sample"), 10, 64)
	return id
}

// previewData is what the preview and test render: one of the shop's
// recent shipments when the merchant picked one, else the sample order,
// always wearing the shop's own name, logo, colour and support address.
func (a *Pages) previewData(ctx context.Context, shop *storage.Shop, t templateTarget, sample int64) notify.Data {
	if sample > 0 && a.previews != nil {
		if d, err := a.previews.PreviewData(ctx, shop.ID, sample, t.Channel); err == nil {
			d.Customer.Locale = t.Locale // the editor's language, whatever the shopper's
			return d
		}
	}
	d := notify.SampleData(t.Locale)
	st := shop.Settings.V
	d.Shop.Name = shop.Name
	d.Shop.LogoURL = ""
	if strings.HasPrefix(st.Branding.LogoURL, "https://") {
		d.Shop.LogoURL = st.Branding.LogoURL
	}
	if st.Branding.PrimaryColor != "" {
		d.Shop.BrandColor = st.Branding.PrimaryColor
	}
	if st.SupportEmail != "" {
		d.Shop.SupportEmail = st.SupportEmail
	} else if shop.Email != "" {
		d.Shop.SupportEmail = shop.Email
	}
	d.Shop.SupportURL = st.SupportURL
	return d
}

// sendTestMessage sends the previewed draft on its own channel: an email to
// the shop owner, an SMS, WhatsApp message or call to the phone the
// merchant typed (to), through the same sender (or outbox) as real
// messages, logged so it shows under Messages. It returns where it went.
func (a *Pages) sendTestMessage(ctx context.Context, shop *storage.Shop, t templateTarget, pv preview, to string) (string, error) {
	msg := notify.Message{Channel: t.Channel, Locale: t.Locale, Text: pv.Text, Segments: pv.Segments}
	recipient := strings.TrimSpace(to)
	if t.Channel == notify.ChannelEmail {
		if recipient == "" {
			recipient = shop.NotifyAddress()
		}
		if !strings.Contains(recipient, "@") {
			return "", errors.New("enter the email address to send the test to")
		}
		msg.Subject, msg.HTML = "[Test] "+pv.Subject, pv.HTML
	} else {
		phone := testPhone(recipient)
		if phone == "" {
			return "", fmt.Errorf("enter the phone number (with its country code, like +14155550100) to send the test %s to", t.Channel)
		}
		recipient = phone
	}
	n := &storage.Notification{
		ShopID: shop.ID, Trigger: string(t.Trigger), Channel: string(t.Channel), Recipient: recipient,
		DedupeKey: fmt.Sprintf("test:%s:%s:%s:%d", t.Trigger, t.Channel, t.Locale, a.now().UnixNano()),
		Status:    storage.NotificationScheduled, Subject: msg.Subject, Body: msg.Text, HTML: msg.HTML, Attempts: 1,
	}
	if _, err := a.db.CreateNotification(ctx, n); err != nil {
		return "", err
	}
	n.Attempts = 0
	if err := a.deliver.Deliver(ctx, n, msg); err != nil {
		if n.Status != storage.NotificationFailed {
			n.Status = storage.NotificationFailed // a test send is not retried
			if serr := a.db.SaveNotification(ctx, n); serr != nil {
				return "", errors.Join(err, serr)
			}
		}
		return "", fmt.Errorf("send test: %w", err)
	}
	return recipient, nil
}

// testPhone reads a phone number typed for a test in E.164 ("+1 415-555
// 0100" → "+14155550100"); empty when it is not one.
func testPhone(s string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return ""
		}
	}
	out := b.String()
	if !strings.HasPrefix(out, "+") || len(out) < 9 || len(out) > 16 {
		return ""
	}
	return out
}
