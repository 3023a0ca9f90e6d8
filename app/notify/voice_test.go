package notify

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/templates"
)

func TestUnderstandMenu(t *testing.T) {
	ask, news := tracking.TriggerActionRequired, tracking.TriggerDelivered
	tests := []struct {
		lang          string
		trig          tracking.Trigger
		digits, heard string
		want          Answer
	}{
		{"en-US", ask, "2", "", Answer{Action: VoiceReschedule}},
		{"en-US", ask, "7", "yes", Answer{}}, // a key not offered is not rescued by speech
		{"en-US", ask, "", "Yes, please.", Answer{Action: VoiceConfirm}},
		{"en-US", ask, "", "Can you bring it on Tuesday?", Answer{Action: VoiceReschedule, Day: time.Tuesday, HasDay: true}},
		{"en-GB", ask, "", "Just leave it at the door.", Answer{Action: VoiceLeaveAtDoor}},
		{"en-US", ask, "", "I want to talk to someone", Answer{Action: VoiceSupport}},
		{"en-US", ask, "", "banana", Answer{}},
		{"en-US", ask, "", "nobody", Answer{}},   // "no" only as a whole word
		{"en-US", news, "", "Tuesday", Answer{}}, // no reschedule offered
		{"en-US", news, "", "repeat", Answer{Action: VoiceRepeat}},
		{"es-MX", ask, "", "El martes", Answer{Action: VoiceReschedule, Day: time.Tuesday, HasDay: true}},
		{"es-ES", ask, "", "Sí.", Answer{Action: VoiceConfirm}},
		{"fr-FR", ask, "", "Déposez-le devant la porte", Answer{Action: VoiceLeaveAtDoor}},
		{"de-DE", ask, "", "Am Donnerstag bitte", Answer{Action: VoiceReschedule, Day: time.Thursday, HasDay: true}},
		{"pt-BR", ask, "", "Na terça", Answer{Action: VoiceReschedule, Day: time.Tuesday, HasDay: true}},
		{"pt-BR", ask, "", "Pode deixar na porta", Answer{Action: VoiceLeaveAtDoor}},
		{"it-IT", ask, "", "Venerdì", Answer{Action: VoiceReschedule, Day: time.Friday, HasDay: true}},
		{"nl-NL", ask, "", "Ja hoor", Answer{Action: VoiceConfirm}},
		{"nl-NL", ask, "", "Zet hem maar bij de deur", Answer{Action: VoiceLeaveAtDoor}},
		{"ja-JP", ask, "", "火曜にお願いします", Answer{Action: VoiceReschedule, Day: time.Tuesday, HasDay: true}},
		{"ja-JP", ask, "", "置き配でお願いします", Answer{Action: VoiceLeaveAtDoor}},
		{"ja-JP", ask, "", "はい", Answer{Action: VoiceConfirm}},
		{"es-MX", ask, "", "Tuesday", Answer{Action: VoiceReschedule, Day: time.Tuesday, HasDay: true}},
	}
	for _, tt := range tests {
		if got := UnderstandMenu(tt.lang, tt.trig, tt.digits, tt.heard); got != tt.want {
			t.Errorf("UnderstandMenu(%s, %s, %q, %q) = %+v; want %+v", tt.lang, tt.trig, tt.digits, tt.heard, got, tt.want)
		}
	}
}

func TestUnderstandYesNo(t *testing.T) {
	tests := []struct {
		lang, digits, heard string
		yes, ok             bool
	}{
		{"en-US", "1", "", true, true},
		{"en-US", "2", "", false, true},
		{"en-US", "5", "", false, false},
		{"en-US", "", "Yes.", true, true},
		{"en-US", "", "No, that's wrong", false, true},
		{"en-US", "", "hmm", false, false},
		{"de-DE", "", "Ja, genau.", true, true},
		{"fr-CA", "", "Non", false, true},
		{"ja-JP", "", "いいえ", false, true},
		{"pt-BR", "", "Não", false, true},
	}
	for _, tt := range tests {
		yes, ok := UnderstandYesNo(tt.lang, tt.digits, tt.heard)
		if yes != tt.yes || ok != tt.ok {
			t.Errorf("UnderstandYesNo(%s, %q, %q) = %v, %v; want %v, %v", tt.lang, tt.digits, tt.heard, yes, ok, tt.yes, tt.ok)
		}
	}
}

func TestVoiceHintsNameTheExpectedAnswersInTheCallsLanguage(t *testing.T) {
	tests := []struct {
		lang string
		want []string
	}{
		{"en-US", []string{"yes", "no", "Tuesday", "leave it at the door"}},
		{"es-MX", []string{"sí", "no", "martes", "dejarlo en la puerta"}},
		{"pt-BR", []string{"sim", "não", "terça-feira"}},
		{"ja-JP", []string{"はい", "いいえ", "火曜日", "置き配"}},
	}
	for _, tt := range tests {
		got := VoiceHints(tt.lang, tracking.TriggerActionRequired)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("VoiceHints(%s) = %q; want it to hold %q", tt.lang, got, w)
			}
		}
	}
	if got := VoiceHints("en-US", tracking.TriggerDelivered); slices.Contains(got, "Tuesday") {
		t.Errorf("hints for news that asks nothing = %q; want no weekdays", got)
	}
}

// TestActionCallsInviteSpeechInEveryLanguage: the action-required call in
// each language the call understands says the shopper may answer aloud,
// with a day and "at the door" in words the call then understands.
func TestActionCallsInviteSpeechInEveryLanguage(t *testing.T) {
	for lang, words := range voiceWords {
		t.Run(lang, func(t *testing.T) {
			b, err := templates.Messages.ReadFile("messages/" + lang + "/action_required.voice.liquid")
			if err != nil {
				t.Fatal(err)
			}
			script := strings.ToLower(string(b))
			if day := strings.ToLower(WeekdayName(lang, time.Tuesday)); !strings.Contains(script, day) {
				t.Errorf("the call never offers a day aloud (%q)", day)
			}
			if !slices.ContainsFunc(words.door, func(w string) bool { return strings.Contains(script, w) }) {
				t.Errorf("the call never offers \"at the door\" in words it understands (%q)", words.door)
			}
		})
	}
}
