package shopper

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/storage"
)

// UnsubscribeForm asks which updates to stop and changes nothing: mail
// scanners and link previews open every link in a message.
func (p *Pages) UnsubscribeForm(c echo.Context) error {
	return p.unsubscribePage(c, false)
}

// Unsubscribe records the opt-out of this shop's messages on the chosen
// channel, or on all of them: from the page's form, or from a mail client's
// one-click request (RFC 8058: body List-Unsubscribe=One-Click, the channel
// in the URL).
func (p *Pages) Unsubscribe(c echo.Context) error {
	return p.unsubscribePage(c, true)
}

func (p *Pages) unsubscribePage(c echo.Context, optOut bool) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	ship, err := p.db.ShipmentByToken(ctx, token)
	if err != nil {
		return err
	}
	m, err := p.loadOrder(ctx, ship)
	if err != nil {
		return err
	}
	addresses := map[notify.Channel]string{}
	for _, ch := range notify.Channels {
		addr := m.order.Phone // SMS, WhatsApp and calls reach the phone
		if ch == notify.ChannelEmail {
			addr = m.order.Email
		}
		if addr != "" {
			addresses[ch] = addr
		}
	}
	choice := c.FormValue(trackpage.FieldChannel) // the form's field, else the link's query
	if choice == "" {
		choice = string(notify.ChannelEmail)
	}
	st := m.shop.Settings.V
	v := trackpage.UnsubscribeView{
		Locale: trackpage.Negotiate(c.Request().Header.Get("Accept-Language"), m.order.Locale),
		Shop: trackpage.Branding{
			Name: m.shop.Name, LogoURL: st.Branding.LogoURL, PrimaryColor: st.Branding.PrimaryColor, AccentColor: st.Branding.AccentColor,
			FontFamily: st.Branding.FontFamily, SupportEmail: st.SupportEmail,
		},
		FormAction: "/t/" + url.PathEscape(token) + "/unsubscribe",
		Channel:    choice,
		TrackURL:   "/t/" + url.PathEscape(token),
	}
	for _, ch := range notify.Channels {
		if addresses[ch] != "" {
			v.Channels = append(v.Channels, string(ch))
		}
	}
	v.Channels = append(v.Channels, trackpage.UnsubscribeAll)
	if !slices.Contains(v.Channels, choice) {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown channel; choose one of the listed updates")
	}
	if optOut {
		for ch, addr := range addresses {
			if choice != trackpage.UnsubscribeAll && choice != string(ch) {
				continue
			}
			err := p.db.SetContact(ctx, &storage.Contact{ShopID: m.shop.ID, Channel: string(ch), Address: addr, OptedOut: true, Source: "unsubscribe_link"})
			if err != nil {
				return err
			}
		}
		v.Done = true
	}
	var buf bytes.Buffer
	if err := p.pages.RenderUnsubscribe(&buf, v); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}
