package woocommerce

import (
	"encoding/json"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"
)

// ConsentMetaKey is the order meta where the ordertrack plugin keeps what
// the shopper agreed to at checkout ("Text me shipping updates",
// "WhatsApp me", "Call me"): the channels ticked, the words shown next to
// each, when and from which IP.
const ConsentMetaKey = "_ordertrack_consent"

// CheckoutConsent is the checkout's opt-in, as the plugin stored it.
type CheckoutConsent struct {
	Time     time.Time // when the order was placed with the boxes ticked
	IP       string
	Locale   string // the site language the words were shown in, e.g. de_DE
	Channels []ChannelConsent
}

// ChannelConsent is one ticked box: its channel (sms, whatsapp or voice)
// and the words next to it.
type ChannelConsent struct {
	Channel string
	Wording string
}

// The meta is written by whatever runs on the store, so what is kept of it
// is bounded: a box's words (a sentence or two) and a locale tag; an IP
// that is not one is dropped.
const (
	maxWording = 2000
	maxLocale  = 35
)

// bounded is s cut to at most n bytes on a character boundary.
func bounded(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

type wireConsent struct {
	Time     string `json:"time"`
	IP       string `json:"ip"`
	Locale   string `json:"locale"`
	Channels []struct {
		Channel string `json:"channel"`
		Wording string `json:"wording"`
	} `json:"channels"`
}

// consentFromMeta reads the _ordertrack_consent value: an object (the
// plugin stores an array, which the REST API emits as one), or that object
// JSON-encoded in a string by an older writer. Anything else, or no ticked
// box, is no consent.
func consentFromMeta(v json.RawMessage) *CheckoutConsent {
	var s string
	if json.Unmarshal(v, &s) == nil {
		v = json.RawMessage(s)
	}
	var w wireConsent
	if json.Unmarshal(v, &w) != nil {
		return nil
	}
	c := &CheckoutConsent{Locale: bounded(w.Locale, maxLocale)}
	if ip, err := netip.ParseAddr(strings.TrimSpace(w.IP)); err == nil {
		c.IP = ip.String()
	}
	if t, err := time.Parse(time.RFC3339, w.Time); err == nil {
		c.Time = t.UTC()
	}
	for _, ch := range w.Channels {
		switch ch.Channel {
		case "sms", "whatsapp", "voice":
			if strings.TrimSpace(ch.Wording) != "" {
				c.Channels = append(c.Channels, ChannelConsent{Channel: ch.Channel, Wording: bounded(ch.Wording, maxWording)})
			}
		}
	}
	if len(c.Channels) == 0 {
		return nil
	}
	return c
}
