package messaging

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/messaging/twilio"
	"github.com/ordertrack/ordertrack/storage"
)

// replyWindow is how far back an inbound reply looks for the messages it
// answers: a STOP reaches every shop that texted the number in this time.
const replyWindow = 30 * 24 * time.Hour

// TwilioInbound answers an SMS or WhatsApp reply: STOP/START change the
// shopper's preference for every shop that texted them; 1/CONFIRM and
// 2/RESCHEDULE answer the latest update that asked; anything else gets help.
func (m *Messenger) TwilioInbound(c echo.Context) error {
	form, signer, err := m.verifyTwilio(c)
	if err != nil {
		return err
	}
	in := twilio.ParseInbound(form)
	ctx := c.Request().Context()
	recent, err := m.db.NotificationsTo(ctx, in.From, m.now().Add(-replyWindow))
	if err != nil {
		return err
	}
	// A reply to a merchant's own number answers that merchant's shops.
	recent = slices.DeleteFunc(recent, func(n storage.Notification) bool { return !signer.speaksFor(n.ShopID) })
	channel := string(in.Channel)
	// Replies speak the language of, and link to, the newest update sent.
	newest := m.newestShipment(ctx, recent)
	rc := notify.Replies(m.orderLocale(ctx, newest))
	link := ""
	if newest != nil {
		link = m.links.Tracking(newest.PublicToken)
	}
	reply := twilio.ParseReply(in.Body)
	m.metrics.Webhooks.WithLabelValues("twilio", "reply_"+string(reply)).Inc()
	if in.Channel == twilio.ChannelWhatsApp {
		// WhatsApp allows free text for 24 h after the shopper's message.
		for _, shopID := range shopsOf(recent) {
			if err := m.db.TouchInbound(ctx, shopID, channel, in.From); err != nil {
				return err
			}
		}
	}
	if reply == twilio.ReplyConfirm || reply == twilio.ReplyStart {
		// A YES (or START) answers a double opt-in's question first.
		_, confirmed, err := m.db.ConfirmConsent(ctx, channel, in.From, signer.shops...)
		if err != nil {
			return err
		}
		if confirmed {
			return twiml(c, twimlResponse{Message: rc.OptInConfirmed})
		}
	}
	var text string
	switch reply {
	case twilio.ReplyStop, twilio.ReplyStart:
		stop := reply == twilio.ReplyStop
		// A merchant's own number speaks for that merchant's shops; a STOP
		// to a shared sender stops every shop on it, also those that never
		// texted the number yet.
		shops := signer.shops
		if signer.platform() {
			shops = shopsOf(recent)
			if err := m.db.SetSenderOptOut(ctx, in.To, channel, in.From, stop); err != nil {
				return err
			}
		}
		for _, shopID := range shops {
			c := &storage.Contact{ShopID: shopID, Channel: channel, Address: in.From, OptedOut: stop, Consent: !stop, Source: channel + "_" + string(reply)}
			if err := m.db.SetContact(ctx, c); err != nil {
				return err
			}
			if stop && in.Channel == twilio.ChannelSMS {
				// The calls box's question says "Reply STOP to stop": a texted
				// STOP ends calls too. START lifts texts only; calls need a new yes.
				c := &storage.Contact{ShopID: shopID, Channel: string(notify.ChannelVoice), Address: in.From, OptedOut: true, Source: channel + "_" + string(reply)}
				if err := m.db.SetContact(ctx, c); err != nil {
					return err
				}
			}
		}
		switch {
		case stop && in.Channel == twilio.ChannelSMS && twilio.TwilioConfirmsStop(in.Body):
			// Twilio's opt-out handling already confirmed, and blocks any
			// further text to this number, our reply included.
		case stop:
			text = rc.Stopped
		default:
			text = rc.Restarted
		}
	case twilio.ReplyConfirm, twilio.ReplyReschedule:
		text, err = m.answerAsk(ctx, recent, reply, channel, in.Body, rc, link)
		if err != nil {
			return err
		}
	case twilio.ReplyHelp:
		text = helpText(rc, link)
	default:
		text = rc.NotUnderstood + " " + helpText(rc, link)
	}
	return twiml(c, twimlResponse{Message: text})
}

