package twilio

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	twclient "github.com/twilio/twilio-go/client"
	"golang.org/x/text/width"
)

// SignatureHeader carries Twilio's signature on every webhook request.
const SignatureHeader = "X-Twilio-Signature"

// Validate reports whether signature (the X-Twilio-Signature header) is
// Twilio's HMAC-SHA1, keyed with authToken, of fullURL followed by every POST
// parameter name and value sorted by name. fullURL must be the exact public
// URL Twilio called, query string included; behind a proxy rebuild its
// scheme and host from the forwarded headers. form is the POST body only
// (http.Request.PostForm); pass nil for GET callbacks.
func Validate(authToken, fullURL string, form url.Values, signature string) bool {
	if authToken == "" || signature == "" {
		return false
	}
	params := make(map[string]string, len(form))
	for k, v := range form {
		if len(v) > 0 {
			params[k] = v[0]
		}
	}
	v := twclient.NewRequestValidator(authToken)
	return v.Validate(fullURL, params, signature)
}

// Channel is how a message travelled.
type Channel string

// The channels.
const (
	ChannelSMS      Channel = "sms"
	ChannelWhatsApp Channel = "whatsapp"
	ChannelVoice    Channel = "voice"
)

// Status is one status callback for a message or a call.
type Status struct {
	// SID is the MessageSid or CallSid that Send or Call returned.
	SID string
	// Status is Twilio's word. Messages: queued, sending, sent, delivered,
	// undelivered, failed, read (WhatsApp). Calls: queued, initiated,
	// ringing, in-progress, completed, busy, no-answer, canceled, failed.
	Status string
	// ErrorCode is Twilio's error code for undelivered or failed messages,
	// e.g. "30003" (unreachable handset); empty otherwise.
	ErrorCode string
	// MessageID is ordertrack's message ID from the callback URL's query.
	MessageID string
	Channel   Channel
	// AnsweredBy is "human", "machine_start", … when answering machine
	// detection ran on a call.
	AnsweredBy string
	// Duration is how long a completed call lasted (CallDuration), zero for
	// messages and calls not completed.
	Duration time.Duration
}

// Final reports whether no further status will follow for the message or call.
func (s Status) Final() bool {
	switch s.Status {
	case "delivered", "undelivered", "failed", "read", "canceled",
		"completed", "busy", "no-answer":
		return true
	}
	return false
}

// ParseStatus reads a status callback. form must hold both the callback
// URL's query (for message_id) and the POST body: http.Request.Form after
// ParseForm.
func ParseStatus(form url.Values) Status {
	s := Status{
		SID:        first(form, "MessageSid", "SmsSid", "CallSid"),
		Status:     first(form, "MessageStatus", "SmsStatus", "CallStatus"),
		ErrorCode:  form.Get("ErrorCode"),
		MessageID:  form.Get(MessageIDParam),
		AnsweredBy: form.Get("AnsweredBy"),
	}
	s.Channel = channelOf(form)
	if sec, err := strconv.Atoi(form.Get("CallDuration")); err == nil && sec > 0 {
		s.Duration = time.Duration(sec) * time.Second
	}
	return s
}

// Inbound is a message a shopper sent to one of our numbers.
type Inbound struct {
	SID string
	// From and To are E.164 numbers, without WhatsApp's "whatsapp:" prefix,
	// so they compare equal to the numbers stored for the shopper.
	From, To string
	Body     string
	Channel  Channel
}

// ParseInbound reads an incoming-message webhook (SMS or WhatsApp).
func ParseInbound(form url.Values) Inbound {
	return Inbound{
		SID:     first(form, "MessageSid", "SmsSid"),
		From:    strings.TrimPrefix(form.Get("From"), "whatsapp:"),
		To:      strings.TrimPrefix(form.Get("To"), "whatsapp:"),
		Body:    form.Get("Body"),
		Channel: channelOf(form),
	}
}

// Gather is the result of a voice <Gather>: the key pressed or the words said.
type Gather struct {
	CallSID string
	Digits  string
	Speech  string
	// Confidence is the speech recogniser's confidence in Speech, from 0
	// to 1; 0 when nothing was said or Twilio sent none.
	Confidence float64
	// MessageID is ordertrack's message ID, from the action URL's query.
	MessageID string
	// Reply is what the shopper chose; a key press wins over speech.
	Reply Reply
}

