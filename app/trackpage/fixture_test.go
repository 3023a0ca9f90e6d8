package trackpage

import (
	"fmt"
	"github.com/ordertrack/ordertrack/app/locale"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// newYork is the shopper's zone in the fixtures; tests that check local
// times rely on it being UTC-5 in November.
func newYork(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatalf("load America/New_York: %v", err)
	}
	return loc
}

func newRenderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

func shop() Branding {
	return Branding{
		Name:         "Maple & Moss",
		LogoURL:      "https://cdn.example.com/logo.png",
		PrimaryColor: "#2d6a4f",
		AccentColor:  "#f4a261",
		FontFamily:   `"Inter", Arial`,
		SupportEmail: "help@maplemoss.example",
		SupportPhone: "+1 555 0100",
		SupportURL:   "https://maplemoss.example/help",
		FAQ: []FAQItem{
			{Question: "When will my order arrive?", Answer: "Most orders arrive within 3–5 business days."},
			{Question: "Can I change my address?", Answer: "Yes, until the carrier has your package."},
		},
		ReturnsURL:  "https://maplemoss.example/returns",
		ReturnsText: "Free returns within 30 days.",
	}
}

// inTransit is a one-package order in transit with a changed carrier ETA.
func inTransit(t testing.TB) View {
	t.Helper()
	base := time.Date(2026, 11, 20, 14, 5, 0, 0, time.UTC)
	return View{
		Locale:   "en",
		Shop:     shop(),
		TimeZone: newYork(t),
		Order: Order{Name: "#1001", PlacedAt: base.Add(-24 * time.Hour), Items: []Item{
			{Title: "Linen shirt", Variant: "Blue / M", Qty: 1, ImageURL: "https://cdn.example.com/shirt.jpg"},
			{Title: "Canvas tote", Qty: 2},
		}},
		Shipments: []Shipment{{
			Carrier: "ups", CarrierName: "UPS", Number: "1Z999AA10123456784",
			CarrierURL: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
			Stage:      tracking.StageInTransit,
			ETA: &ETA{
				Earliest: time.Date(2026, 11, 24, 17, 0, 0, 0, time.UTC), Latest: time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
				Source:      ETASourceCarrier,
				ChangedFrom: &tracking.Window{Earliest: time.Date(2026, 11, 23, 17, 0, 0, 0, time.UTC), Latest: time.Date(2026, 11, 23, 17, 0, 0, 0, time.UTC)},
			},
			Events: []tracking.Event{
				{Time: base, Stage: tracking.StageShipped, Description: "Picked up", Location: tracking.Location{City: "Paramus", Region: "NJ", Country: "US"}},
				{Time: base.Add(30 * time.Hour), Stage: tracking.StageInTransit, Description: "Departed from facility", Location: tracking.Location{City: "Hodgkins", Region: "IL", Country: "US"}},
			},
		}},
	}
}

// bigOrder is a realistic worst case for page weight: three packages with
// long timelines, many line items, FAQ and actions.
func bigOrder(t testing.TB) View {
	t.Helper()
	v := inTransit(t)
	v.Order.Items = nil
	for i := range 12 {
		v.Order.Items = append(v.Order.Items, Item{
			Title: fmt.Sprintf("Organic cotton crew-neck sweater, style %d", i), Variant: "Heather grey / Large",
			Qty: 1 + i%3, ImageURL: fmt.Sprintf("https://cdn.shopify.com/s/files/1/0000/0001/products/sweater-%d_200x200.jpg?v=1700000000", i),
		})
	}
	for i := range 6 {
		v.Shop.FAQ = append(v.Shop.FAQ, FAQItem{
			Question: fmt.Sprintf("Frequently asked question number %d about shipping?", i),
			Answer:   "A paragraph-long answer from the merchant that explains their shipping policy in some detail, including carriers, cut-off times and what to do when a package is late.",
		})
	}
	base := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	stages := []tracking.Stage{tracking.StageInTransit, tracking.StageOutForDelivery, tracking.StageDelivered}
	v.Shipments = nil
	for s, stage := range stages {
		sh := Shipment{
			Carrier: "fedex", CarrierName: "FedEx", Number: fmt.Sprintf("7749%08d", s),
			CarrierURL: fmt.Sprintf("https://www.fedex.com/fedextrack/?trknbr=7749%08d", s),
			Stage:      stage, Items: v.Order.Items[s*4 : s*4+4],
			ETA: &ETA{Earliest: base.Add(10 * 24 * time.Hour), Latest: base.Add(12 * 24 * time.Hour), Source: ETASourceLearned},
		}
		for e := range 40 {
			sh.Events = append(sh.Events, tracking.Event{
				Time: base.Add(time.Duration(e) * 3 * time.Hour), Stage: tracking.StageInTransit, Code: "IT",
				Description: "Departed FedEx location; package is on its way to the next facility",
				Location:    tracking.Location{City: "Memphis", Region: "TN", PostalCode: "38118", Country: "US"},
			})
		}
		v.Shipments = append(v.Shipments, sh)
	}
	v.Shipments[1].Problem = tracking.ProblemFailedAttempt
	v.Shipments[1].Actions = allActions(base)
	return v
}

func allActions(base time.Time) []Action {
	var out []Action
	for _, k := range ActionKinds {
		out = append(out, Action{
			Kind: k, FormAction: "/t/tok123/actions", CSRF: "csrf-token-value",
			Dates: []time.Time{base.Add(48 * time.Hour), base.Add(72 * time.Hour)},
		})
	}
	return out
}

// languages lists the catalog's languages as the View carries them, English
// first.
func languages() []string {
	out := make([]string, len(locale.Supported))
	for i, tag := range locale.Supported {
		out[i] = tag.String()
	}
	return out
}
