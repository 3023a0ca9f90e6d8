package shopper

import (
	"crypto/hmac"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/phone"
	"github.com/ordertrack/ordertrack/app/throttle"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/storage"
)

// Opt-in budgets. Every opt-in texts the number it names, and anyone who
// holds a tracking link can submit the form, so each one is charged to the
// order (a shopper corrects their number a few times at most), to the
// number (nobody is texted over and over, whichever orders name them) and
// to the client, else one link would text any number in the world, at the
// merchant's cost, as often as it is posted.
var (
	optInPerOrder  = throttle.Budget{Burst: 3, Every: 8 * time.Hour}
	optInPerNumber = throttle.Budget{Burst: 2, Every: 12 * time.Hour}
	optInPerClient = throttle.Budget{Burst: 5, Every: time.Hour}
)

// TrackConsent records the page's "text me shipping updates" (and, ticked
// apart, "also call me"): see optIn.
func (p *Pages) TrackConsent(c echo.Context) error {
	token := c.Param("token")
	if !hmac.Equal([]byte(c.FormValue(trackpage.CSRFField)), []byte(p.CSRFToken(token))) {
		return echo.NewHTTPError(http.StatusForbidden, "this form has expired; reload the page")
	}
	ctx := c.Request().Context()
	m, err := p.tokenOrder(ctx, token) // a parcel's page, or the order's before it ships
	if err != nil {
		return err
	}
	status, err := p.optIn(c, m, optInRequest{
		Phone: c.FormValue(trackpage.FieldPhone), Channel: c.FormValue(trackpage.FieldChannel),
		Calls: c.FormValue(trackpage.FieldVoice) == "1", Locale: c.FormValue(trackpage.FieldLocale),
	}, storage.ConsentSourceTrackingPage)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/t/"+token+"?optin="+strings.ToLower(status)+"#ot-optin")
}

// optInRequest is a shopper's opt-in as a form or widget sends it.
type optInRequest struct {
	Phone   string `json:"phone"`
	Channel string `json:"channel"` // sms or whatsapp
	Calls   bool   `json:"calls"`   // also agreed to calls
	Locale  string `json:"locale"`  // the language the words were shown in
}

// optIn records a shopper's opt-in to an order's updates from source: the
// number in E.164 (read in the shipping country), the channel, the exact
// words the shopper was shown, when and from which IP; consent to calls
// is a second record with its own words. Where the law asks for a double
// opt-in the consent waits for the shopper's YES; either way a message
// follows (the question, or a welcome that says how to stop). It returns
// the consent's status.
func (p *Pages) optIn(c echo.Context, m shipmentOrder, in optInRequest, source string) (string, error) {
	ctx := c.Request().Context()
	if in.Channel != string(notify.ChannelSMS) && in.Channel != string(notify.ChannelWhatsApp) {
		return "", echo.NewHTTPError(http.StatusBadRequest, "choose SMS or WhatsApp")
	}
	number, err := phone.E164(in.Phone, m.order.Country)
	if errors.Is(err, phone.ErrInvalid) {
		return "", echo.NewHTTPError(http.StatusBadRequest, "this phone number is not valid; include the country code, e.g. +49 151 12345678")
	}
	if err != nil {
		return "", err
	}
	if _, ok := p.optIns.Take(p.now(),
		throttle.Key{Name: "order:" + strconv.FormatInt(m.order.ID, 10), Budget: optInPerOrder},
		throttle.Key{Name: "number:" + number, Budget: optInPerNumber},
		throttle.Key{Name: "client:" + throttle.ClientKey(c.RealIP()), Budget: optInPerClient},
	); !ok {
		return "", echo.NewHTTPError(http.StatusTooManyRequests, "too many sign-ups for text updates; try again later")
	}
	lang := trackpage.Negotiate(in.Locale, trackpage.Negotiate(m.order.Locale, trackpage.DefaultLocale))
	con := &storage.Consent{
		ShopID: m.shop.ID, OrderID: &m.order.ID, Channel: in.Channel, Address: number, Source: source,
		Wording: trackpage.OptInWording(lang, m.shop.Name), IP: c.RealIP(), Locale: lang, Status: storage.ConsentConfirmed,
	}
	// The number's owner confirms by replying YES where the law asks for a
	// double opt-in, and whenever the number is not the order's own: the
	// link alone must not sign a stranger's phone up.
	own, _ := phone.E164(m.order.Phone, m.order.Country)
	if notify.DoubleOptIn(phone.Region(number)) || notify.DoubleOptIn(m.order.Country) || number != own {
		con.Status, con.DoubleOptIn = storage.ConsentPending, true
	}
	if err := p.db.RecordConsent(ctx, con); err != nil {
		return "", err
	}
	if in.Calls {
		// Calls are agreed to apart, in their own words; the text that
		// follows (question or welcome) stands for both, and a YES to it
		// confirms both.
		call := *con
		call.ID, call.Channel, call.Wording = 0, string(notify.ChannelVoice), trackpage.OptInVoiceWording(lang, m.shop.Name)
		call.ConfirmedAt = nil
		if err := p.db.RecordConsent(ctx, &call); err != nil {
			return "", err
		}
	}
	if err := p.enqueue(ctx, jobs.ConsentConfirmArgs{ConsentID: con.ID}); err != nil {
		return "", fmt.Errorf("enqueue consent message: %w", err)
	}
	return con.Status, nil
}
