// Package messaging is how ordertrack talks with shoppers and merchants: the
// notify job that plans a fired trigger's messages under the shop's rules,
// the send job that renders and delivers each one through its channel's
// provider (SendGrid, Twilio, or the outbox), the providers' status
// webhooks, shoppers' replies (SMS, WhatsApp, keys pressed on an update
// call) and the emails that tell a merchant what a shopper asked.
package messaging

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/links"
	"github.com/ordertrack/ordertrack/app/metrics"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/messaging/sendgrid"
	"github.com/ordertrack/ordertrack/integrations/messaging/twilio"
	"github.com/ordertrack/ordertrack/storage"
)

// Actions records a shopper's answer (a reply, a key pressed on a call) as
// a customer action, the way the tracking page records its form: the
// merchant sees it in the admin and is told about it.
type Actions interface {
	RecordAction(ctx context.Context, s *storage.Shipment, kind, source string, details map[string]string) error
}

// Forwarder hands ordertrack's news to a merchant's other tools (Shopify
// Flow, Klaviyo): each enqueues, in the caller's transaction, its own job
// for a shipment's trigger or a shopper's request.
type Forwarder interface {
	ForwardTrigger(ctx context.Context, tx *storage.Tx, shop *storage.Shop, shipmentID int64, trigger tracking.Trigger, key string) error
	ForwardRequest(ctx context.Context, tx *storage.Tx, actionID int64) error
}

// Providers are the messaging providers' credentials; a channel whose
// provider has none goes to the outbox.
type Providers struct {
	SendGridAPIKey    string
	SendGridBaseURL   string // empty is production
	SendGridPublicKey string // verifies the Event Webhook
	EmailFrom         string

	TwilioAccountSID   string
	TwilioAuthToken    string // also verifies Twilio's webhooks
	TwilioFrom         string // SMS and voice caller id, E.164
	TwilioWhatsAppFrom string
	TwilioBaseURL      string // empty is production
}

// Deps are what a Messenger works with.
type Deps struct {
	DB       *storage.DB
	Jobs     *jobs.Client
	Log      *slog.Logger
	Now      func() time.Time
	Links    *links.Links
	Metrics  *metrics.Set
	Renderer *notify.Renderer
	// Rules are a shop's message rules; nil is ShopRules.
	Rules func(*storage.Shop) notify.Rules
	// Outbox takes the messages of channels without a provider; nil keeps
	// them in the message log, for viewing at /admin/outbox.
	Outbox    Sender
	Providers Providers
	Actions   Actions
	// Forwarders get every trigger the notify job plans and every shopper
	// request; a trigger the shop hands to Klaviyo is forwarded only.
	Forwarders []Forwarder
}

// Messenger plans, sends and follows up every message.
type Messenger struct {
	db       *storage.DB
	jobs     *jobs.Client
	log      *slog.Logger
	now      func() time.Time
	links    *links.Links
	metrics  *metrics.Set
	renderer *notify.Renderer
	rules    func(*storage.Shop) notify.Rules
	senders  map[notify.Channel]Sender
	outbox   Sender
	actions  Actions
	forward  []Forwarder

	sendGridPublicKey string
	twilioAuthToken   string
	// twilio is the platform's Twilio account; nil without credentials.
	twilio        *twilio.Client
	twilioBaseURL string
	// sendgrid is the platform's SendGrid account; nil without a key. Its
	// authenticated domains are kept for domainsTTL.
	sendgrid *sendgrid.Client
	domains  domainCache
	// optInMu keeps a number's opt-in messages counted one at a time.
	optInMu sync.Mutex
	// shared are the platform's numbers per channel, which every shop
	// without its own Twilio number for the channel sends from.
	shared map[notify.Channel]string
}

// New builds the Messenger, with a provider per channel that has
// credentials.
func New(d Deps) (*Messenger, error) {
	m := &Messenger{
		db: d.DB, jobs: d.Jobs, log: d.Log, now: d.Now, links: d.Links, metrics: d.Metrics, renderer: d.Renderer,
		rules: d.Rules, outbox: d.Outbox, actions: d.Actions, forward: d.Forwarders,
		sendGridPublicKey: d.Providers.SendGridPublicKey, twilioAuthToken: d.Providers.TwilioAuthToken,
		twilioBaseURL: d.Providers.TwilioBaseURL,
		shared:        map[notify.Channel]string{notify.ChannelSMS: d.Providers.TwilioFrom, notify.ChannelWhatsApp: d.Providers.TwilioWhatsAppFrom},
	}
	if m.rules == nil {
		m.rules = ShopRules
	}
	if m.outbox == nil {
		m.outbox = outboxSender{}
	}
	senders, err := m.providerSenders(d.Providers)
	if err != nil {
		return nil, err
	}
	m.senders = senders
	return m, nil
}

