// Package notify decides which proactive updates a shopper gets (rules.go),
// renders them from merchant-editable Liquid templates in a sandbox
// (render.go), and measures SMS length (segments.go). It does no I/O beyond
// reading the embedded default templates: senders and jobs live elsewhere.
package notify

// Channel is a way of reaching a shopper.
type Channel string

// The channels, in the order a merchant sees them.
const (
	ChannelEmail    Channel = "email"
	ChannelSMS      Channel = "sms"
	ChannelWhatsApp Channel = "whatsapp"
	ChannelVoice    Channel = "voice"
)

// Channels lists every channel.
var Channels = []Channel{ChannelEmail, ChannelSMS, ChannelWhatsApp, ChannelVoice}

// NeedsConsent reports whether the shopper must have explicitly agreed to be
// contacted on the channel. Transactional email about an order they placed
// does not need it; phone channels do (TCPA, GDPR/ePrivacy, WhatsApp policy).
func (c Channel) NeedsConsent() bool { return c != ChannelEmail }

// Parts lists the templates a channel's message is made of.
func (c Channel) Parts() []Part {
	switch c {
	case ChannelEmail:
		return []Part{PartEmailSubject, PartEmailHTML, PartEmailText}
	case ChannelSMS:
		return []Part{PartSMS}
	case ChannelWhatsApp:
		return []Part{PartWhatsApp}
	case ChannelVoice:
		return []Part{PartVoice}
	}
	return nil
}

// Part is one template of a message: an email has three, other channels one.
type Part string

// The parts. The value is the middle of the template file name:
// <trigger>.<part>.liquid.
const (
	PartEmailSubject Part = "email.subject"
	PartEmailHTML    Part = "email.html"
	PartEmailText    Part = "email.text"
	PartSMS          Part = "sms"
	PartWhatsApp     Part = "whatsapp"
	PartVoice        Part = "voice"
)

// Parts lists every part.
var Parts = []Part{PartEmailSubject, PartEmailHTML, PartEmailText, PartSMS, PartWhatsApp, PartVoice}

// HTML reports whether the part's output is HTML, so interpolated values are
// escaped. Only the email body is.
func (p Part) HTML() bool { return p == PartEmailHTML }

// Locales lists the languages a shopper's messages can be written in (the
// copy catalog's); any other locale falls back to English. en, es, fr and
// de ship a template for every part; pt, it, nl and ja ship SMS, and their
// other parts read in English (see Compose) unless the merchant writes them.
var Locales = []string{"en", "es", "fr", "de", "pt", "it", "nl", "ja"}