// ParseGather reads the request Twilio makes to a <Gather> action URL. Like
// ParseStatus it wants http.Request.Form, query and body together.
func ParseGather(form url.Values) Gather {
	g := Gather{
		CallSID:   form.Get("CallSid"),
		Digits:    form.Get("Digits"),
		Speech:    form.Get("SpeechResult"),
		MessageID: form.Get(MessageIDParam),
	}
	if c, err := strconv.ParseFloat(form.Get("Confidence"), 64); err == nil && c >= 0 && c <= 1 {
		g.Confidence = c
	}
	g.Reply = ReplyUnknown
	switch {
	case g.Digits != "":
		g.Reply = ParseReply(g.Digits)
	case g.Speech != "":
		g.Reply = ParseReply(g.Speech)
	}
	return g
}

// Reply is what a shopper's answer means.
type Reply string

// The replies.
const (
	ReplyConfirm    Reply = "confirm"
	ReplyReschedule Reply = "reschedule"
	ReplyStop       Reply = "stop"
	ReplyStart      Reply = "start"
	ReplyHelp       Reply = "help"
	ReplyUnknown    Reply = "unknown"
)

// replyWords maps a whole normalized answer to its meaning, in the
// languages the messages are written in (en, es, fr, de, pt, it, nl, ja).
// The stop, start
// and help words are those carriers and Twilio's Advanced Opt-Out act on
// (ARRET for French Canada), so our records agree with what Twilio already
// did to the number.
var replyWords = map[string]Reply{
	"SI": ReplyConfirm, "SÍ": ReplyConfirm, "CONFIRMAR": ReplyConfirm, "CONFIRMO": ReplyConfirm, "UNO": ReplyConfirm,
	"OUI": ReplyConfirm, "CONFIRMER": ReplyConfirm, "CONFIRME": ReplyConfirm, "CONFIRMÉ": ReplyConfirm, "UN": ReplyConfirm,
	"JA": ReplyConfirm, "BESTÄTIGEN": ReplyConfirm, "BESTAETIGEN": ReplyConfirm, "BESTÄTIGT": ReplyConfirm, "EINS": ReplyConfirm,
	"REPROGRAMAR": ReplyReschedule, "DOS": ReplyReschedule,
	"REPROGRAMMER": ReplyReschedule, "REPORTER": ReplyReschedule, "DEUX": ReplyReschedule,
	"VERSCHIEBEN": ReplyReschedule, "ZWEI": ReplyReschedule,
	"AYUDA": ReplyHelp, "AIDE": ReplyHelp, "HILFE": ReplyHelp,
	"ARRET": ReplyStop, "ARRÊT": ReplyStop, "DESABONNER": ReplyStop, "DÉSABONNER": ReplyStop, "DESINSCRIRE": ReplyStop, "DÉSINSCRIRE": ReplyStop,
	"BAJA": ReplyStop, "PARAR": ReplyStop, "DETENER": ReplyStop, "ALTO": ReplyStop,
	"STOPP": ReplyStop, "ABMELDEN": ReplyStop, "ABBESTELLEN": ReplyStop, "ENDE": ReplyStop,
	"ALTA": ReplyStart, "EMPEZAR": ReplyStart, "REANUDAR": ReplyStart, "COMENZAR": ReplyStart,
	"COMMENCER": ReplyStart, "REPRENDRE": ReplyStart, "DEMARRER": ReplyStart, "DÉMARRER": ReplyStart,
	"ANMELDEN": ReplyStart, "WEITER": ReplyStart, "STARTEN": ReplyStart,
	"SIM": ReplyConfirm, "UM": ReplyConfirm, "REAGENDAR": ReplyReschedule, "DOIS": ReplyReschedule,
	"SAIR": ReplyStop, "CANCELAR": ReplyStop, "DESCADASTRAR": ReplyStop,
	"INICIAR": ReplyStart, "RETOMAR": ReplyStart, "ATIVAR": ReplyStart, "AJUDA": ReplyHelp,
	"SÌ": ReplyConfirm, "CONFERMA": ReplyConfirm, "CONFERMO": ReplyConfirm, "CONFERMARE": ReplyConfirm,
	"RIPROGRAMMA": ReplyReschedule, "RIPROGRAMMARE": ReplyReschedule, "RINVIA": ReplyReschedule, "DUE": ReplyReschedule,
	"BASTA": ReplyStop, "DISISCRIVI": ReplyStop, "ANNULLA": ReplyStop,
	"AVVIA": ReplyStart, "RIPRENDI": ReplyStart, "RIATTIVA": ReplyStart, "AIUTO": ReplyHelp,
	"BEVESTIG": ReplyConfirm, "BEVESTIGEN": ReplyConfirm, "EEN": ReplyConfirm, "ÉÉN": ReplyConfirm,
	"VERZETTEN": ReplyReschedule, "ANDERE DAG": ReplyReschedule, "TWEE": ReplyReschedule,
	"STOPPEN": ReplyStop, "AFMELDEN": ReplyStop, "UITSCHRIJVEN": ReplyStop,
	"AANMELDEN": ReplyStart, "HERVATTEN": ReplyStart, "HULP": ReplyHelp,
	"はい": ReplyConfirm, "確認": ReplyConfirm, "変更": ReplyReschedule, "日時変更": ReplyReschedule,
	"停止": ReplyStop, "配信停止": ReplyStop, "ストップ": ReplyStop,
	"開始": ReplyStart, "再開": ReplyStart, "スタート": ReplyStart, "ヘルプ": ReplyHelp,
	"CONFIRM": ReplyConfirm, "CONFIRMED": ReplyConfirm, "YES": ReplyConfirm, "Y": ReplyConfirm,
	"1": ReplyConfirm, "ONE": ReplyConfirm,
	"RESCHEDULE": ReplyReschedule, "2": ReplyReschedule, "TWO": ReplyReschedule,
	"STOP": ReplyStop, "STOPALL": ReplyStop, "UNSUBSCRIBE": ReplyStop, "CANCEL": ReplyStop,
	"END": ReplyStop, "QUIT": ReplyStop, "OPTOUT": ReplyStop, "REVOKE": ReplyStop,
	"START": ReplyStart, "UNSTOP": ReplyStart,
	"HELP": ReplyHelp, "INFO": ReplyHelp,
}