// providerSenders picks a provider per channel; channels without
// credentials go to the outbox, so dev and demo show every message in the
// browser.
func (m *Messenger) providerSenders(p Providers) (map[notify.Channel]Sender, error) {
	senders := map[notify.Channel]Sender{}
	if p.SendGridAPIKey != "" {
		m.sendgrid = sendgrid.New(sendgrid.Config{APIKey: p.SendGridAPIKey, BaseURL: p.SendGridBaseURL})
		senders[notify.ChannelEmail] = emailSender{c: m.sendgrid, from: p.EmailFrom}
	}
	if p.TwilioAccountSID != "" {
		tc, err := m.twilioClient(storage.TwilioCredentials{
			AccountSID: p.TwilioAccountSID, AuthToken: p.TwilioAuthToken, SMSFrom: p.TwilioFrom, WhatsAppFrom: p.TwilioWhatsAppFrom,
		})
		if err != nil {
			return nil, err
		}
		m.twilio = tc
		s := twilioSender{c: tc, gatherURL: m.gatherURL()}
		senders[notify.ChannelSMS] = s
		senders[notify.ChannelVoice] = s
		if p.TwilioWhatsAppFrom != "" {
			senders[notify.ChannelWhatsApp] = s
		}
	}
	return senders, nil
}

// twilioClient is a Twilio client for an account, its status callbacks
// coming back to us.
func (m *Messenger) twilioClient(acc storage.TwilioCredentials) (*twilio.Client, error) {
	tc, err := twilio.New(twilio.Config{
		AccountSID: acc.AccountSID, AuthToken: acc.AuthToken,
		FromSMS: acc.SMSFrom, FromVoice: acc.SMSFrom, FromWhatsApp: acc.WhatsAppFrom,
		StatusCallbackURL: m.links.Base() + "/webhooks/messaging/twilio/status",
		BaseURL:           m.twilioBaseURL,
	})
	if err != nil {
		return nil, fmt.Errorf("twilio: %w", err)
	}
	return tc, nil
}

// CheckTwilioAccount asks Twilio whether a merchant's account SID and auth
// token are right and the account active, before the shop's messages go
// through it.
func (m *Messenger) CheckTwilioAccount(ctx context.Context, acc storage.TwilioCredentials) error {
	tc, err := m.twilioClient(acc)
	if err != nil {
		return err
	}
	return tc.CheckAccount(ctx)
}

// twilioOf is the Twilio account the shop's WhatsApp messages go through
// (its own, with its own WhatsApp sender, else the platform's); nil when
// there is none.
func (m *Messenger) twilioOf(ctx context.Context, shop *storage.Shop) (*twilio.Client, error) {
	acc, ok, err := m.db.TwilioAccount(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	if ok && acc.WhatsAppFrom != "" {
		return m.twilioClient(acc)
	}
	return m.twilio, nil
}

// sharedSender is the platform number the shop texts from on ch, "" when
// the shop has its own number for ch (or ch is not a text channel).
func (m *Messenger) sharedSender(ctx context.Context, shopID int64, ch notify.Channel) (string, error) {
	shared := m.shared[ch]
	if shared == "" {
		return "", nil
	}
	acc, ok, err := m.db.TwilioAccount(ctx, shopID)
	if err != nil {
		return "", err
	}
	if ok && ((ch == notify.ChannelSMS && acc.SMSFrom != "") || (ch == notify.ChannelWhatsApp && acc.WhatsAppFrom != "")) {
		return "", nil
	}
	return shared, nil
}

// senderOf is the provider of n's channel: for SMS, calls and WhatsApp the
// shop's own Twilio account when it has a number for the channel, else the
// platform's provider, else the outbox.
func (m *Messenger) senderOf(ctx context.Context, n *storage.Notification) (Sender, error) {
	ch := notify.Channel(n.Channel)
	if ch != notify.ChannelEmail {
		acc, ok, err := m.db.TwilioAccount(ctx, n.ShopID)
		if err != nil {
			return nil, err
		}
		from := acc.SMSFrom
		if ch == notify.ChannelWhatsApp {
			from = acc.WhatsAppFrom
		}
		if ok && from != "" {
			tc, err := m.twilioClient(acc)
			if err != nil {
				return nil, err
			}
			return twilioSender{c: tc, gatherURL: m.gatherURL()}, nil
		}
	}
	if s := m.senders[ch]; s != nil {
		return s, nil
	}
	return m.outbox, nil
}

// gatherURL is where an update call posts the key the shopper pressed.
func (m *Messenger) gatherURL() string {
	return m.links.Base() + "/webhooks/messaging/twilio/gather"
}
