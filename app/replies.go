package app

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/integrations/messaging/twilio"
	"github.com/ordertrack/ordertrack/storage"
)

// replyWindow is how far back an inbound reply looks for the messages it
// answers: a STOP reaches every shop that texted the number in this time.
const replyWindow = 30 * 24 * time.Hour

// askingTriggers are the updates that ask the shopper to answer 1 or 2.
var askingTriggers = []string{
	string(tracking.TriggerActionRequired), string(tracking.TriggerFailedAttempt), string(tracking.TriggerCODReminder),
}

// twilioInbound answers an SMS or WhatsApp reply: STOP/START change the
// shopper's preference for every shop that texted them; 1/CONFIRM and
// 2/RESCHEDULE answer the latest update that asked; anything else gets help.
func (a *App) twilioInbound(c echo.Context) error {
	form, err := a.verifyTwilio(c)
	if err != nil {
		return err
	}
	in := twilio.ParseInbound(form)
	ctx := c.Request().Context()
	recent, err := a.db.NotificationsTo(ctx, in.From, a.now().Add(-replyWindow))
	if err != nil {
		return err
	}
	channel := string(in.Channel)
	reply := twilio.ParseReply(in.Body)
	a.metrics.Webhooks.WithLabelValues("twilio", "reply_"+string(reply)).Inc()
	var text string
	switch reply {
	case twilio.ReplyStop, twilio.ReplyStart:
		stop := reply == twilio.ReplyStop
		for _, shopID := range shopsOf(recent) {
			c := &storage.Contact{ShopID: shopID, Channel: channel, Address: in.From, OptedOut: stop, Consent: !stop, Source: channel + "_" + string(reply)}
			if err := a.db.SetContact(ctx, c); err != nil {
				return err
			}
		}
		switch {
		case stop && in.Channel == twilio.ChannelSMS:
			// Twilio's opt-out handling already confirmed, and blocks any
			// further text to this number, our reply included.
		case stop:
			text = "You won't get more delivery updates here. Reply START to turn them back on."
		default:
			text = "Delivery updates are back on. Reply STOP to turn them off."
		}
	case twilio.ReplyConfirm, twilio.ReplyReschedule:
		text, err = a.answerAsk(ctx, recent, reply, channel, in.Body)
		if err != nil {
			return err
		}
	case twilio.ReplyHelp:
		text = helpText(a.latestLink(ctx, recent))
	default:
		text = "Sorry, we didn't understand. " + helpText(a.latestLink(ctx, recent))
	}
	return twiml(c, twimlResponse{Message: text})
}

// answerAsk records a 1/CONFIRM or 2/RESCHEDULE for the shipment whose
// latest update asked for it.
func (a *App) answerAsk(ctx context.Context, recent []storage.Notification, reply twilio.Reply, source, body string) (string, error) {
	i := slices.IndexFunc(recent, func(n storage.Notification) bool {
		return n.ShipmentID != nil && slices.Contains(askingTriggers, n.Trigger)
	})
	if i < 0 {
		return "We have no open question for you. " + helpText(a.latestLink(ctx, recent)), nil
	}
	ship, err := a.shipmentOf(ctx, recent[i])
	if err != nil {
		return "", err
	}
	details := map[string]string{"reply": truncate(body, 160), "trigger": recent[i].Trigger}
	if reply == twilio.ReplyConfirm {
		if err := a.recordAction(ctx, ship, string(trackpage.ActionConfirmAddress), source, details); err != nil {
			return "", err
		}
		return "Thanks, we've let the store know.", nil
	}
	if err := a.recordAction(ctx, ship, string(trackpage.ActionReschedule), source, details); err != nil {
		return "", err
	}
	return "Thanks. Choose your new delivery day here: " + a.trackingURL(ship) + "#actions", nil
}

