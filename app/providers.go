package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/aftership"
	"github.com/ordertrack/ordertrack/integrations/carriers/dhl"
	"github.com/ordertrack/ordertrack/integrations/carriers/fedex"
	"github.com/ordertrack/ordertrack/integrations/carriers/ups"
	"github.com/ordertrack/ordertrack/integrations/carriers/usps"
	"github.com/ordertrack/ordertrack/integrations/messaging/sendgrid"
	"github.com/ordertrack/ordertrack/integrations/messaging/twilio"
	"github.com/ordertrack/ordertrack/storage"
)

// carrierCreds are one account's credentials, in the keys a merchant
// enters: client_id/client_secret (UPS, FedEx, USPS) or api_key (DHL,
// AfterShip), plus an optional base_url for sandboxes.
type carrierCreds map[string]string

// newTracker builds a carrier client from credentials; ok is false for a
// carrier we have no API client for. hc makes its calls (nil: the default
// client, for the operator's own accounts).
func (a *App) newTracker(name string, c carrierCreds, hc *http.Client) (t Tracker, perSecond float64, ok bool) {
	unknown := func(carrier, code string) { a.metrics.UnknownCodes.WithLabelValues(carrier, code).Inc() }
	id, secret, key, base := c["client_id"], c["client_secret"], c["api_key"], c["base_url"]
	switch name {
	case "ups":
		return ups.New(ups.Config{BaseURL: base, ClientID: id, ClientSecret: secret, OnUnknownCode: unknown, HTTPClient: hc}), 5, true
	case "fedex":
		return fedex.New(fedex.Config{BaseURL: base, ClientID: id, ClientSecret: secret, OnUnknownCode: unknown, HTTPClient: hc}), 5, true
	case "usps":
		return usps.New(usps.Config{BaseURL: base, ClientID: id, ClientSecret: secret, OnUnknownCode: unknown, HTTPClient: hc}), 5, true
	case "dhl":
		// DHL's starter key allows 1 call/s; the others publish no hard
		// limit, so we stay polite.
		return dhl.New(dhl.Config{BaseURL: base, APIKey: key, OnUnknownCode: unknown, HTTPClient: hc}), 1, true
	case "aftership":
		return aftership.New(aftership.Config{BaseURL: base, APIKey: key, OnUnknownCode: unknown, HTTPClient: hc}), 5, true
	}
	return nil, 0, false
}

// setupCarriers registers every carrier with platform credentials. Quotas
// are per process and per account.
func (a *App) setupCarriers() {
	cc := a.cfg.Carriers
	for _, acc := range []struct {
		name  string
		creds carrierCreds
		set   bool
	}{
		{"ups", carrierCreds{"client_id": cc.UPSClientID, "client_secret": cc.UPSClientSecret, "base_url": cc.UPSBaseURL}, cc.UPSClientID != ""},
		{"fedex", carrierCreds{"client_id": cc.FedExClientID, "client_secret": cc.FedExClientSecret, "base_url": cc.FedExBaseURL}, cc.FedExClientID != ""},
		{"usps", carrierCreds{"client_id": cc.USPSClientID, "client_secret": cc.USPSClientSecret, "base_url": cc.USPSBaseURL}, cc.USPSClientID != ""},
		{"dhl", carrierCreds{"api_key": cc.DHLAPIKey, "base_url": cc.DHLBaseURL}, cc.DHLAPIKey != ""},
		{"aftership", carrierCreds{"api_key": cc.AggregatorAPIKey, "base_url": cc.AggregatorBaseURL}, cc.AggregatorAPIKey != ""},
	} {
		if !acc.set {
			continue
		}
		t, perSecond, _ := a.newTracker(acc.name, acc.creds, nil)
		a.carriers.add(acc.name, t, perSecond, int(max(1, perSecond)))
	}
	if f, ok := a.carriers.get("aftership"); ok {
		a.carriers.fallback = f
	}
}

