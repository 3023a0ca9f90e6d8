package trackpage

import (
	"fmt"
	"html/template"
	"io"

	"github.com/ordertrack/ordertrack/app/locale"
)

// UnsubscribeAll is the Channels entry that stops every channel at once.
const UnsubscribeAll = "all"

// FieldChannel is the unsubscribe form's field: a channel name
// ("email", "sms", "whatsapp", "voice") or UnsubscribeAll.
const FieldChannel = "channel"

// UnsubscribeView is the page behind the unsubscribe link of every message.
// Opening the link only shows the form (mail scanners open links); the
// opt-out happens when the form, or a mail client's one-click request,
// posts to FormAction.
type UnsubscribeView struct {
	Locale     string
	Shop       Branding
	FormAction string
	// Channels are the choices offered, UnsubscribeAll last; Channel is the
	// one the link came from, preselected.
	Channels []string
	Channel  string
	// Done confirms the opt-out instead of asking.
	Done bool
	// TrackURL leads back to the tracking page.
	TrackURL string
}

type unsubscribePage struct {
	L     *locale.Catalog
	Lang  string
	CSS   template.CSS
	Theme template.CSS
	Shop  Branding
	Form  UnsubscribeView
}

// RenderUnsubscribe writes the unsubscribe page.
func (r *Renderer) RenderUnsubscribe(w io.Writer, v UnsubscribeView) error {
	c := locale.ForLocale(v.Locale)
	data := unsubscribePage{L: c, Lang: c.Lang(), CSS: r.css, Theme: themeCSS(v.Shop), Shop: v.Shop, Form: v}
	if err := r.unsubscribe.Execute(w, data); err != nil {
		return fmt.Errorf("render unsubscribe page: %w", err)
	}
	return nil
}