// ParseReply interprets a text reply or voice transcript. Only the whole
// answer counts, ignoring case, spaces and punctuation ("Stop!" stops,
// "don't stop" does not), as carriers do for opt-out words. Full-width
// letters and digits, which Japanese keyboards type ("ＳＴＯＰ", "１"),
// count as their ASCII forms.
//
// YES confirms here, although Twilio also treats it as an opt-in; a shopper
// who answers a confirmation request with YES is both.
func ParseReply(body string) Reply {
	if r, ok := replyWords[normalize(body)]; ok {
		return r
	}
	return ReplyUnknown
}

// twilioStopWords are the opt-out words Twilio acts on by default.
var twilioStopWords = map[string]bool{
	"STOP": true, "STOPALL": true, "UNSUBSCRIBE": true, "CANCEL": true,
	"END": true, "QUIT": true, "OPTOUT": true, "REVOKE": true,
}

// TwilioConfirmsStop reports whether Twilio itself opts an SMS sender out on
// this reply, and confirms it, blocking any answer of ours: its default
// English words. A stop word in another language (SAIR, BASTA, 停止) is ours
// alone to confirm.
func TwilioConfirmsStop(body string) bool { return twilioStopWords[normalize(body)] }

// normalize reduces an answer to the form replyWords holds.
func normalize(body string) string {
	word := strings.ToUpper(strings.Trim(width.Fold.String(body), " \t\r\n.,!?;:'\"()。、！？"))
	return strings.Join(strings.Fields(word), " ")
}

func first(form url.Values, keys ...string) string {
	for _, k := range keys {
		if v := form.Get(k); v != "" {
			return v
		}
	}
	return ""
}

func channelOf(form url.Values) Channel {
	switch {
	case form.Get("CallSid") != "" && form.Get("MessageSid") == "" && form.Get("SmsSid") == "":
		return ChannelVoice
	case strings.HasPrefix(form.Get("From"), "whatsapp:") || strings.HasPrefix(form.Get("To"), "whatsapp:"):
		return ChannelWhatsApp
	default:
		return ChannelSMS
	}
}
