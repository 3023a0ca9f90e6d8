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
	// VoiceDoor and VoiceRescheduledDay ({day}) are the goodbyes after
	// "leave it at the door" and a named weekday.
	VoiceDoor, VoiceRescheduledDay string
	// What the call understood, said back before acting: a weekday
	// ({day}), the door, a reschedule, yes, the store.
	VoiceHeardDay, VoiceHeardDoor, VoiceHeardReschedule, VoiceHeardConfirm, VoiceHeardSupport string
	// VoiceConfirmPrompt asks for 1/yes or 2/no after VoiceHeard*.
	VoiceConfirmPrompt string
	// VoiceSorry precedes the menu again after an answer not understood;
	// after the second, VoiceHandover connects to the store's support
	// line, or, with none, VoiceNoHandover says goodbye.
	VoiceSorry, VoiceHandover, VoiceNoHandover string
}

// Replies is the reply copy for a shopper's locale, English when the
// language has none. A call's answers are in the language the call speaks:
// pass its VoiceLanguage.
func Replies(tag string) ReplyCopy {
	c := locale.ForLocale(tag)
	return ReplyCopy{
		Stopped: c.T("reply.stopped"), Restarted: c.T("reply.restarted"),
		Confirmed: c.T("reply.confirmed"), Reschedule: c.T("reply.reschedule"),
		NoQuestion: c.T("reply.no_question"), Help: c.T("reply.help"),
		NotUnderstood: c.T("reply.not_understood"), TrackLabel: c.T("reply.track_label"),
		OptInConfirmed: c.T("reply.optin_confirmed"), StopHint: c.T("sms.stop_hint"),
		VoiceConfirmed: c.T("reply.voice.confirmed"), VoiceReschedule: c.T("reply.voice.reschedule"),
		VoiceSupport: c.T("reply.voice.support"), VoiceError: c.T("reply.voice.error"),
		VoiceDoor: c.T("reply.voice.door"), VoiceRescheduledDay: c.T("reply.voice.rescheduled_day"),
		VoiceHeardDay: c.T("reply.voice.heard_day"), VoiceHeardDoor: c.T("reply.voice.heard_door"),
		VoiceHeardReschedule: c.T("reply.voice.heard_reschedule"), VoiceHeardConfirm: c.T("reply.voice.heard_confirm"),
		VoiceHeardSupport: c.T("reply.voice.heard_support"), VoiceConfirmPrompt: c.T("reply.voice.confirm_prompt"),
		VoiceSorry: c.T("reply.voice.sorry"), VoiceHandover: c.T("reply.voice.handover"), VoiceNoHandover: c.T("reply.voice.no_handover"),
	}
}

// voiceLanguages are the Twilio <Say>/<Gather> languages (both take these
// BCP 47 tags), by the shopper's locale, for every language the app
// speaks: the regional variant when Twilio has it, else the language's
// most widely understood one (Brazilian Portuguese).
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
