package trackpage_test

import (
	"context"
	"testing"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/app/trackpage"
)

// A shopper reads a stage's name in a message and on the page; both must
// say the same thing ("Packed", not "Label created" in the SMS).
func TestMessageStageLabelIsThePages(t *testing.T) {
	var r notify.Renderer
	tpl := notify.Template{Name: "stage label", Part: notify.PartSMS, Source: "{{ shipment.stage_label }}"}
	for _, lang := range notify.Locales {
		for _, stage := range tracking.Stages {
			t.Run(lang+"/"+string(stage), func(t *testing.T) {
				d := notify.SampleData(lang)
				d.Shipment.Stage, d.Shipment.StageLabel = stage, ""
				msg, err := r.Render(context.Background(), tpl, d)
				if err != nil {
					t.Fatalf("render: %v", err)
				}
				sum := trackpage.Summarize(trackpage.View{
					Locale:    lang,
					Shipments: []trackpage.Shipment{{Carrier: "ups", Number: "1Z999", Stage: stage}},
				})
				if page := sum.Shipments[0].StageLabel; msg != page {
					t.Errorf("message says %q, the page says %q", msg, page)
				}
			})
		}
	}
}
