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

// TestEveryLanguageWritesEveryChannel: a delay reaches a shopper in their
// own language on every channel, European Portuguese reading the Brazilian
// copy.
func TestEveryLanguageWritesEveryChannel(t *testing.T) {
	var r Renderer
	want := map[string]map[Channel]string{
		"pt-BR": {ChannelEmail: "Entrega prevista:", ChannelSMS: "está atrasado", ChannelWhatsApp: "Sua entrega está atrasada", ChannelVoice: "Seu pedido está atrasado."},
		"pt-PT": {ChannelEmail: "Entrega prevista:", ChannelSMS: "está atrasado", ChannelWhatsApp: "Sua entrega está atrasada", ChannelVoice: "Seu pedido está atrasado."},
		"it":    {ChannelEmail: "Consegna prevista:", ChannelSMS: "è in ritardo", ChannelWhatsApp: "La consegna è in ritardo", ChannelVoice: "Il tuo ordine è in ritardo."},
		"nl":    {ChannelEmail: "Verwachte levering:", ChannelSMS: "is vertraagd", ChannelWhatsApp: "Je bezorging loopt vertraging op", ChannelVoice: "Je bestelling is vertraagd."},
		"ja":    {ChannelEmail: "お届け予定：", ChannelSMS: "遅れています", ChannelWhatsApp: "お届けが遅れています", ChannelVoice: "お届けが遅れています。"},
	}
	for lang, byChannel := range want {
		for ch, phrase := range byChannel {
			d := SampleData(lang)
			d.Customer.Locale = lang // as the order has it, not reduced
			msg, err := r.Compose(context.Background(), tracking.TriggerDelayed, ch, nil, d)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(msg.Text, phrase) {
				t.Errorf("%s %s: lacks %q\n%s", lang, ch, phrase, msg.Text)
			}
		}
	}
}
