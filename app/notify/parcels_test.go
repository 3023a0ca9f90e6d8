package notify

import (
	"context"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// A shipped message about one parcel of several says the rest follows, in
// every language, in text and HTML; a lone parcel says nothing of the kind.
func TestShippedMessageSaysTheRestFollows(t *testing.T) {
	want := map[string]string{
		"en": "The rest of your order is on its way separately",
		"es": "El resto de tu pedido llega por separado",
		"fr": "Le reste de votre commande arrive séparément",
		"de": "Der Rest Ihrer Bestellung kommt separat",
	}
	var r Renderer
	for lang, sentence := range want {
		for _, more := range []bool{true, false} {
			d := SampleData(lang)
			d.Order.MoreToCome = more
			msg, err := r.Compose(context.Background(), tracking.TriggerShipped, ChannelEmail, nil, d)
			if err != nil {
				t.Fatalf("%s: %v", lang, err)
			}
			if got := strings.Contains(msg.Text, sentence) && strings.Contains(msg.HTML, sentence); got != more {
				t.Errorf("%s, more to come %v: says the rest follows %v", lang, more, got)
			}
		}
	}
}
