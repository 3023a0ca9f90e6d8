package messaging

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/integrations/messaging/sendgrid"
	"github.com/ordertrack/ordertrack/integrations/messaging/twilio"
	"github.com/ordertrack/ordertrack/storage"
)

// SendGridEvents receives SendGrid's signed Event Webhook and moves each
// message in the log forward: delivered, opened, or failed with the bounce
// or drop reason. SendGrid retries on anything but 2xx for 24 hours, so a
// message we no longer know is acknowledged, not refused.
func (m *Messenger) SendGridEvents(c echo.Context) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return fmt.Errorf("read sendgrid events: %w", err)
	}
	h := c.Request().Header
	err = sendgrid.VerifyEvent(m.sendGridPublicKey, body, h.Get(sendgrid.SignatureHeader), h.Get(sendgrid.TimestampHeader), m.now())
	if errors.Is(err, sendgrid.ErrStaleEvent) {
		m.metrics.Webhooks.WithLabelValues("sendgrid", "stale").Inc()
		return echo.NewHTTPError(http.StatusUnauthorized, "signature timestamp outside the 10-minute window")
	}
	if err != nil {
		m.metrics.Webhooks.WithLabelValues("sendgrid", "bad_signature").Inc()
		return echo.NewHTTPError(http.StatusUnauthorized, "invalid signature")
	}
	events, err := sendgrid.ParseEvents(body)
	if err != nil {
		m.metrics.Webhooks.WithLabelValues("sendgrid", "malformed").Inc()
		return echo.NewHTTPError(http.StatusBadRequest, "malformed events")
	}
	ctx := c.Request().Context()
	for _, e := range events {
		if err := m.applySendGridEvent(ctx, e); err != nil {
			return err // 500: SendGrid redelivers, and replays are no-ops
		}
	}
	m.metrics.Webhooks.WithLabelValues("sendgrid", "ok").Inc()
	return c.NoContent(http.StatusOK)
}

