package messaging

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/messaging/sendgrid"
	"github.com/ordertrack/ordertrack/integrations/messaging/twilio"
	"github.com/ordertrack/ordertrack/storage"
)

// Sender delivers one composed message; each provider package is wrapped to
// satisfy it. A permanent provider failure is reported as ErrPermanent.
type Sender interface {
	Send(ctx context.Context, n *storage.Notification, msg notify.Message) (providerID string, err error)
}

// ErrPermanent wraps provider failures that a retry cannot fix (invalid
// number, unsubscribed recipient, rejected content).
var ErrPermanent = errors.New("permanent provider failure")

// classify turns a provider error into ErrPermanent unless the provider says
// it is worth retrying (tracking.RetryableError) or the send ran out of
// time.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var re *tracking.RetryableError
	if errors.As(err, &re) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrPermanent, err)
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
	from := s.from
	if msg.FromEmail != "" {
		from = msg.FromEmail
	}
	id, err := s.c.Send(ctx, sendgrid.Email{
		MessageID: strconv.FormatInt(n.ID, 10), FromEmail: from, FromName: msg.FromName, ReplyTo: msg.ReplyTo, To: n.Recipient,
		Subject: msg.Subject, HTML: msg.HTML, Text: msg.Text, Categories: []string{"ordertrack", n.Trigger},
		UnsubscribeURL: msg.UnsubscribeURL,
	})
	return id, classify(err)
}

type twilioSender struct {
	c         *twilio.Client
	gatherURL string
}

func (s twilioSender) Send(ctx context.Context, n *storage.Notification, msg notify.Message) (string, error) {
	n.Provider = "twilio"
	id := strconv.FormatInt(n.ID, 10)
	var sid string
	var err error
	switch ch := notify.Channel(n.Channel); {
	case ch == notify.ChannelWhatsApp && msg.ContentSID != "":
		sid, err = s.c.SendWhatsAppTemplate(ctx, n.Recipient, msg.ContentSID, msg.ContentVariables, id)
	case ch == notify.ChannelWhatsApp:
		sid, err = s.c.SendWhatsApp(ctx, n.Recipient, msg.Text, id)
	case ch == notify.ChannelVoice:
		sid, err = s.c.Call(ctx, n.Recipient, voiceTwiML(s.gatherURL, tracking.Trigger(n.Trigger), msg.Text, id, msg.Locale), id)
	default:
		sid, err = s.c.SendSMS(ctx, n.Recipient, msg.Text, id)
	}
	return sid, classify(err)
}
