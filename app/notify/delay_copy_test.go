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
	news := map[string]string{"en": "New estimate", "es": "Nueva previsión", "fr": "nouvelle estimation", "de": "neue Schätzung"}
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