// setupSenders picks a provider per channel; channels without credentials go
// to the outbox, so dev and demo show every message in the browser.
func (a *App) setupSenders() error {
	a.outbox = outboxSender{}
	a.senders = map[notify.Channel]Sender{}
	if a.cfg.SendGridAPIKey != "" {
		a.senders[notify.ChannelEmail] = emailSender{c: sendgrid.New(sendgrid.Config{APIKey: a.cfg.SendGridAPIKey, BaseURL: a.cfg.SendGridBaseURL}), from: a.cfg.EmailFrom}
	}
	if a.cfg.TwilioAccountSID != "" {
		tc, err := twilio.New(twilio.Config{
			AccountSID: a.cfg.TwilioAccountSID, AuthToken: a.cfg.TwilioAuthToken,
			FromSMS: a.cfg.TwilioFrom, FromVoice: a.cfg.TwilioFrom, FromWhatsApp: a.cfg.TwilioWhatsAppFrom,
			StatusCallbackURL: a.cfg.AppURL + "/webhooks/messaging/twilio/status",
			BaseURL:           a.cfg.TwilioBaseURL,
		})
		if err != nil {
			return fmt.Errorf("twilio: %w", err)
		}
		a.senders[notify.ChannelSMS] = twilioSender{c: tc, app: a}
		a.senders[notify.ChannelVoice] = twilioSender{c: tc, app: a}
		if a.cfg.TwilioWhatsAppFrom != "" {
			a.senders[notify.ChannelWhatsApp] = twilioSender{c: tc, app: a}
		}
	}
	return nil
}

// classify turns a provider error into errPermanent unless the provider says
// it is temporary.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var t interface{ Temporary() bool }
	if errors.As(err, &t) && t.Temporary() {
		return err
	}
	return fmt.Errorf("%w: %w", errPermanent, err)
}

// outboxSender keeps the message in the log for viewing at /admin/outbox.
type outboxSender struct{}

func (outboxSender) Send(_ context.Context, n *storage.Notification, _ notify.Message) (string, error) {
	n.Provider = "outbox"
	return "outbox-" + strconv.FormatInt(n.ID, 10), nil
}

type emailSender struct {
	c    *sendgrid.Client
	from string
}

func (s emailSender) Send(ctx context.Context, n *storage.Notification, msg notify.Message) (string, error) {
	n.Provider = "sendgrid"
	id, err := s.c.Send(ctx, sendgrid.Email{
		MessageID: strconv.FormatInt(n.ID, 10), FromEmail: s.from, To: n.Recipient,
		Subject: msg.Subject, HTML: msg.HTML, Text: msg.Text, Categories: []string{"ordertrack", n.Trigger},
		UnsubscribeURL: msg.UnsubscribeURL,
	})
	return id, classify(err)
}

type twilioSender struct {
	c   *twilio.Client
	app *App
}

func (s twilioSender) Send(ctx context.Context, n *storage.Notification, msg notify.Message) (string, error) {
	n.Provider = "twilio"
	id := strconv.FormatInt(n.ID, 10)
	var sid string
	var err error
	switch notify.Channel(n.Channel) {
	case notify.ChannelWhatsApp:
		sid, err = s.c.SendWhatsApp(ctx, n.Recipient, msg.Text, id)
	case notify.ChannelVoice:
		sid, err = s.c.Call(ctx, n.Recipient, s.app.voiceTwiML(tracking.Trigger(n.Trigger), msg.Text, id, msg.Locale), id)
	default:
		sid, err = s.c.SendSMS(ctx, n.Recipient, msg.Text, id)
	}
	return sid, classify(err)
}

// voiceTwiML speaks the script and gathers the shopper's answer in the
// language of the shopper's locale.
func (a *App) voiceTwiML(trig tracking.Trigger, script, messageID, locale string) string {
	var opts []twilio.Option
	for _, o := range notify.VoiceOptions(trig) {
		opts = append(opts, twilio.Option{Digit: o.Digit})
	}
	return twilio.VoiceTwiML(script, opts, a.cfg.AppURL+"/webhooks/messaging/twilio/gather?message_id="+messageID, notify.VoiceLanguage(locale))
}
