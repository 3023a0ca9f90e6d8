package notify

import (
	"strings"

	"github.com/ordertrack/ordertrack/app/locale"
)

// ReplyCopy is what ordertrack answers, in one language, when a shopper
// texts back or presses a key during an update call. Texts ending in a link
// get it appended by the caller when there is one. The words are the copy
// catalog's reply.* keys.
type ReplyCopy struct {
	Stopped, Restarted string // after STOP on WhatsApp, and START
	Confirmed          string // 1 / CONFIRM recorded
	Reschedule         string // 2 / RESCHEDULE recorded; the action link follows
	NoQuestion         string // 1 or 2 with nothing open to answer
	Help               string // the keywords; the tracking link follows
	NotUnderstood      string // anything else; Help follows
	TrackLabel         string // before the tracking link
	OptInConfirmed     string // YES to a double opt-in's question
	StopHint           string // how to stop, closing the first SMS
	// Voice answers, said before hanging up.
	VoiceConfirmed, VoiceReschedule, VoiceSupport, VoiceError string
}

// Replies is the reply copy for a shopper's locale, English when the
// language has none.
func Replies(tag string) ReplyCopy {
	c := locale.ForLocale(tag)
	vc := c // calls speak only the languages they have a script in
	if _, ok := voiceLanguages[c.Lang()]; !ok {
		vc = locale.ForLocale("en")
	}
	return ReplyCopy{
		Stopped: c.T("reply.stopped"), Restarted: c.T("reply.restarted"),
		Confirmed: c.T("reply.confirmed"), Reschedule: c.T("reply.reschedule"),
		NoQuestion: c.T("reply.no_question"), Help: c.T("reply.help"),
		NotUnderstood: c.T("reply.not_understood"), TrackLabel: c.T("reply.track_label"),
		OptInConfirmed: c.T("reply.optin_confirmed"), StopHint: c.T("sms.stop_hint"),
		VoiceConfirmed: vc.T("reply.voice.confirmed"), VoiceReschedule: vc.T("reply.voice.reschedule"),
		VoiceSupport: vc.T("reply.voice.support"), VoiceError: vc.T("reply.voice.error"),
	}
}

// voiceLanguages are the Twilio <Say>/<Gather> languages, by the shopper's
// locale: the regional variant when Twilio has it, else the language's
// most widely understood one.
var voiceLanguages = map[string]string{
	"en": "en-US", "en-us": "en-US", "en-gb": "en-GB", "en-au": "en-AU", "en-ca": "en-CA", "en-in": "en-IN",
	"es": "es-ES", "es-es": "es-ES", "es-mx": "es-MX", "es-us": "es-US",
	"fr": "fr-FR", "fr-fr": "fr-FR", "fr-ca": "fr-CA",
	"de": "de-DE", "de-de": "de-DE",
	"pt": "pt-BR", // the scripts are Brazilian Portuguese, pt-PT included
	"it": "it-IT",
	"nl": "nl-NL",
	"ja": "ja-JP",
}

// VoiceLanguage is the language an update call speaks and listens in for a
// shopper's locale ("es_MX", "fr-CA", "pt-PT", "ja"); English for any
// language the templates are not written in, since the script is English
// then too.
func VoiceLanguage(locale string) string {
	l := strings.ToLower(strings.ReplaceAll(locale, "_", "-"))
	if v, ok := voiceLanguages[l]; ok {
		return v
	}
	if v, ok := voiceLanguages[Language(locale)]; ok {
		return v
	}
	return voiceLanguages["en"]
}