// twilioGather records a key press (or spoken answer) during an update call
// as a customer action, using the keys that call's script offered.
func (a *App) twilioGather(c echo.Context) error {
	form, err := a.verifyTwilio(c)
	if err != nil {
		return err
	}
	g := twilio.ParseGather(form)
	ctx := c.Request().Context()
	id, err := strconv.ParseInt(g.MessageID, 10, 64)
	if err != nil {
		return twiml(c, twimlResponse{Say: "Sorry, something went wrong. Goodbye.", Hangup: &struct{}{}})
	}
	n, err := a.db.Notification(ctx, id)
	if err != nil {
		return err
	}
	trig := tracking.Trigger(n.Trigger)
	digit := g.Digits
	switch {
	case digit == "" && g.Reply == twilio.ReplyConfirm:
		digit = "1"
	case digit == "" && g.Reply == twilio.ReplyReschedule:
		digit = "2"
	}
	opts := notify.VoiceOptions(trig)
	i := slices.IndexFunc(opts, func(o notify.VoiceOption) bool { return o.Digit == digit })
	if i < 0 || opts[i].Action == notify.VoiceRepeat {
		return c.Blob(http.StatusOK, "text/xml; charset=utf-8", []byte(a.voiceTwiML(trig, n.Body, g.MessageID)))
	}
	kind, say := voiceAnswer(opts[i].Action)
	ship, err := a.shipmentOf(ctx, *n)
	if err != nil {
		return err
	}
	details := map[string]string{"digit": digit, "trigger": n.Trigger}
	if g.Speech != "" {
		details["speech"] = truncate(g.Speech, 160)
	}
	if err := a.recordAction(ctx, ship, string(kind), "voice", details); err != nil {
		return err
	}
	return twiml(c, twimlResponse{Say: say, Hangup: &struct{}{}})
}

// voiceAnswer is the customer action a key records and what the call says
// before hanging up.
func voiceAnswer(v notify.VoiceAction) (trackpage.ActionKind, string) {
	switch v {
	case notify.VoiceConfirm:
		return trackpage.ActionConfirmAddress, "Thank you. We've let the store know. Goodbye."
	case notify.VoiceReschedule:
		return trackpage.ActionReschedule, "Thank you. The store has your request to reschedule and will follow up. Goodbye."
	default:
		return trackpage.ActionContactSupport, "Thank you. The store will contact you soon. Goodbye."
	}
}

func (a *App) shipmentOf(ctx context.Context, n storage.Notification) (*storage.Shipment, error) {
	if n.ShipmentID == nil {
		return nil, fmt.Errorf("message %d has no shipment: %w", n.ID, storage.ErrNotFound)
	}
	ships, err := a.db.ShipmentsByID(ctx, []int64{*n.ShipmentID})
	if err != nil {
		return nil, err
	}
	if len(ships) == 0 {
		return nil, fmt.Errorf("shipment %d: %w", *n.ShipmentID, storage.ErrNotFound)
	}
	return &ships[0], nil
}

// latestLink is the tracking link of the newest update to the shopper, or
// empty.
func (a *App) latestLink(ctx context.Context, recent []storage.Notification) string {
	for _, n := range recent {
		if s, err := a.shipmentOf(ctx, n); err == nil {
			return a.trackingURL(s)
		} else if !errors.Is(err, storage.ErrNotFound) {
			a.log.Warn("tracking link for reply", "err", err)
			return ""
		}
	}
	return ""
}

func helpText(link string) string {
	text := "Reply 1 to confirm, 2 to reschedule, STOP to stop updates."
	if link != "" {
		text += " Track your order: " + link
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
	Say     string    `xml:"Say,omitempty"`
	Hangup  *struct{} `xml:"Hangup"`
}

func twiml(c echo.Context, r twimlResponse) error {
	out, err := xml.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode twiml: %w", err)
	}
	return c.Blob(http.StatusOK, "text/xml; charset=utf-8", append([]byte(xml.Header), out...))
}
