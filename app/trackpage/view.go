// Package trackpage renders the shopper's tracking page: a plain-language
// headline and next step, the delivery estimate, a progress bar, the full
// timeline in the shopper's time zone, line items, support and returns help,
// and action forms that work without JavaScript. It renders a view model
// (View) that the app fills from storage; it does no I/O of its own.
//
// Templates, CSS and UI copy are embedded from templates/pages and parsed once
// by New. The page inlines its CSS and works without script, so one response
// is all a phone has to fetch; its one small inline script only adds a copy
// button for the tracking number.
package trackpage

import (
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// View is everything the tracking page shows for one order.
type View struct {
	// Locale is a supported locale ("en", "es", "pt", "ja", …); anything else
	// renders in English. Use Negotiate to pick it from Accept-Language.
	Locale string
	Shop   Branding
	Order  Order
	// Shipments are the order's packages; an order not yet fulfilled has none
	// and the page shows it as confirmed.
	Shipments []Shipment
	// TimeZone is the shopper's zone for every date and time shown; nil means UTC.
	TimeZone *time.Location
	// ActionDone is the action the shopper just submitted (after the POST
	// redirect); the page thanks them for it. Empty shows nothing.
	ActionDone ActionKind
	// PageURL is this page's own shareable URL (the signed /t/:token link),
	// returned in Summary for the customer-account extension. Optional.
	PageURL string
	// Stopped says why nothing of the order is delivered any more
	// ("cancelled", "refunded", "items_removed"); the page says so and
	// lists no parcels. Empty while the order is on its way.
	Stopped string
	// Unshipped are the items not in any parcel yet, when the parcels say
	// what they carry; the page lists them as still to ship.
	Unshipped []Item
	// OptIn offers updates by text message; nil shows no offer.
	OptIn *OptIn
	// ShipTo is where the order goes; nil hides the section.
	ShipTo *Address
	// ReadOnly is the page as the order lookup shows it: an order number and
	// an email or phone are all it takes to get there, so it masks the
	// address (name and street), shows no notes the shopper wrote, and
	// offers no form (actions, opt-in): each would carry the shipment's
	// token, which opens the full page. The page points to the link in the
	// shopper's own messages instead.
	ReadOnly bool
}

// readOnly is v as the lookup may show it (see View.ReadOnly): no opt-in,
// no form actions, no notes; links elsewhere (the carrier's page) stay.
func (v View) readOnly() View {
	v.OptIn = nil
	ships := make([]Shipment, len(v.Shipments))
	for i, s := range v.Shipments {
		var actions []Action
		for _, a := range s.Actions {
			if a.FormAction == "" && a.URL != "" {
				actions = append(actions, a)
			}
		}
		s.Actions = actions
		reqs := make([]Request, len(s.Requests))
		for j, r := range s.Requests {
			r.Note = ""
			reqs[j] = r
		}
		s.Requests = reqs
		ships[i] = s
	}
	v.Shipments = ships
	return v
}

// Address is a postal address as the order gives it.
type Address struct {
	Name       string
	Address1   string
	Address2   string
	City       string
	Region     string // state or province code, "CA"
	PostalCode string
	Country    string // ISO 3166-1 alpha-2
}

// Masked keeps what locates the parcel's area (city, region, country and
// the start of the postal code) and hides who and where exactly.
func (a Address) Masked() Address {
	m := Address{City: a.City, Region: a.Region, Country: a.Country}
	if a.Name != "" {
		m.Name = maskWord(a.Name)
	}
	if a.Address1 != "" {
		m.Address1 = "•••"
	}
	if pc := []rune(a.PostalCode); len(pc) > 0 {
		keep := min(3, len(pc)-1)
		m.PostalCode = string(pc[:keep]) + strings.Repeat("•", len(pc)-keep)
	}
	return m
}

// maskWord keeps the first letter of each word: "Jane Doe" → "J. D.".
func maskWord(s string) string {
	var out []string
	for _, w := range strings.Fields(s) {
		r := []rune(w)
		out = append(out, string(r[0])+".")
	}
	return strings.Join(out, " ")
}

// Lines lays the address out for display, one line per part present.
func (a Address) Lines() []string {
	var out []string
	for _, l := range []string{a.Name, a.Address1, a.Address2} {
		if l != "" {
			out = append(out, l)
		}
	}
	city := strings.TrimSpace(strings.Join(nonEmpty(a.City, strings.TrimSpace(a.Region+" "+a.PostalCode)), ", "))
	if city != "" {
		out = append(out, city)
	}
	if a.Country != "" {
		out = append(out, a.Country)
	}
	return out
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// OptIn is the page's "text me shipping updates" form. The words next to
// the button are OptInWording's, stored with the consent as its proof.
type OptIn struct {
	FormAction string
	CSRF       string
	Phone      string // the order's number, prefilled
	// Done is set right after the shopper agreed; Pending when a
	// confirmation reply is still needed.
	Done, Pending bool
}

// The opt-in form's fields.
const (
	FieldPhone  = "phone"  // FieldChannel carries sms or whatsapp
	FieldLocale = "locale" // the language the wording was shown in
	FieldVoice  = "voice"  // "1" when the shopper also agreed to calls
)

// Branding is the merchant's look and help content, from shop settings.
// Every field is optional.
type Branding struct {
	Name    string
	LogoURL string
	// PrimaryColor and AccentColor are "#rrggbb" (or "#rgb"). Invalid values
	// fall back to the defaults; text colours on them are chosen by ReadableOn.
	PrimaryColor string
	AccentColor  string
	// FontFamily is a CSS font-family list, e.g. `"Helvetica Neue", Arial`.
	// Characters outside letters, digits, spaces, quotes, commas and hyphens
	// are dropped; the system font stack is appended as the fallback.
	FontFamily   string
	SupportEmail string
	SupportPhone string
	SupportURL   string
	FAQ          []FAQItem
	// ReturnsURL links to the store's returns or exchange portal; ReturnsText
	// is the store's own guidance. Either one shows the returns section.
	ReturnsURL  string
	ReturnsText string
}

// FAQItem is one question and answer the merchant wants on the page.
type FAQItem struct {
	Question string
	Answer   string
}

// Order is the order the shipments belong to.
type Order struct {
	Name     string // the shop's order name, "#1001"
	PlacedAt time.Time
	// Items is every line item; the order summary lists them.
	Items []Item
	// ShippingMethod is the delivery method chosen at checkout, shown until
	// the order ships. Optional.
	ShippingMethod string
	// ShipBy is the day the store expects to ship by (its processing time),
	// a calendar date read as is; zero when unknown. Shown until the order ships.
	ShipBy time.Time
	// ProcessingLabel is the merchant's own word for the step between
	// ordered and shipped; empty is "Processing".
	ProcessingLabel string
	// Currency is the ISO 4217 code of the prices ("USD").
	Currency string
	// Total is the order total, a decimal string; COD says it is paid in
	// cash on delivery, which the page reminds the shopper of.
	Total string
	COD   bool
}

// Item is one line item.
type Item struct {
	Title    string
	Variant  string // "Blue / M"; empty for single-variant products
	Qty      int
	ImageURL string // https only; other schemes are not rendered
	Price    string // unit price, a decimal string in Order.Currency; empty hides it
}

// ETASource says where a delivery estimate comes from; the page tells the
// shopper, because a carrier's promise and our learned guess deserve
// different trust.
type ETASource string

// The estimate sources.
const (
	ETASourceCarrier ETASource = "carrier" // the carrier's own promised date
	ETASourceLearned ETASource = "learned" // learned transit time for the lane
	ETASourceStore   ETASource = "store"   // the store's shipping promise
	ETASourceTypical ETASource = "prior"   // the service's typical transit, before any history
)

// ETA is a delivery estimate: a day (Earliest == Latest) or a window.
type ETA struct {
	Earliest time.Time
	Latest   time.Time
	Source   ETASource
	// ChangedFrom is the previous estimate when it changed, so the page can
	// say "was Tuesday, May 5". Nil when the estimate never changed.
	ChangedFrom *tracking.Window
}

// Shipment is one package of the order.
type Shipment struct {
	Carrier     string // carrier code, "ups"
	CarrierName string // display name, "UPS"; falls back to Carrier
	Number      string
	CarrierURL  string // the carrier's public tracking page for Number
	Stage       tracking.Stage
	Problem     tracking.Problem
	// Issue is what the problem asks of the shopper (tracking.IssueOf);
	// the headline, next step and actions follow it.
	Issue tracking.Issue
	ETA   *ETA
	// Events is the shipment's timeline in any order; the page shows the
	// newest first, in View.TimeZone.
	Events []tracking.Event
	// Items are the line items in this package, listed in its card when the
	// order has more than one shipment.
	Items []Item
	// Actions are what the shopper can do now (typically offered with a
	// failed attempt or an action-required problem).
	Actions []Action
	// Expired means the carrier went silent for so long that tracking
	// stopped; the page says so and points to support.
	Expired bool
	// Requests are what the shopper already asked about this package (on
	// the page, by text or on a call), oldest first; the card lists them so
	// the shopper sees each one reached the store.
	Requests []Request
	// Cancelled means the store cancelled this parcel: the card says it
	// will not come, with no estimate or actions.
	Cancelled bool
	// Return marks a parcel the shopper sends back to the store.
	Return bool
	// Opened marks the parcel whose own link opened the page (the link of a
	// message about it): it leads the page, whatever the other parcels do.
	Opened bool
}

// Request is one thing the shopper asked for.
type Request struct {
	Kind ActionKind
	At   time.Time
	// Date is the delivery day asked for with a reschedule; zero when the
	// shopper did not pick one (a text or call reply).
	Date time.Time
	// Note is what the shopper wrote with a message to the store.
	Note string
}

// ActionKind names something the shopper can ask for from the page. The
// alias and the constants below keep callers compiling while app/ is split
// into feature packages (issue 19); new code uses tracking's names.
type ActionKind = tracking.ActionKind

// The actions; see tracking.ActionKind.
const (
	ActionConfirmAddress = tracking.ActionConfirmAddress
	ActionCorrectAddress = tracking.ActionCorrectAddress
	ActionReschedule     = tracking.ActionReschedule
	ActionNotReceived    = tracking.ActionNotReceived
	ActionContactSupport = tracking.ActionContactSupport
)

// ActionKinds lists every action kind.
var ActionKinds = tracking.ActionKinds

// Form field names posted by the action forms. The handler reads them; the
// CSRF middleware should look the token up in CSRFField
// (Echo: TokenLookup "form:_csrf").
const (
	CSRFField       = "_csrf"
	FieldKind       = "kind"     // the ActionKind
	FieldShipment   = "shipment" // Shipment.Number the action is about
	FieldAddress1   = tracking.DetailAddress1
	FieldAddress2   = tracking.DetailAddress2
	FieldCity       = tracking.DetailCity
	FieldPostalCode = tracking.DetailPostalCode
	FieldDate       = tracking.DetailDate
	FieldNote       = tracking.DetailNote

	// The lookup form's fields, also posted by the theme app block.
	FieldOrder   = "order"   // the order name or number, "#1001" or "1001"
	FieldContact = "contact" // the email or phone used at checkout
)

// Action is one thing the shopper can do. With FormAction set it renders as
// a POST form (plus fields for its kind: an address for correct_address,
// a choice of Dates for reschedule, a note for not_received); otherwise, with
// URL set, as a link (a carrier's reschedule page, a helpdesk).
type Action struct {
	Kind       ActionKind
	FormAction string
	URL        string
	// CSRF is the token posted in CSRFField.
	CSRF string
	// Dates are the delivery days offered for a reschedule.
	Dates []time.Time
}

// LookupView is the order lookup form (/track): order number plus the email
// or phone used at checkout.
type LookupView struct {
	Locale string
	Shop   Branding
	// FormAction is where the form posts (GET is fine too, but POST keeps the
	// email out of logs).
	FormAction string
	CSRF       string
	// OrderName and Contact refill the form after a failed attempt.
	OrderName string
	Contact   string
	// NotFound shows one generic message that never says which field was
	// wrong, so the form cannot be used to probe orders or emails.
	NotFound bool
	// TooMany says the shopper must wait before trying again (rate limited).
	TooMany bool
}
