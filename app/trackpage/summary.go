package trackpage

import (
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// Summary is an order's tracking status as JSON, for the Shopify
// customer-account extension and other widgets (GET /api/track/...). It
// carries the same localized copy and dates as the page, so every surface
// tells the shopper the same thing.
type Summary struct {
	Order    string `json:"order"`
	Locale   string `json:"locale"`
	Headline string `json:"headline"`
	NextStep string `json:"next_step"`
	// PageURL is the full tracking page (View.PageURL), for a "view details" link.
	PageURL   string            `json:"page_url,omitempty"`
	Shipments []ShipmentSummary `json:"shipments"`
	// Unshipped are the items no parcel carries yet, when the parcels say.
	Unshipped []ItemSummary `json:"unshipped,omitempty"`
	// Stopped says why nothing of the order will be delivered
	// ("cancelled", "refunded", "items_removed"); empty while it is coming.
	Stopped string `json:"stopped,omitempty"`
	// OptIn is the "text me shipping updates" form in the shopper's
	// language, when the page offers it: a widget shows these words, which
	// are stored as the proof of what the shopper agreed to.
	OptIn *OptInSummary `json:"opt_in,omitempty"`
}

// OptInSummary is the opt-in form's copy: the page's, word for word.
type OptInSummary struct {
	Heading      string `json:"heading"`
	PhoneLabel   string `json:"phone_label"`
	Phone        string `json:"phone,omitempty"` // the order's number, to prefill
	ChannelLabel string `json:"channel_label"`
	Wording      string `json:"wording"`       // what agreeing to texts means
	VoiceWording string `json:"voice_wording"` // the "also call me" box's label
	Submit       string `json:"submit"`
	Done         string `json:"done"`
	Pending      string `json:"pending"`
}

// ItemSummary is a quantity of one order line.
type ItemSummary struct {
	Title   string `json:"title"`
	Variant string `json:"variant,omitempty"`
	Qty     int    `json:"qty"`
	// ImageURL is the product's image (https only), when known.
	ImageURL string `json:"image_url,omitempty"`
}

func itemSummaries(items []itemView) []ItemSummary {
	var out []ItemSummary
	for _, it := range items {
		out = append(out, ItemSummary{Title: it.Title, Variant: it.Variant, Qty: it.Qty, ImageURL: it.ImageURL})
	}
	return out
}

// ShipmentSummary is one package in a Summary. Text fields are localized;
// Stage and Problem are the stable codes, for styling.
type ShipmentSummary struct {
	Carrier     string           `json:"carrier"`
	CarrierName string           `json:"carrier_name"`
	Number      string           `json:"number"`
	TrackingURL string           `json:"tracking_url,omitempty"`
	Stage       tracking.Stage   `json:"stage"`
	StageLabel  string           `json:"stage_label"`
	Problem     tracking.Problem `json:"problem,omitempty"`
	Headline    string           `json:"headline"`
	NextStep    string           `json:"next_step"`
	// ETA is the estimate as text ("Tuesday, May 5" or a range), with its
	// source and, when it moved, what it was before.
	ETA        string        `json:"eta,omitempty"`
	ETASource  string        `json:"eta_source,omitempty"`
	ETAChanged string        `json:"eta_changed,omitempty"`
	Delivered  string        `json:"delivered,omitempty"`
	LastEvent  *EventSummary `json:"last_event,omitempty"`
	// Items are what this parcel carries, when the store says.
	Items []ItemSummary `json:"items,omitempty"`
	// Cancelled: the store cancelled this parcel; it will not come.
	Cancelled bool `json:"cancelled,omitempty"`
	// Return: a parcel the shopper sends back.
	Return bool `json:"return,omitempty"`
}

// EventSummary is the latest scan of a shipment.
type EventSummary struct {
	Time        time.Time `json:"time"`
	When        string    `json:"when"` // localized, in the shopper's zone
	Description string    `json:"description"`
	Location    string    `json:"location,omitempty"`
}

// Summarize reduces a View to its Summary. With several shipments the
// top-level headline is about the most urgent one, as on the page.
func Summarize(v View) Summary {
	p := buildPage(v)
	out := Summary{
		Order: v.Order.Name, Locale: p.Lang, Headline: p.Headline, NextStep: p.NextStep, PageURL: v.PageURL,
		Shipments: []ShipmentSummary{}, Unshipped: itemSummaries(p.Unshipped.Items), Stopped: v.Stopped,
	}
	if v.OptIn != nil && !v.ReadOnly {
		out.OptIn = &OptInSummary{
			Heading: p.L.T("optin.heading"), PhoneLabel: p.L.T("optin.phone"), Phone: v.OptIn.Phone, ChannelLabel: p.L.T("optin.channel"),
			Wording: OptInWording(p.Lang, v.Shop.Name), VoiceWording: OptInVoiceWording(p.Lang, v.Shop.Name),
			Submit: p.L.T("optin.submit"), Done: p.L.T("optin.done"), Pending: p.L.T("optin.pending"),
		}
	}
	for _, s := range p.Shipments {
		ss := ShipmentSummary{
			Carrier: s.Carrier, CarrierName: s.CarrierName, Number: s.Number, TrackingURL: s.CarrierURL,
			Stage: s.Stage, StageLabel: p.L.StageLabel(s.Stage), Problem: s.Problem,
			Headline: s.Headline, NextStep: s.NextStep,
			Items: itemSummaries(s.ItemList.Items), Cancelled: s.Cancelled, Return: s.Return,
		}
		if s.ETA != nil {
			ss.ETA, ss.ETASource, ss.ETAChanged = s.ETA.Text, s.ETA.Source, s.ETA.Changed
		}
		if s.Delivered != nil {
			ss.Delivered = s.Delivered.Text
		}
		if len(s.Events) > 0 {
			e := latest(s.Shipment.Events)
			ss.LastEvent = &EventSummary{
				Time: e.Time.UTC(), When: s.Events[0].Date + ", " + s.Events[0].Clock,
				Description: e.Description, Location: e.Location.String(),
			}
		}
		out.Shipments = append(out.Shipments, ss)
	}
	return out
}

// latest returns the newest event; events is non-empty.
func latest(events []tracking.Event) tracking.Event {
	out := events[0]
	for _, e := range events[1:] {
		if e.Time.After(out.Time) {
			out = e
		}
	}
	return out
}
