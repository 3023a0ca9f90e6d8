package trackpage

import (
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// problemView is inTransit with the carrier's problem scan on top and the
// actions tracking.ShopperActions offers for its issue, as the shopper
// package builds them.
func problemView(t *testing.T, stage tracking.Stage, problem tracking.Problem, code, desc string) View {
	t.Helper()
	v := inTransit(t)
	v.ShipTo = &Address{Name: "Jane Doe", Address1: "500 Market St", Address2: "Apt 4", City: "San Francisco", Region: "CA", PostalCode: "94105", Country: "US"}
	s := &v.Shipments[0]
	s.Stage, s.Problem = stage, problem
	at := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	s.Events = append(s.Events, tracking.Event{Time: at, Stage: stage, Problem: problem, Code: code, Description: desc,
		Location: tracking.Location{City: "San Francisco", Region: "CA", Country: "US"}})
	s.Issue = tracking.IssueOf(stage, problem, s.Events)
	offers := tracking.ShopperActions(stage, s.Issue, tracking.CalendarFor("ups", ""), at)
	for _, o := range offers {
		a := Action{Kind: o.Kind, FormAction: "/t/tok123/actions", CSRF: "c", Dates: o.Dates}
		if o.Kind == tracking.ActionPayCarrier {
			a = Action{Kind: o.Kind, URL: s.CarrierURL}
		}
		s.Actions = append(s.Actions, a)
	}
	return v
}

func TestEachIssueGetsItsOwnStepAndActions(t *testing.T) {
	r := newRenderer(t)
	tests := []struct {
		name          string
		stage         tracking.Stage
		problem       tracking.Problem
		code, desc    string
		want, notWant []string
	}{
		{"duty due: pay at the carrier, no address buttons", tracking.StageInTransit, tracking.ProblemActionRequired,
			"CF", "Import duty due; pay to release the package",
			[]string{"Import duty is due on your package", "Pay the duty on the UPS website",
				`<a class="ot-btn" href="https://www.ups.com/track?tracknum=1Z999AA10123456784" rel="noopener noreferrer">Pay on the UPS website</a>`},
			[]string{"Yes, my address is correct", "Correct my address"}},
		{"address query: the address shown with the confirm button", tracking.StageInTransit, tracking.ProblemActionRequired,
			"AX", "Address information needed; contact the carrier",
			[]string{"The carrier needs your delivery address", `<address class="ot-address">Jane Doe<br>500 Market St<br>Apt 4<br>San Francisco, CA 94105<br>US</address>
<button type="submit" class="ot-btn">Yes, my address is correct</button>`,
				`name="region" autocomplete="address-level1" value="CA"`, `name="country" required autocomplete="country" maxlength="56" value="US"`},
			[]string{"Pay on the"}},
		{"failed attempt: choose a new day", tracking.StageOutForDelivery, tracking.ProblemFailedAttempt,
			"FA", "Delivery attempted; no access to delivery location",
			[]string{"Choose a new delivery day below", `name="date"`}, []string{"Yes, my address is correct"}},
		{"held at customs: message the store", tracking.StageInTransit, tracking.ProblemActionRequired,
			"statusCode:058", "Clearance Information Required",
			[]string{"Your package is held at customs", `<textarea id="ot-msg-1" name="message" rows="4" maxlength="2000" required>`},
			[]string{"Yes, my address is correct", "Pay on the"}},
		{"damaged: the store", tracking.StageInTransit, tracking.ProblemException,
			"EX", "Damaged in transit; contents being assessed",
			[]string{"damaged or lost in transit", "replacement or a refund"}, []string{"Yes, my address is correct"}},
		{"refused: the store", tracking.StageInTransit, tracking.ProblemException,
			"RF", "Shipment refused by recipient", []string{"The delivery was refused"}, []string{"Correct my address"}},
		{"COD: have the amount ready", tracking.StageOutForDelivery, tracking.ProblemActionRequired,
			"statusCode:085", "Held for COD Payment", []string{"cash on delivery", "Have the amount ready"}, []string{"Correct my address"}},
		{"pickup: place, deadline and hours", tracking.StageAvailableForPickup, tracking.ProblemNone,
			"PA", "Held at access point; available for pickup",
			[]string{"Collect it at San Francisco, CA, US", "<dt>Pickup point</dt>", "<dt>Collect by</dt><dd><time datetime=\"2026-11-30\">Monday, November 30</time></dd>",
				"<dt>Opening hours</dt><dd>See the UPS website</dd>"},
			[]string{"Correct my address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := render(t, r, problemView(t, tt.stage, tt.problem, tt.code, tt.desc))
			mustContain(t, page, tt.want...)
			mustNotContain(t, page, tt.notWant...)
			mustContain(t, page, `<div class="ot-actions" id="actions">`)
		})
	}
}

func TestDutyWithoutACarrierPageAsksToMessageTheStore(t *testing.T) {
	v := problemView(t, tracking.StageInTransit, tracking.ProblemActionRequired, "CF", "Import duty due; pay to release the package")
	v.Shipments[0].CarrierURL = ""
	v.Shipments[0].Actions = v.Shipments[0].Actions[1:] // the shopper package drops the pay link without a URL
	page := render(t, newRenderer(t), v)
	mustContain(t, page, "Import duty is due on your package", "Message us below")
	mustNotContain(t, page, "Pay the duty on the", "Pay on the")
}

func TestAnAnsweredIssueIsAcknowledged(t *testing.T) {
	r := newRenderer(t)
	v := problemView(t, tracking.StageOutForDelivery, tracking.ProblemFailedAttempt, "FA", "Delivery attempted")
	before := render(t, r, v)
	mustContain(t, before, "Delivery attempted</p>", "is-problem")
	opts := v.Shipments[0].Actions[0].Dates
	chosen := opts[1]
	v.Shipments[0].Requests = []Request{{Kind: ActionReschedule, At: time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC), Date: chosen}}
	after := render(t, r, v)
	mustContain(t, after, "Thanks, your answer reached the store", "Answer sent", "is-answered",
		`<option value="`+chosen.Format(time.DateOnly)+`" selected>`)
	mustNotContain(t, after, `<p class="ot-tag">Delivery attempted</p>`, "ot-hero is-problem")

	// An answer from before the problem's scan does not count.
	v.Shipments[0].Requests[0].At = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	mustNotContain(t, render(t, r, v), "Thanks, your answer reached the store")
}

