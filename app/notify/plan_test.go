package notify

import (
	"context"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// TestPlansRenderAsTheLibrary renders every shipped message with the
// sandbox's plans and with the Liquid library alone, for data that takes
// each branch (optional parts empty, text to escape, a zone with no sample
// shopper), and wants the same bytes.
func TestPlansRenderAsTheLibrary(t *testing.T) {
	sparse := func(lang string) Data {
		d := SampleData(lang)
		d.Customer.FirstName, d.Customer.TimeZone = "", "Pacific/Chatham"
		d.Shop.LogoURL, d.Shop.SupportURL, d.ActionURL = "", "", ""
		d.Shipment.ETA = ETA{}
		d.Shipment.DeliveredAt, d.Shipment.LastEvent, d.Shipment.Pickup = time.Time{}, nil, nil
		d.Order.LineItems, d.Order.COD, d.Order.MoreToCome = nil, false, true
		return d
	}
	escaped := func(lang string) Data {
		d := SampleData(lang)
		d.Shop.Name, d.Customer.FirstName = `O'Brien & <Sons> "Ltd"`, `<b>Jo</b>`
		d.Shipment.LastEvent.Description, d.Shipment.LastEvent.Location = "", tracking.Location{}
		d.Shipment.ETA.ChangedFrom = d.Shipment.ETA.Window
		d.Shipment.StageLabel = "Out & about"
		return d
	}
	var plans, library Renderer
	library.noPlans = true
	ctx := context.Background()
	for name, data := range map[string]func(string) Data{"sample": SampleData, "sparse": sparse, "escaped": escaped} {
		for _, lang := range Locales {
			for _, trig := range tracking.Triggers {
				for _, ch := range Channels {
					want, err := library.Compose(ctx, trig, ch, nil, data(lang))
					if err != nil {
						t.Fatalf("%s %s %s %s through the library: %v", name, lang, trig, ch, err)
					}
					got, err := plans.Compose(ctx, trig, ch, nil, data(lang))
					if err != nil {
						t.Fatalf("%s %s %s %s with plans: %v", name, lang, trig, ch, err)
					}
					if got.Subject != want.Subject || got.Text != want.Text || got.HTML != want.HTML {
						t.Errorf("%s %s %s %s: plans rendered\n%q\n%q\n%q\nthe library\n%q\n%q\n%q",
							name, lang, trig, ch, got.Subject, got.Text, got.HTML, want.Subject, want.Text, want.HTML)
					}
				}
			}
		}
	}
}

// TestComposeSeesAnEditAtOnce: compiled templates are kept by their
// source, so a merchant's edited template is the one the next message
// renders.
func TestComposeSeesAnEditAtOnce(t *testing.T) {
	var r Renderer
	ctx := context.Background()
	for _, edit := range []struct{ src, want string }{
		{"Hi {{ customer.first_name }}", "Hi Jamie"},
		{"Hello {{ customer.first_name }}, {{ order.name }}", "Hello Jamie, #1042"},
		{"{% for i in order.line_items %}{{ i.title }};{% endfor %}", "Linen throw;Beeswax candle;"},
		{"Hi {{ customer.first_name }}", "Hi Jamie"},
	} {
		msg, err := r.Compose(ctx, tracking.TriggerDelayed, ChannelSMS, map[Part]string{PartSMS: edit.src}, SampleData("en"))
		if err != nil || msg.Text != edit.want {
			t.Errorf("after the edit to %q, Compose = %q, %v; want %q", edit.src, msg.Text, err, edit.want)
		}
	}
}
