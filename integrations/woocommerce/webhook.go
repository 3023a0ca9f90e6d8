package woocommerce

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Webhook delivery headers.
const (
	HeaderTopic      = "X-WC-Webhook-Topic"
	HeaderResource   = "X-WC-Webhook-Resource"
	HeaderEvent      = "X-WC-Webhook-Event"
	HeaderSignature  = "X-WC-Webhook-Signature"
	HeaderWebhookID  = "X-WC-Webhook-ID"
	HeaderDeliveryID = "X-WC-Webhook-Delivery-ID"
	HeaderSource     = "X-WC-Webhook-Source"
)

// Webhook topics the app subscribes to.
const (
	TopicOrderCreated = "order.created"
	TopicOrderUpdated = "order.updated"
	TopicOrderDeleted = "order.deleted"
	// ActionTrackingUpdated is the hook the companion plugin fires with the
	// order id when tracking meta changes. WooCommerce only accepts custom
	// action topics whose hook starts with "woocommerce_" or "wc_"
	// (wc_is_webhook_valid_topic), hence the prefix.
	ActionTrackingUpdated = "wc_ordertrack_tracking_updated"
	TopicTrackingUpdated  = "action." + ActionTrackingUpdated
)

// Topics lists every webhook topic EnsureWebhooks keeps subscribed.
var Topics = []string{TopicOrderCreated, TopicOrderUpdated, TopicOrderDeleted, TopicTrackingUpdated}

// ErrNotDelivery means a request lacks the headers of a webhook delivery.
var ErrNotDelivery = errors.New("not a WooCommerce webhook delivery")

// Delivery is the metadata WooCommerce sends in the headers of a webhook.
type Delivery struct {
	Topic      string // "order.updated", "action.wc_ordertrack_tracking_updated"
	Resource   string // "order", "action"
	Event      string // "updated", or the action hook name
	WebhookID  int64
	DeliveryID string // unique per delivery; dedupe on it
	Source     string // the store's home_url, with a trailing slash
	Signature  string
}

// ParseDelivery reads the X-WC-Webhook-* headers. It does not verify the
// signature; call Verify with the raw body.
func ParseDelivery(h http.Header) (Delivery, error) {
	d := Delivery{
		Topic:      h.Get(HeaderTopic),
		Resource:   h.Get(HeaderResource),
		Event:      h.Get(HeaderEvent),
		DeliveryID: h.Get(HeaderDeliveryID),
		Source:     h.Get(HeaderSource),
		Signature:  h.Get(HeaderSignature),
	}
	if d.Topic == "" || d.Signature == "" {
		return Delivery{}, fmt.Errorf("%w: missing %s or %s", ErrNotDelivery, HeaderTopic, HeaderSignature)
	}
	if raw := h.Get(HeaderWebhookID); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return Delivery{}, fmt.Errorf("%w: bad %s %q", ErrNotDelivery, HeaderWebhookID, raw)
		}
		d.WebhookID = id
	}
	return d, nil
}

// Verify reports whether signatureHeader is WooCommerce's signature of body:
// base64(HMAC-SHA256(raw body, secret)), compared in constant time. body must
// be the exact bytes received. WooCommerce keys the HMAC with
// wp_specialchars_decode(secret), so HTML entities in the secret are decoded
// the same way here; secrets from NewSecret never contain any.
func Verify(secret string, body []byte, signatureHeader string) bool {
	if secret == "" || signatureHeader == "" {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(signatureHeader))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(specialcharsDecode(secret)))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

var pingBody = regexp.MustCompile(`^webhook_id=[0-9]+$`)

// IsPing reports whether the request is the unsigned ping WooCommerce posts
// when a webhook is created or re-saved (form body "webhook_id=<id>", no
// topic or signature headers). Answer it with 200 and nothing else: a failed
// ping leaves the webhook pending. It carries no data, so accepting it
// unverified is harmless.
func IsPing(h http.Header, body []byte) bool {
	if h.Get(HeaderSignature) != "" || h.Get(HeaderTopic) != "" {
		return false
	}
	return pingBody.Match(bytes.TrimSpace(body))
}

// NewSecret returns a random 40-character alphanumeric webhook secret. The
// app sends its own secret because WooCommerce's generated one contains
// special characters that it HTML-decodes before signing.
func NewSecret() (string, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 40)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("read random secret: %w", err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)] // 256 % 62 bias is irrelevant at 40 chars
	}
	return string(b), nil
}

// wpEntity matches the entities wp_specialchars_decode($s, ENT_QUOTES)
// decodes: named &amp; &lt; &gt; &quot; and the numeric forms of & < > " '.
var wpEntity = regexp.MustCompile(`&(amp|lt|gt|quot|#0*(34|38|39|60|62)|#[xX]0*(22|26|27|3[cCeE]));`)

// specialcharsDecode mirrors wp_specialchars_decode($s, ENT_QUOTES) in one
// pass, like PHP's strtr: "&amp;lt;" becomes "&lt;", not "<".
func specialcharsDecode(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return wpEntity.ReplaceAllStringFunc(s, func(e string) string {
		k := strings.ToLower(strings.Trim(e, "&;"))
		if strings.HasPrefix(k, "#x") {
			k = "x" + strings.TrimLeft(k[2:], "0")
		} else if strings.HasPrefix(k, "#") {
			k = strings.TrimLeft(k[1:], "0")
		}
		switch k {
		case "amp", "38", "x26":
			return "&"
		case "lt", "60", "x3c":
			return "<"
		case "gt", "62", "x3e":
			return ">"
		case "quot", "34", "x22":
			return `"`
		default:
			return "'"
		}
	})
}