// answerAsk records a 1/CONFIRM or 2/RESCHEDULE for the shipment whose
// latest update asked for it; link is the newest update's tracking link.
func (m *Messenger) answerAsk(ctx context.Context, recent []storage.Notification, reply twilio.Reply, source, body string, rc notify.ReplyCopy, link string) (string, error) {
	i := slices.IndexFunc(recent, func(n storage.Notification) bool {
		return n.ShipmentID != nil && tracking.Trigger(n.Trigger).AsksShopper()
	})
	if i < 0 {
		return rc.NoQuestion + " " + helpText(rc, link), nil
	}
	ship, err := m.shipmentOf(ctx, recent[i])
	if err != nil {
		return "", err
	}
	details := map[string]string{"reply": truncate(body, 160), "trigger": recent[i].Trigger}
	if reply == twilio.ReplyConfirm {
		if err := m.actions.RecordAction(ctx, ship, string(tracking.ActionConfirmAddress), source, details); err != nil {
			return "", err
		}
		return rc.Confirmed, nil
	}
	if err := m.actions.RecordAction(ctx, ship, string(tracking.ActionReschedule), source, details); err != nil {
		return "", err
	}
	return rc.Reschedule + " " + m.links.Actions(ship.PublicToken), nil
}

func (m *Messenger) shipmentOf(ctx context.Context, n storage.Notification) (*storage.Shipment, error) {
	if n.ShipmentID == nil {
		return nil, fmt.Errorf("message %d has no shipment: %w", n.ID, storage.ErrNotFound)
	}
	ships, err := m.db.ShipmentsByID(ctx, []int64{*n.ShipmentID})
	if err != nil {
		return nil, err
	}
	if len(ships) == 0 {
		return nil, fmt.Errorf("shipment %d: %w", *n.ShipmentID, storage.ErrNotFound)
	}
	return &ships[0], nil
}

// newestShipment is the shipment of the newest message to the shopper that
// still has one, or nil.
func (m *Messenger) newestShipment(ctx context.Context, recent []storage.Notification) *storage.Shipment {
	for _, n := range recent {
		s, err := m.shipmentOf(ctx, n)
		if err == nil {
			return s
		}
		if !errors.Is(err, storage.ErrNotFound) {
			m.log.Warn("shipment for reply", "err", err)
			return nil
		}
	}
	return nil
}

// orderLocale is the locale of the shipment's order, so a reply answers in
// the language it was asked in; "" (English) when unknown.
func (m *Messenger) orderLocale(ctx context.Context, s *storage.Shipment) string {
	if s == nil {
		return ""
	}
	o, err := m.db.OrderByID(ctx, s.OrderID)
	if err != nil {
		m.log.Warn("order locale for reply", "err", err)
		return ""
	}
	return o.Locale
}

func helpText(rc notify.ReplyCopy, link string) string {
	text := rc.Help
	if link != "" {
		text += " " + rc.TrackLabel + " " + link
	}
	return text
}

// shopsOf lists each shop that sent one of the messages once.
func shopsOf(ns []storage.Notification) []int64 {
	var out []int64
	for _, n := range ns {
		if !slices.Contains(out, n.ShopID) {
			out = append(out, n.ShopID)
		}
	}
	return out
}

// twimlResponse is the TwiML we answer webhooks with: a text reply, or
// something said on a call before hanging up. Empty is a valid "do nothing".
type twimlResponse struct {
	XMLName xml.Name  `xml:"Response"`
	Message string    `xml:"Message,omitempty"`
	Say     *twimlSay `xml:"Say,omitempty"`
	Hangup  *struct{} `xml:"Hangup"`
}

type twimlSay struct {
	Language string `xml:"language,attr,omitempty"`
	Text     string `xml:",chardata"`
}

func twiml(c echo.Context, r twimlResponse) error {
	out, err := xml.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode twiml: %w", err)
	}
	return c.Blob(http.StatusOK, "text/xml; charset=utf-8", append([]byte(xml.Header), out...))
}

// truncate keeps the first n bytes of what a shopper typed or said.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
