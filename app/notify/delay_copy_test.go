package notify

import (
	"context"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// TestDelaySaysNewEstimateOnlyWhenItChanged: a delay whose estimate did not
// move must not announce a "new" estimate, in any language.
func TestDelaySaysNewEstimateOnlyWhenItChanged(t *testing.T) {
	var r Renderer
	news := map[string]string{"en": "New estimate", "es": "Nueva previsión", "fr": "nouvelle estimation", "de": "neue Schätzung",
		"pt": "Nova previsão", "it": "Nuova stima", "nl": "Nieuwe verwachting", "ja": "新しいお届け予定"}
	for lang, phrase := range news {
		for _, changed := range []bool{true, false} {
			d := SampleData(lang)
			if !changed {
				d.Shipment.ETA.ChangedFrom = d.Shipment.ETA.Window
			}
			msg, err := r.Compose(context.Background(), tracking.TriggerDelayed, ChannelSMS, nil, d)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(msg.Text, phrase); got != changed {
				t.Errorf("%s, estimate changed %v: says %q = %v\n%s", lang, changed, phrase, got, msg.Text)
			}
		}
	}
}

// TestOneLanguagePerMessage: a language whose templates lack a channel's
// parts (Japanese ships SMS only so far) writes that
// channel wholly in English, dates included, rather than mixing.
func TestOneLanguagePerMessage(t *testing.T) {
	var r Renderer
	tests := []struct {
		lang string
		ch   Channel
		want string
	}{
		{"pt-BR", ChannelSMS, "está atrasado"},
		{"it", ChannelSMS, "è in ritardo"},
		{"nl", ChannelSMS, "is vertraagd"},
		{"ja", ChannelSMS, "遅れています"},
		{"pt-BR", ChannelEmail, "Entrega prevista:"},
		{"it", ChannelEmail, "Consegna prevista:"},
		{"nl", ChannelEmail, "Verwachte levering:"},
		{"ja", ChannelEmail, "Estimated delivery:"},
	}
	for _, tt := range tests {
		d := SampleData(tt.lang)
		msg, err := r.Compose(context.Background(), tracking.TriggerDelayed, tt.ch, nil, d)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msg.Text, tt.want) {
			t.Errorf("%s %s: lacks %q\n%s", tt.lang, tt.ch, tt.want, msg.Text)
		}
		if tt.lang == "ja" && tt.ch == ChannelEmail && strings.ContainsAny(msg.Text, "様のをに") {
			t.Errorf("%s email mixes languages:\n%s", tt.lang, msg.Text)
		}
	}
}
