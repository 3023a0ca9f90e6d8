package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// twilioSign computes X-Twilio-Signature as Twilio documents it: HMAC-SHA1,
// keyed with the auth token, of the full URL followed by each POST parameter
// name and value in name order, base64-encoded.
func twilioSign(t *testing.T, token, fullURL string, form url.Values) string {
	t.Helper()
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := fullURL
	for _, k := range keys {
		s += k + form.Get(k)
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func statusForm() url.Values {
	return url.Values{
		"AccountSid":    {testSID},
		"ApiVersion":    {"2010-04-01"},
		"From":          {"+15017122661"},
		"MessageSid":    {"SM1f0e8ae6ade43cb3c0ce4525424e404f"},
		"MessageStatus": {"delivered"},
		"SmsSid":        {"SM1f0e8ae6ade43cb3c0ce4525424e404f"},
		"SmsStatus":     {"delivered"},
		"To":            {"+15558675310"},
	}
}

func TestValidateAcceptsTwilioSignature(t *testing.T) {
	const hook = "https://track.example/hooks/twilio/status?message_id=msg_42&shop=7"
	tests := []struct {
		name    string
		signURL string
		form    url.Values
		checkAt string
	}{
		{"status callback with query", hook, statusForm(), hook},
		{"GET callback without body", hook, nil, hook},
		{"signed with explicit default port", "https://track.example:443/hooks/twilio/status?message_id=msg_42&shop=7", statusForm(), hook},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := twilioSign(t, testToken, tt.signURL, tt.form)
			if !Validate(testToken, tt.checkAt, tt.form, sig) {
				t.Errorf("Validate rejected a genuine signature")
			}
		})
	}
}

