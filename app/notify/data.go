package notify

import (
	"time"

	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/tracking"
)

// Data is everything a message template can see. Callers fill it from the
// shop, order and shipment; Bindings turns it into the Liquid variables listed
// by Variables. Zero times and empty optional parts become nil so templates
// can test them with {% if %}.
type Data struct {
	Shop     Shop
	Customer Customer
	Order    Order
	Shipment Shipment
	// TrackingURL is the shop's branded tracking page for this shipment.
	TrackingURL string
	// UnsubscribeURL lets the shopper stop updates for this shop (required in
	// marketing-adjacent email and good manners everywhere).
	UnsubscribeURL string
	// ActionURL is where the shopper resolves a problem: reschedule, give an
	// address, pay duties. Empty when the carrier offers no self-service.
	ActionURL string
}

// Shop is the merchant as shoppers see it.
type Shop struct {
	Name         string
	LogoURL      string
	SupportEmail string
	SupportURL   string
	BrandColor   string // CSS colour, e.g. "#0b6e4f"
}

// Customer is the shopper the message is for.
type Customer struct {
	FirstName string
	Name      string
	Email     string
	Phone     string
	Locale    string // BCP 47, e.g. "fr-CA"; only the language is used
	TimeZone  string // IANA, e.g. "Europe/Paris"; dates render in it
}

// Order is the purchase the shipment belongs to.
type Order struct {
	Name     string // as the shop shows it, e.g. "#1042"
	Number   string
	Total    string // decimal amount, e.g. "49.90"
	Currency string // ISO 4217
	COD      bool   // cash on delivery: the total is collected at the door
	// LineItems are what the parcel carries when the store said, else the
	// whole order.
	LineItems []LineItem
	// MoreToCome says other parcels of the order (or items not shipped
	// yet) are still on their way.
	MoreToCome bool
}

// LineItem is one product in the shipment.
type LineItem struct {
	Title    string
	Variant  string
	Quantity int
	Price    string // decimal amount per unit, in the order currency
	ImageURL string
}

// Shipment is the parcel the update is about.
type Shipment struct {
	Carrier        string // code, e.g. "ups"
	CarrierName    string // for people, e.g. "UPS"
	TrackingNumber string
	TrackingURL    string // the carrier's own page
	Stage          tracking.Stage
	StageLabel     string // filled from the locale when empty
	Problem        tracking.Problem
	ETA            ETA
	DeliveredAt    time.Time
	LastEvent      *tracking.Event
	Pickup         *Pickup
}

// ETA is the delivery estimate and, when it just moved, what it was before.
type ETA struct {
	tracking.Window
	Source      string // tracking.SourceCarrier, SourceLearned or SourcePrior
	ChangedFrom tracking.Window
}

// Pickup is where a parcel waits to be collected.
type Pickup struct {
	Name      string
	Address   string
	HoldUntil time.Time
}

// Variable documents one Liquid variable for the template editor.
type Variable struct {
	Name        string
	Description string
}

// Variables lists every variable a template can use, as shown in the
// template editor. Bindings produces exactly these keys.
func Variables() []Variable {
	return []Variable{
		{"shop.name", "Shop name"},
		{"shop.logo_url", "Shop logo URL (may be empty)"},
		{"shop.support_email", "Support email address"},
		{"shop.support_url", "Support or contact page URL"},
		{"shop.brand_color", "Brand colour as CSS, e.g. #0b6e4f"},
		{"customer.first_name", "Shopper's first name (may be empty)"},
		{"customer.name", "Shopper's full name"},
		{"customer.email", "Shopper's email"},
		{"customer.phone", "Shopper's phone, E.164"},
		{"customer.locale", "Shopper's language, e.g. fr"},
		{"customer.time_zone", "Shopper's IANA time zone; dates render in it"},
		{"order.name", "Order name as the shop shows it, e.g. #1042"},
		{"order.number", "Order number"},
		{"order.total", "Order total as a decimal; format with | money: order.currency"},
		{"order.currency", "ISO 4217 currency code"},
		{"order.cod", "true when the total is paid in cash on delivery"},
		{"order.line_items", "Products in this parcel (else the order): each has title, variant, quantity, price, image_url"},
		{"order.more_to_come", "true when other parcels of the order, or items not shipped yet, are still to come"},
		{"shipment.carrier", "Carrier code, e.g. ups"},
		{"shipment.carrier_name", "Carrier name, e.g. UPS"},
		{"shipment.tracking_number", "Carrier tracking number"},
		{"shipment.tracking_url", "Carrier's own tracking page"},
		{"shipment.stage", "Stage code: shipped, in_transit, out_for_delivery, available_for_pickup, delivered, returning…"},
		{"shipment.stage_label", "Stage in the shopper's language"},
		{"shipment.problem", "Problem code: delayed, failed_attempt, action_required, exception, or empty"},
		{"shipment.eta", "Delivery estimate; format with | eta_window (nil when unknown)"},
		{"shipment.eta.earliest", "Earliest expected delivery time (nil when unknown); format with | local_date"},
		{"shipment.eta.latest", "Latest expected delivery time (nil when unknown)"},
		{"shipment.eta.source", "carrier or predicted"},
		{"shipment.eta.changed_from", "Previous estimate when it just changed (nil otherwise); format with | eta_window"},
		{"shipment.delivered_at", "Delivery time (nil until delivered)"},
		{"shipment.last_event", "Latest scan (nil when none): description, location, time"},
		{"shipment.pickup", "Pickup point (nil when none): name, address, hold_until"},
		{"tracking_url", "The shop's branded tracking page for this shipment"},
		{"unsubscribe_url", "Link to stop updates"},
		{"action_url", "Where to fix a problem (reschedule, address, duties); may be empty"},
	}
}

