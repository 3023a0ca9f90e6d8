package notify

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// leafNames flattens bindings into dotted names, stopping at documented
// objects (eta, changed_from, last_event, pickup, line_items).
func leafNames(prefix string, m map[string]any, out map[string]bool) {
	for k, v := range m {
		name := k
		if prefix != "" {
			name = prefix + "." + k
		}
		out[name] = true
		if sub, ok := v.(map[string]any); ok {
			leafNames(name, sub, out)
		}
	}
}

// TestVariablesDocumentEveryBinding keeps the editor's variable reference
// true: every documented name is bound, and every bound field is documented
// (fields of documented objects excepted, their description lists them).
func TestVariablesDocumentEveryBinding(t *testing.T) {
	bound := map[string]bool{}
	leafNames("", SampleData("en").Bindings(), bound)
	documented := map[string]bool{}
	for _, v := range Variables() {
		documented[v.Name] = true
		if !bound[v.Name] {
			t.Errorf("documented variable %s is not bound", v.Name)
		}
		if v.Description == "" {
			t.Errorf("variable %s has no description", v.Name)
		}
	}
	var missing []string
	for name := range bound {
		parent := name[:max(strings.LastIndex(name, "."), 0)]
		_, isObject := SampleData("en").Bindings()[name].(map[string]any)
		if !documented[name] && !documented[parent] && !isObject {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("bound but undocumented: %v", missing)
	}
}

// TestDefaultsRenderWithSparseData sends every default with only what a
// fresh shipment has (no estimate, scan, pickup point or first name), as
// happens in production where rendering is not strict.
func TestDefaultsRenderWithSparseData(t *testing.T) {
	var r Renderer
	for _, lang := range Locales {
		d := SampleData(lang)
		d.Customer.FirstName = ""
		d.Shipment.ETA = ETA{}
		d.Shipment.LastEvent = nil
		d.Shipment.Pickup = nil
		d.Shipment.DeliveredAt = time.Time{}
		d.ActionURL = ""
		d.Shop.LogoURL = ""
		for _, trig := range tracking.Triggers {
			for _, ch := range Channels {
				t.Run(lang+"/"+string(trig)+"."+string(ch), func(t *testing.T) {
					msg, err := r.Compose(context.Background(), trig, ch, nil, d)
					if err != nil {
						t.Fatalf("Compose: %v", err)
					}
					all := msg.Subject + msg.HTML + msg.Text
					for _, bad := range []string{"{{", "{%", "Liquid error", "<nil>", " ,", " ."} {
						if strings.Contains(all, bad) {
							t.Errorf("rendered message contains %q:\n%s", bad, all)
						}
					}
					if !strings.Contains(all, d.TrackingURL) && !strings.Contains(all, d.Shop.SupportURL) && ch != ChannelVoice {
						t.Errorf("message has neither the tracking link nor the support link:\n%s", all)
					}
				})
			}
		}
	}
}