func TestValidateRejectsForgeries(t *testing.T) {
	const hook = "https://track.example/hooks/twilio/status?message_id=msg_42&shop=7"
	good := twilioSign(t, testToken, hook, statusForm())
	tampered := statusForm()
	tampered.Set("MessageStatus", "failed")
	extra := statusForm()
	extra.Set("ErrorCode", "30003")

	tests := []struct {
		name      string
		token     string
		url       string
		form      url.Values
		signature string
	}{
		{"changed parameter", testToken, hook, tampered, good},
		{"added parameter", testToken, hook, extra, good},
		{"different message in URL", testToken, "https://track.example/hooks/twilio/status?message_id=msg_43&shop=7", statusForm(), good},
		{"http instead of https", testToken, "http://track.example/hooks/twilio/status?message_id=msg_42&shop=7", statusForm(), good},
		{"wrong auth token", "ffffffffffffffffffffffffffffffff", hook, statusForm(), good},
		{"no signature", testToken, hook, statusForm(), ""},
		{"no auth token configured", "", hook, statusForm(), twilioSign(t, "", hook, statusForm())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if Validate(tt.token, tt.url, tt.form, tt.signature) {
				t.Errorf("Validate accepted a forged request")
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	undelivered := statusForm()
	undelivered.Set("MessageStatus", "undelivered")
	undelivered.Set("SmsStatus", "undelivered")
	undelivered.Set("ErrorCode", "30003")
	undelivered.Set("message_id", "msg_42")

	whatsapp := url.Values{
		"MessageSid": {"SMwa"}, "MessageStatus": {"read"},
		"From": {"whatsapp:+14155238886"}, "To": {"whatsapp:+15558675310"}, "message_id": {"msg_43"},
	}
	call := url.Values{
		"CallSid": {"CA9a7f"}, "CallStatus": {"no-answer"}, "From": {"+15017122661"},
		"To": {"+15558675310"}, "AnsweredBy": {"machine_start"}, "message_id": {"msg_44"},
	}
	legacySMS := url.Values{"SmsSid": {"SMold"}, "SmsStatus": {"sent"}, "To": {"+15558675310"}}
	completed := url.Values{
		"CallSid": {"CA1b2c"}, "CallStatus": {"completed"}, "CallDuration": {"125"}, "Duration": {"3"},
		"From": {"+15017122661"}, "To": {"+15558675310"}, "message_id": {"msg_45"},
	}

	tests := []struct {
		name      string
		form      url.Values
		want      Status
		wantFinal bool
	}{
		{"undelivered sms with error code", undelivered,
			Status{SID: "SM1f0e8ae6ade43cb3c0ce4525424e404f", Status: "undelivered", ErrorCode: "30003", MessageID: "msg_42", Channel: ChannelSMS}, true},
		{"whatsapp read receipt", whatsapp,
			Status{SID: "SMwa", Status: "read", MessageID: "msg_43", Channel: ChannelWhatsApp}, true},
		{"unanswered call", call,
			Status{SID: "CA9a7f", Status: "no-answer", MessageID: "msg_44", Channel: ChannelVoice, AnsweredBy: "machine_start"}, true},
		{"completed call with its length", completed,
			Status{SID: "CA1b2c", Status: "completed", MessageID: "msg_45", Channel: ChannelVoice, Duration: 125 * time.Second}, true},
		{"legacy sms fields only", legacySMS,
			Status{SID: "SMold", Status: "sent", Channel: ChannelSMS}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseStatus(tt.form)
			if got != tt.want {
				t.Errorf("ParseStatus = %+v\nwant          %+v", got, tt.want)
			}
			if got.Final() != tt.wantFinal {
				t.Errorf("Final() = %v, want %v", got.Final(), tt.wantFinal)
			}
		})
	}
}

func TestStatusFinal(t *testing.T) {
	tests := []struct {
		status string
		want   bool
	}{
		{"queued", false}, {"sending", false}, {"sent", false}, {"delivered", true},
		{"undelivered", true}, {"failed", true}, {"read", true},
		{"initiated", false}, {"ringing", false}, {"in-progress", false},
		{"completed", true}, {"busy", true}, {"no-answer", true}, {"canceled", true},
	}
	for _, tt := range tests {
		if got := (Status{Status: tt.status}).Final(); got != tt.want {
			t.Errorf("Status %q Final() = %v, want %v", tt.status, got, tt.want)
		}
	}
}

func TestParseInbound(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
		want Inbound
	}{
		{"sms", url.Values{"MessageSid": {"SMin1"}, "From": {"+15558675310"}, "To": {"+15017122661"}, "Body": {"STOP"}, "NumMedia": {"0"}},
			Inbound{SID: "SMin1", From: "+15558675310", To: "+15017122661", Body: "STOP", Channel: ChannelSMS}},
		{"whatsapp prefixes are stripped", url.Values{"MessageSid": {"SMin2"}, "From": {"whatsapp:+15558675310"}, "To": {"whatsapp:+14155238886"}, "Body": {"1"}, "ProfileName": {"Ana"}, "WaId": {"15558675310"}},
			Inbound{SID: "SMin2", From: "+15558675310", To: "+14155238886", Body: "1", Channel: ChannelWhatsApp}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseInbound(tt.form); got != tt.want {
				t.Errorf("ParseInbound = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseReply(t *testing.T) {
	tests := []struct {
		body string
		want Reply
	}{
		{"CONFIRM", ReplyConfirm}, {"confirm", ReplyConfirm}, {" Yes! ", ReplyConfirm}, {"y", ReplyConfirm},
		{"1", ReplyConfirm}, {"One.", ReplyConfirm},
		{"RESCHEDULE", ReplyReschedule}, {"Reschedule.", ReplyReschedule}, {"2", ReplyReschedule},
		{"STOP", ReplyStop}, {"stop", ReplyStop}, {"Stop!", ReplyStop}, {"STOPALL", ReplyStop},
		{"unsubscribe", ReplyStop}, {"CANCEL", ReplyStop}, {"End", ReplyStop}, {"quit", ReplyStop},
		{"START", ReplyStart}, {"unstop", ReplyStart},
		{"HELP", ReplyHelp}, {"info", ReplyHelp},
		{"Sí", ReplyConfirm}, {"si", ReplyConfirm}, {"Oui !", ReplyConfirm}, {"ja", ReplyConfirm}, {"Bestätigen", ReplyConfirm},
		{"reprogramar", ReplyReschedule}, {"Reporter", ReplyReschedule}, {"verschieben", ReplyReschedule},
		{"ayuda", ReplyHelp}, {"Aide", ReplyHelp}, {"hilfe", ReplyHelp}, {"arrêt", ReplyStop},
		{"Baja", ReplyStop}, {"parar", ReplyStop}, {"STOPP", ReplyStop}, {"Abmelden", ReplyStop}, {"désabonner", ReplyStop},
		{"Alta", ReplyStart}, {"empezar", ReplyStart}, {"Commencer", ReplyStart}, {"anmelden", ReplyStart},
		{"Sim", ReplyConfirm}, {"reagendar", ReplyReschedule}, {"Sair", ReplyStop}, {"iniciar", ReplyStart}, {"Ajuda", ReplyHelp},
		{"Sì", ReplyConfirm}, {"conferma", ReplyConfirm}, {"Riprogramma", ReplyReschedule}, {"basta", ReplyStop},
		{"Riprendi", ReplyStart}, {"aiuto", ReplyHelp},
		{"Bevestig", ReplyConfirm}, {"verzetten", ReplyReschedule}, {"stoppen", ReplyStop}, {"Afmelden", ReplyStop},
		{"hervatten", ReplyStart}, {"Hulp", ReplyHelp},
		{"はい", ReplyConfirm}, {"１", ReplyConfirm}, {"２。", ReplyReschedule}, {"変更", ReplyReschedule},
		{"配信停止", ReplyStop}, {"ＳＴＯＰ", ReplyStop}, {"停止！", ReplyStop}, {"再開", ReplyStart}, {"ｽﾀｰﾄ", ReplyStart}, {"ヘルプ", ReplyHelp},
		{"", ReplyUnknown}, {"3", ReplyUnknown}, {"don't stop", ReplyUnknown},
		{"where is my parcel?", ReplyUnknown}, {"yes please", ReplyUnknown},
	}
	for _, tt := range tests {
		if got := ParseReply(tt.body); got != tt.want {
			t.Errorf("ParseReply(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestTwilioConfirmsOnlyItsOwnStopWords(t *testing.T) {
	for body, want := range map[string]bool{
		"STOP": true, "stop!": true, "Unsubscribe": true, "ＳＴＯＰ": true,
		"SAIR": false, "basta": false, "停止": false, "BAJA": false, "STOPP": false, "hello": false,
	} {
		if got := TwilioConfirmsStop(body); got != want {
			t.Errorf("TwilioConfirmsStop(%q) = %v, want %v", body, got, want)
		}
	}
}

func TestParseGather(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
		want Gather
	}{
		{"key press", url.Values{"CallSid": {"CA1"}, "Digits": {"2"}, "message_id": {"msg_9"}},
			Gather{CallSID: "CA1", Digits: "2", MessageID: "msg_9", Reply: ReplyReschedule}},
		{"speech", url.Values{"CallSid": {"CA1"}, "SpeechResult": {"Confirm."}, "Confidence": {"0.92"}, "message_id": {"msg_9"}},
			Gather{CallSID: "CA1", Speech: "Confirm.", Confidence: 0.92, MessageID: "msg_9", Reply: ReplyConfirm}},
		{"key press wins over speech", url.Values{"CallSid": {"CA1"}, "Digits": {"1"}, "SpeechResult": {"reschedule"}},
			Gather{CallSID: "CA1", Digits: "1", Speech: "reschedule", Reply: ReplyConfirm}},
		{"nothing gathered", url.Values{"CallSid": {"CA1"}},
			Gather{CallSID: "CA1", Reply: ReplyUnknown}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseGather(tt.form); got != tt.want {
				t.Errorf("ParseGather = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseGatherReadsTwiliosActionRequest(t *testing.T) {
	tests := []struct {
		file string
		want Gather
	}{
		{"gather_speech.form", Gather{CallSID: "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", Speech: "Tuesday.", Confidence: 0.9128386, MessageID: "42", Reply: ReplyUnknown}},
		{"gather_digits.form", Gather{CallSID: "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", Digits: "2", MessageID: "42", Reply: ReplyReschedule}},
	}
	for _, tt := range tests {
		raw, err := os.ReadFile(filepath.Join("testdata", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		form, err := url.ParseQuery(strings.TrimSpace(string(raw)))
		if err != nil {
			t.Fatal(err)
		}
		if got := ParseGather(form); got != tt.want {
			t.Errorf("%s: ParseGather = %+v; want %+v", tt.file, got, tt.want)
		}
	}
}