func TestShippingAddressIsMaskedOnTheLookupPath(t *testing.T) {
	r := newRenderer(t)
	v := problemView(t, tracking.StageInTransit, tracking.ProblemNone, "AR", "Arrived")
	mustContain(t, render(t, r, v), "Shipping to", "Jane Doe<br>500 Market St")
	v.ReadOnly = true
	page := render(t, r, v)
	mustContain(t, page, `J. D.<br>•••<br>San Francisco, CA 941••<br>US`)
	mustNotContain(t, page, "Jane", "500 Market", "94105")
}

func TestLookupPageOffersNoFormThatCarriesTheToken(t *testing.T) {
	r := newRenderer(t)
	tests := []struct{ name, code, desc, keep string }{
		{"address query", "AX", "Address information needed; contact the carrier", ""},
		{"duty due keeps the carrier's own page", "CF", "Import duty due; pay to release the package",
			`href="https://www.ups.com/track?tracknum=1Z999AA10123456784" rel="noopener noreferrer">Pay on the UPS website</a>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := problemView(t, tracking.StageInTransit, tracking.ProblemActionRequired, tt.code, tt.desc)
			v.OptIn = &OptIn{FormAction: "/t/tok123/consent", CSRF: "c", Phone: "+14155550199"}
			v.Shipments[0].Requests = []Request{{Kind: ActionContactSupport, At: time.Date(2026, 11, 23, 16, 0, 0, 0, time.UTC), Note: "my gate code is 4242"}}
			full := render(t, r, v)
			mustContain(t, full, "/t/tok123/", "4242")
			v.ReadOnly = true
			page := render(t, r, v)
			mustNotContain(t, page, "tok123", "<form", "+14155550199", "4242")
			mustContain(t, page, "open the tracking link in your order emails or texts")
			if tt.keep != "" {
				mustContain(t, page, tt.keep)
			}
		})
	}
	v := inTransit(t)
	v.OptIn = &OptIn{FormAction: "/t/tok123/consent", CSRF: "c", Phone: "+14155550199"}
	mustContain(t, render(t, r, v), `action="/t/tok123/consent"`, "4155550199")
	v.ReadOnly = true
	mustNotContain(t, render(t, r, v), "tok123", "4155550199")
}

func TestItemsShowTheirPriceAndTheOrderTotal(t *testing.T) {
	r := newRenderer(t)
	v := inTransit(t)
	v.Order.Currency, v.Order.Total = "USD", "84.00"
	v.Order.Items[0].Price = "42.00"
	page := render(t, r, v)
	mustContain(t, page, `<span class="ot-price">$42.00</span>`, "Total: <strong>$84.00</strong>")
}

func TestTrackingNumberNeverBreaks(t *testing.T) {
	page := render(t, newRenderer(t), inTransit(t))
	mustContain(t, page, `<span class="ot-num" style="--n:18" title="Tap to select the whole number">1Z999AA10123456784</span>`, ".ot-num{white-space:nowrap",
		`<button type="button" class="ot-copy ot-btn ot-btn-secondary" data-copy="1Z999AA10123456784" data-done="Copied" hidden>Copy</button>`)
}

func TestReturnedParcelOffersNoReturn(t *testing.T) {
	r := newRenderer(t)
	v := inTransit(t)
	mustContain(t, render(t, r, v), "Start a return or exchange")
	for _, st := range []tracking.Stage{tracking.StageReturning, tracking.StageReturned} {
		v.Shipments[0].Stage = st
		page := render(t, r, v)
		mustNotContain(t, page, "Start a return or exchange", `href="#ot-returns"`)
	}
}

func TestZoneNamesAreHuman(t *testing.T) {
	r := newRenderer(t)
	v := inTransit(t)
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	vienna, err := time.LoadLocation("Europe/Vienna")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		loc  *time.Location
		lang string
		want string
	}{
		{la, "en", "Times shown in Los Angeles time (GMT−8)."},
		// Zone ids name cities in English ("Vienna", not "Wien"), so other
		// languages say "your time zone" and its offset instead.
		{vienna, "de", "Zeiten in Ihrer Zeitzone (GMT&#43;1)."},
		{vienna, "es", "Horas en su zona horaria (GMT&#43;1)."},
		{vienna, "fr", "Heures indiquées en heure locale (GMT&#43;1)."},
		{vienna, "it", "Orari in ora locale (GMT&#43;1)."},
		{vienna, "ja", "時刻はお使いのタイムゾーン（GMT&#43;1）です。"},
		{vienna, "nl", "Tijden in je tijdzone (GMT&#43;1)."},
		{vienna, "pt", "Horários em seu fuso horário (GMT&#43;1)."},
		{kolkata, "en", "Times shown in Kolkata time (GMT&#43;5:30)."},
		{time.UTC, "en", "Times shown in UTC."},
	}
	for _, tt := range tests {
		v.TimeZone, v.Locale = tt.loc, tt.lang
		page := render(t, r, v)
		mustContain(t, page, tt.want)
		if strings.Contains(page, "America/") || strings.Contains(page, "Los_Angeles") || strings.Contains(page, "Europe/") {
			t.Errorf("page names a raw zone id")
		}
		if tt.lang != "en" && strings.Contains(page, "Vienna") {
			t.Errorf("%s page names the zone's city in English", tt.lang)
		}
	}
}
