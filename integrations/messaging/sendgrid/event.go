package sendgrid

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sendgrid/sendgrid-go/helpers/eventwebhook"
)

// The Event Webhook's signature headers.
const (
	SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature"
	TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp"
)

// ErrInvalidSignature means a webhook request was not signed by SendGrid with
// the configured key, or was altered on the way.
var ErrInvalidSignature = errors.New("sendgrid: invalid event webhook signature")

// EventWindow is how far an event's signed timestamp may be from now. The
// signature covers the timestamp, so the window keeps a captured request
// from being replayed later.
const EventWindow = 10 * time.Minute

// ErrStaleEvent means a genuinely signed request was signed more than
// EventWindow from now: a replay, or a clock far off.
var ErrStaleEvent = errors.New("sendgrid: event webhook timestamp outside the accepted window")

// VerifyEvent checks the Signed Event Webhook: signature is the base64 DER
// ECDSA signature over sha256(timestamp + body), made with the key whose
// public half publicKeyBase64 (as shown in SendGrid's settings) holds, and
// timestamp (Unix seconds) is within EventWindow of now. body must be the raw
// request body, byte for byte. It returns ErrInvalidSignature for a bad or
// missing signature, ErrStaleEvent for an old or future timestamp, and
// another error for an unusable key.
func VerifyEvent(publicKeyBase64 string, body []byte, signature, timestamp string, now time.Time) error {
	key, err := parsePublicKey(publicKeyBase64)
	if err != nil {
		return err
	}
	if signature == "" || timestamp == "" {
		return ErrInvalidSignature
	}
	ok, err := eventwebhook.VerifySignature(key, body, signature, timestamp)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidSignature, err)
	}
	if !ok {
		return ErrInvalidSignature
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: timestamp %q is not Unix seconds", ErrInvalidSignature, timestamp)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > EventWindow || d < -EventWindow {
		return fmt.Errorf("%w: signed at %s, %s from now", ErrStaleEvent, time.Unix(sec, 0).UTC().Format(time.RFC3339), d.Round(time.Second))
	}
	return nil
}

// parsePublicKey does what eventwebhook.ConvertPublicKeyBase64ToECDSA does,
// without its panic when the key is not an ECDSA key.
func parsePublicKey(b64 string) (*ecdsa.PublicKey, error) {
	der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		return nil, fmt.Errorf("sendgrid webhook public key: %w", err)
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("sendgrid webhook public key: %w", err)
	}
	key, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("sendgrid webhook public key: %T is not an ECDSA key", pub)
	}
	return key, nil
}

// Event is one delivery or engagement event from the Event Webhook.
type Event struct {
	// MessageID is ordertrack's message ID, from the message_id custom
	// argument; empty for mail not sent by Send.
	MessageID string
	// ProviderID is SendGrid's message ID: sg_message_id up to its first dot,
	// which equals the ID Send returned.
	ProviderID string
	// EventID (sg_event_id) is unique per event; SendGrid delivers events at
	// least once, so use it to drop duplicates.
	EventID string
	// Event is SendGrid's name: processed, deferred, delivered, bounce,
	// dropped, open, click, spamreport, unsubscribe, group_unsubscribe,
	// group_resubscribe.
	Event     string
	Email     string
	Timestamp time.Time
	// Reason says why a message bounced, was dropped or deferred (SendGrid's
	// reason, or the receiving server's response).
	Reason string
	// BounceType is "bounce" (hard) or "blocked" (soft) for bounce events.
	BounceType string
	// URL is the link clicked, for click events.
	URL string
}

// wireEvent is one element of the webhook's JSON array. Custom arguments
// appear as top-level keys next to SendGrid's own.
type wireEvent struct {
	Email        string `json:"email"`
	Timestamp    int64  `json:"timestamp"`
	Event        string `json:"event"`
	SGEventID    string `json:"sg_event_id"`
	SGMessageID  string `json:"sg_message_id"`
	Reason       string `json:"reason"`
	Response     string `json:"response"`
	Type         string `json:"type"`
	URL          string `json:"url"`
	OurMessageID string `json:"message_id"`
}

// ParseEvents decodes an Event Webhook body (a JSON array of events). Verify
// the signature first.
func ParseEvents(body []byte) ([]Event, error) {
	var wire []wireEvent
	if err := json.Unmarshal(body, &wire); err != nil {
		return nil, fmt.Errorf("sendgrid events: %w", err)
	}
	events := make([]Event, 0, len(wire))
	for _, w := range wire {
		providerID, _, _ := strings.Cut(w.SGMessageID, ".")
		reason := w.Reason
		if reason == "" {
			reason = w.Response
		}
		events = append(events, Event{
			MessageID:  w.OurMessageID,
			ProviderID: providerID,
			EventID:    w.SGEventID,
			Event:      w.Event,
			Email:      w.Email,
			Timestamp:  time.Unix(w.Timestamp, 0).UTC(),
			Reason:     reason,
			BounceType: w.Type,
			URL:        w.URL,
		})
	}
	return events, nil
}