// Filters documents the custom filters, beside the standard Liquid ones.
func Filters() []Variable {
	return []Variable{
		{"local_date", `Date in the shopper's language and time zone: {{ t | local_date }} ("Tuesday, March 3"), or with "short", "time", "weekday", "datetime"`},
		{"eta_window", `Delivery window: one day, a day with hours, or a range of days: {{ shipment.eta | eta_window }}`},
		{"money", `Amount in the shopper's format: {{ order.total | money: order.currency }}`},
	}
}

// Bindings turns d into the Liquid variables; locale picks stage labels.
func (d Data) Bindings() map[string]any {
	items := make([]any, 0, len(d.Order.LineItems))
	for _, li := range d.Order.LineItems {
		items = append(items, map[string]any{
			"title": li.Title, "variant": li.Variant, "quantity": li.Quantity,
			"price": li.Price, "image_url": li.ImageURL,
		})
	}
	label := d.Shipment.StageLabel
	if label == "" {
		label = locale.ForLocale(d.Customer.Locale).StageLabel(d.Shipment.Stage)
	}
	return map[string]any{
		"shop": map[string]any{
			"name": d.Shop.Name, "logo_url": d.Shop.LogoURL, "support_email": d.Shop.SupportEmail,
			"support_url": d.Shop.SupportURL, "brand_color": d.Shop.BrandColor,
		},
		"customer": map[string]any{
			"first_name": d.Customer.FirstName, "name": d.Customer.Name, "email": d.Customer.Email,
			"phone": d.Customer.Phone, "locale": Language(d.Customer.Locale), "time_zone": d.Customer.TimeZone,
		},
		"order": map[string]any{
			"name": d.Order.Name, "number": d.Order.Number, "total": d.Order.Total,
			"currency": d.Order.Currency, "cod": d.Order.COD, "line_items": items, "more_to_come": d.Order.MoreToCome,
		},
		"shipment": map[string]any{
			"carrier": d.Shipment.Carrier, "carrier_name": d.Shipment.CarrierName,
			"tracking_number": d.Shipment.TrackingNumber, "tracking_url": d.Shipment.TrackingURL,
			"stage": string(d.Shipment.Stage), "stage_label": label, "problem": string(d.Shipment.Problem),
			"eta":          etaBinding(d.Shipment.ETA),
			"delivered_at": timeOrNil(d.Shipment.DeliveredAt),
			"last_event":   eventBinding(d.Shipment.LastEvent),
			"pickup":       pickupBinding(d.Shipment.Pickup),
		},
		"tracking_url":    d.TrackingURL,
		"unsubscribe_url": d.UnsubscribeURL,
		"action_url":      d.ActionURL,
	}
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func windowBinding(w tracking.Window) any {
	if w.IsZero() {
		return nil
	}
	return map[string]any{"earliest": timeOrNil(w.Earliest), "latest": timeOrNil(w.Latest)}
}

func etaBinding(e ETA) any {
	if e.IsZero() {
		return nil
	}
	changed := e.ChangedFrom
	if changed.Earliest.Equal(e.Earliest) && changed.Latest.Equal(e.Latest) {
		changed = tracking.Window{} // the same estimate again is no change
	}
	return map[string]any{
		"earliest": timeOrNil(e.Earliest), "latest": timeOrNil(e.Latest),
		"source": e.Source, "changed_from": windowBinding(changed),
	}
}

func eventBinding(e *tracking.Event) any {
	if e == nil {
		return nil
	}
	return map[string]any{"description": e.Description, "location": e.Location.String(), "time": timeOrNil(e.Time)}
}

func pickupBinding(p *Pickup) any {
	if p == nil {
		return nil
	}
	return map[string]any{"name": p.Name, "address": p.Address, "hold_until": timeOrNil(p.HoldUntil)}
}

// SampleData is a realistic shopper and shipment for previews and for
// validating templates at save time. Every optional part is filled so a
// template that uses any variable renders. Dates are fixed so previews are
// reproducible.
func SampleData(locale string) Data {
	lang := Language(locale)
	type person struct{ first, last, tz, city, region, country, currency, phone string }
	p := map[string]person{
		"en": {"Jamie", "Rivera", "America/New_York", "Paramus", "NJ", "US", "USD", "+12015550123"},
		"es": {"Lucía", "García", "Europe/Madrid", "Zaragoza", "", "ES", "EUR", "+34612345678"},
		"fr": {"Camille", "Durand", "Europe/Paris", "Lyon", "", "FR", "EUR", "+33612345678"},
		"de": {"Jonas", "Schneider", "Europe/Berlin", "Köln", "", "DE", "EUR", "+4915112345678"},
		"pt": {"Ana", "Souza", "America/Sao_Paulo", "Campinas", "SP", "BR", "BRL", "+5519912345678"},
		"it": {"Giulia", "Rossi", "Europe/Rome", "Bologna", "", "IT", "EUR", "+393471234567"},
		"nl": {"Sanne", "de Vries", "Europe/Amsterdam", "Utrecht", "", "NL", "EUR", "+31612345678"},
		"ja": {"陽菜", "佐藤", "Asia/Tokyo", "大阪市", "大阪府", "JP", "JPY", "+819012345678"},
	}[lang]
	tz, err := time.LoadLocation(p.tz)
	if err != nil {
		tz = time.UTC
	}
	day := func(d, h int) time.Time { return time.Date(2026, time.March, d, h, 0, 0, 0, tz) }
	return Data{
		Shop: Shop{
			Name: "Maple & Moss", LogoURL: "https://cdn.example.com/maple-moss/logo.png",
			SupportEmail: "help@maplemoss.example", SupportURL: "https://maplemoss.example/pages/contact",
			BrandColor: "#0b6e4f",
		},
		Customer: Customer{
			FirstName: p.first, Name: p.first + " " + p.last, Email: "shopper@example.com",
			Phone: p.phone, Locale: lang, TimeZone: p.tz,
		},
		Order: Order{
			Name: "#1042", Number: "1042", Total: "89.50", Currency: p.currency, COD: true,
			LineItems: []LineItem{
				{Title: "Linen throw", Variant: "Sage", Quantity: 1, Price: "59.50", ImageURL: "https://cdn.example.com/maple-moss/throw.jpg"},
				{Title: "Beeswax candle", Variant: "Large", Quantity: 2, Price: "15.00", ImageURL: "https://cdn.example.com/maple-moss/candle.jpg"},
			},
		},
		Shipment: Shipment{
			Carrier: "ups", CarrierName: "UPS", TrackingNumber: "1Z999AA10123456784",
			TrackingURL: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
			Stage:       tracking.StageInTransit, Problem: tracking.ProblemDelayed,
			ETA: ETA{
				Window:      tracking.Window{Earliest: day(5, 9), Latest: day(6, 18)},
				Source:      "carrier",
				ChangedFrom: tracking.Window{Earliest: day(3, 9), Latest: day(4, 18)},
			},
			DeliveredAt: day(5, 14),
			LastEvent: &tracking.Event{
				Time: day(2, 7), Stage: tracking.StageInTransit, Problem: tracking.ProblemDelayed,
				Code: "DL", Description: "Weather delay",
				Location: tracking.Location{City: p.city, Region: p.region, Country: p.country},
			},
			Pickup: &Pickup{Name: "UPS Access Point – Corner Store", Address: "12 Main St, " + p.city, HoldUntil: day(12, 18)},
		},
		TrackingURL:    "https://maplemoss.example/apps/track/1042-a8f3",
		UnsubscribeURL: "https://maplemoss.example/apps/track/unsubscribe/a8f3",
		ActionURL:      "https://maplemoss.example/apps/track/1042-a8f3/action",
	}
}
