package notify

import "strings"

// ReplyCopy is what ordertrack answers, in one language, when a shopper
// texts back or presses a key during an update call. Texts ending in a link
// get it appended by the caller when there is one.
type ReplyCopy struct {
	Stopped, Restarted string // after STOP on WhatsApp, and START
	Confirmed          string // 1 / CONFIRM recorded
	Reschedule         string // 2 / RESCHEDULE recorded; the action link follows
	NoQuestion         string // 1 or 2 with nothing open to answer
	Help               string // the keywords; the tracking link follows
	NotUnderstood      string // anything else; Help follows
	TrackLabel         string // before the tracking link
	// Voice answers, said before hanging up.
	VoiceConfirmed, VoiceReschedule, VoiceSupport, VoiceError string
}

var replyCopy = map[string]ReplyCopy{
	"en": {
		Stopped:         "You won't get more delivery updates here. Reply START to turn them back on.",
		Restarted:       "Delivery updates are back on. Reply STOP to turn them off.",
		Confirmed:       "Thanks, we've let the store know.",
		Reschedule:      "Thanks. Choose your new delivery day here:",
		NoQuestion:      "We have no open question for you.",
		Help:            "Reply 1 to confirm, 2 to reschedule, STOP to stop updates.",
		NotUnderstood:   "Sorry, we didn't understand.",
		TrackLabel:      "Track your order:",
		VoiceConfirmed:  "Thank you. We've let the store know. Goodbye.",
		VoiceReschedule: "Thank you. The store has your request to reschedule and will follow up. Goodbye.",
		VoiceSupport:    "Thank you. The store will contact you soon. Goodbye.",
		VoiceError:      "Sorry, something went wrong. Goodbye.",
	},
	"es": {
		Stopped:         "Ya no recibirás más avisos de entrega por aquí. Responde START para volver a activarlos.",
		Restarted:       "Los avisos de entrega vuelven a estar activos. Responde STOP para desactivarlos.",
		Confirmed:       "Gracias, se lo hemos comunicado a la tienda.",
		Reschedule:      "Gracias. Elige tu nuevo día de entrega aquí:",
		NoQuestion:      "No tenemos ninguna pregunta pendiente para ti.",
		Help:            "Responde 1 para confirmar, 2 para reprogramar, STOP para dejar de recibir avisos.",
		NotUnderstood:   "Lo sentimos, no te hemos entendido.",
		TrackLabel:      "Sigue tu pedido:",
		VoiceConfirmed:  "Gracias. Se lo hemos comunicado a la tienda. Adiós.",
		VoiceReschedule: "Gracias. La tienda tiene tu solicitud para reprogramar la entrega y se pondrá en contacto contigo. Adiós.",
		VoiceSupport:    "Gracias. La tienda se pondrá en contacto contigo pronto. Adiós.",
		VoiceError:      "Lo sentimos, algo ha fallado. Adiós.",
	},
	"fr": {
		Stopped:         "Vous ne recevrez plus de suivi de livraison ici. Répondez START pour le réactiver.",
		Restarted:       "Le suivi de livraison est réactivé. Répondez STOP pour le désactiver.",
		Confirmed:       "Merci, nous avons prévenu la boutique.",
		Reschedule:      "Merci. Choisissez votre nouveau jour de livraison ici :",
		NoQuestion:      "Nous n'avons aucune question en attente pour vous.",
		Help:            "Répondez 1 pour confirmer, 2 pour reprogrammer, STOP pour ne plus recevoir de messages.",
		NotUnderstood:   "Désolé, nous n'avons pas compris.",
		TrackLabel:      "Suivez votre commande :",
		VoiceConfirmed:  "Merci. Nous avons prévenu la boutique. Au revoir.",
		VoiceReschedule: "Merci. La boutique a bien reçu votre demande de nouvelle date et reviendra vers vous. Au revoir.",
		VoiceSupport:    "Merci. La boutique vous contactera bientôt. Au revoir.",
		VoiceError:      "Désolé, une erreur s'est produite. Au revoir.",
	},
	"de": {
		Stopped:         "Sie erhalten hier keine Lieferupdates mehr. Antworten Sie START, um sie wieder einzuschalten.",
		Restarted:       "Lieferupdates sind wieder eingeschaltet. Antworten Sie STOP, um sie abzuschalten.",
		Confirmed:       "Danke, wir haben dem Shop Bescheid gegeben.",
		Reschedule:      "Danke. Wählen Sie hier Ihren neuen Liefertag:",
		NoQuestion:      "Wir haben gerade keine offene Frage an Sie.",
		Help:            "Antworten Sie 1 zum Bestätigen, 2 zum Verschieben, STOP um keine Updates mehr zu erhalten.",
		NotUnderstood:   "Entschuldigung, das haben wir nicht verstanden.",
		TrackLabel:      "Ihre Bestellung verfolgen:",
		VoiceConfirmed:  "Vielen Dank. Wir haben dem Shop Bescheid gegeben. Auf Wiederhören.",
		VoiceReschedule: "Vielen Dank. Der Shop hat Ihren Wunsch nach einem neuen Liefertermin erhalten und meldet sich bei Ihnen. Auf Wiederhören.",
		VoiceSupport:    "Vielen Dank. Der Shop meldet sich bald bei Ihnen. Auf Wiederhören.",
		VoiceError:      "Entschuldigung, etwas ist schiefgegangen. Auf Wiederhören.",
	},
}

// Replies is the reply copy for a shopper's locale, English when the
// language has none.
func Replies(locale string) ReplyCopy { return replyCopy[Language(locale)] }

// voiceLanguages are the Twilio <Say>/<Gather> languages, by the shopper's
// locale: the regional variant when Twilio has it, else the language's
// most widely understood one.
var voiceLanguages = map[string]string{
	"en": "en-US", "en-us": "en-US", "en-gb": "en-GB", "en-au": "en-AU", "en-ca": "en-CA", "en-in": "en-IN",
	"es": "es-ES", "es-es": "es-ES", "es-mx": "es-MX", "es-us": "es-US",
	"fr": "fr-FR", "fr-fr": "fr-FR", "fr-ca": "fr-CA",
	"de": "de-DE", "de-de": "de-DE",
}

// VoiceLanguage is the language an update call speaks and listens in for a
// shopper's locale ("es_MX", "fr-CA", "de"); English for any language the
// templates are not written in, since the script is English then too.
func VoiceLanguage(locale string) string {
	l := strings.ToLower(strings.ReplaceAll(locale, "_", "-"))
	if v, ok := voiceLanguages[l]; ok {
		return v
	}
	return voiceLanguages[Language(locale)]
}