func (m *Messenger) applySendGridEvent(ctx context.Context, e sendgrid.Event) error {
	var status, reason string
	optOut := false
	switch e.Event {
	case "delivered":
		status = storage.NotificationDelivered
	case "open", "click":
		status = storage.NotificationOpened
	case "bounce", "dropped":
		status, reason = storage.NotificationFailed, e.Event+": "+e.Reason
	case "spamreport", "unsubscribe", "group_unsubscribe":
		optOut = true
	default:
		return nil // processed, deferred, group_resubscribe: nothing to show
	}
	n, err := m.messageOfEvent(ctx, e.MessageID, "sendgrid", e.ProviderID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if optOut {
		// Complaints and unsubscribes through the mail client mean the same
		// as our own unsubscribe link.
		return m.db.SetContact(ctx, &storage.Contact{ShopID: n.ShopID, Channel: "email", Address: n.Recipient, OptedOut: true, Source: "sendgrid_" + e.Event})
	}
	return m.advance(ctx, n, status, reason)
}

// TwilioStatus receives Twilio's message and call status callbacks.
func (m *Messenger) TwilioStatus(c echo.Context) error {
	form, signer, err := m.verifyTwilio(c)
	if err != nil {
		return err
	}
	s := twilio.ParseStatus(form)
	var status, reason string
	switch s.Status {
	case "sent":
		status = storage.NotificationSent
	case "delivered", "completed":
		status = storage.NotificationDelivered
	case "read":
		status = storage.NotificationOpened
	case "undelivered", "failed", "busy", "no-answer", "canceled":
		status, reason = storage.NotificationFailed, "twilio: "+s.Status
		if s.ErrorCode != "" {
			reason += " (error " + s.ErrorCode + ")"
		}
	default:
		return c.NoContent(http.StatusNoContent) // queued, sending, ringing, …
	}
	n, err := m.messageOfEvent(c.Request().Context(), s.MessageID, "twilio", s.SID)
	if errors.Is(err, storage.ErrNotFound) {
		return c.NoContent(http.StatusNoContent)
	}
	if err != nil {
		return err
	}
	if !signer.speaksFor(n.ShopID) {
		// Another merchant's account cannot move (or bill) this shop's
		// messages; answered like a message we do not know.
		m.metrics.Webhooks.WithLabelValues("twilio", "other_account").Inc()
		return c.NoContent(http.StatusNoContent)
	}
	if err := m.advance(c.Request().Context(), n, status, reason); err != nil {
		return err
	}
	if n.Channel == "voice" && s.Duration > 0 {
		// A call costs its started minutes, as Twilio bills it.
		if err := m.db.SetNotificationUnits(c.Request().Context(), n.ID, int((s.Duration+time.Minute-1)/time.Minute)); err != nil {
			return err
		}
	}
	m.metrics.Webhooks.WithLabelValues("twilio", "ok").Inc()
	return c.NoContent(http.StatusNoContent)
}

// messageOfEvent finds the logged message a provider event is about: by our
// id when the event carries it, else by the provider's id.
func (m *Messenger) messageOfEvent(ctx context.Context, messageID, provider, providerID string) (*storage.Notification, error) {
	if id, err := strconv.ParseInt(messageID, 10, 64); err == nil {
		return m.db.Notification(ctx, id)
	}
	if providerID == "" {
		return nil, fmt.Errorf("%s event without message id: %w", provider, storage.ErrNotFound)
	}
	return m.db.NotificationByProviderID(ctx, provider, providerID)
}

// advance records a provider's news about a message; stale and repeated
// events change nothing and count nothing.
func (m *Messenger) advance(ctx context.Context, n *storage.Notification, status, reason string) error {
	changed, err := m.db.AdvanceNotification(ctx, n.ID, status, reason)
	if err != nil {
		return err
	}
	if changed {
		m.metrics.Notifications.WithLabelValues(n.Channel, status).Inc()
	}
	return nil
}

// twilioSigner is whose auth token signed a Twilio webhook: the platform's
// (shops nil), whose word counts for every shop, or a merchant's own
// account's, which speaks for the shops that connected it and no other:
// its owner holds the token and can sign whatever it likes.
type twilioSigner struct{ shops []int64 }

// platform reports whether the platform's own account signed.
func (s twilioSigner) platform() bool { return s.shops == nil }

// speaksFor reports whether the signer may report on, or answer for, the
// shop's messages and shoppers.
func (s twilioSigner) speaksFor(shopID int64) bool {
	return s.shops == nil || slices.Contains(s.shops, shopID)
}

// verifyTwilio checks X-Twilio-Signature and returns the request's form
// (query and body) and who signed it. Twilio signs the URL it called, which
// behind Fly's proxy is APP_URL plus the path and query, never what r.Host
// says. A missing or wrong signature is 401 and nothing is read further.
func (m *Messenger) verifyTwilio(c echo.Context) (url.Values, twilioSigner, error) {
	r := c.Request()
	if err := r.ParseForm(); err != nil {
		return nil, twilioSigner{}, echo.NewHTTPError(http.StatusBadRequest, "malformed form")
	}
	fullURL := m.links.Base() + r.URL.RequestURI()
	sig := r.Header.Get(twilio.SignatureHeader)
	if twilio.Validate(m.twilioAuthToken, fullURL, r.PostForm, sig) {
		return r.Form, twilioSigner{}, nil
	}
	// A merchant's own Twilio account signs with its own token, and speaks
	// for the shops whose token it is.
	if sid := r.PostForm.Get("AccountSid"); sid != "" {
		tokens, err := m.db.TwilioAccountShops(r.Context(), sid)
		if err != nil {
			return nil, twilioSigner{}, err
		}
		var shops []int64
		for shopID, token := range tokens {
			if twilio.Validate(token, fullURL, r.PostForm, sig) {
				shops = append(shops, shopID)
			}
		}
		if len(shops) > 0 {
			return r.Form, twilioSigner{shops: shops}, nil
		}
	}
	m.metrics.Webhooks.WithLabelValues("twilio", "bad_signature").Inc()
	return nil, twilioSigner{}, echo.NewHTTPError(http.StatusUnauthorized, "invalid signature")
}
