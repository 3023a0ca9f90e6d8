package trackpage

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/templates"
)

func render(t *testing.T, r *Renderer, v View) string {
	t.Helper()
	var b bytes.Buffer
	if err := r.Render(&b, v); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return b.String()
}

func renderProxy(t *testing.T, r *Renderer, v View) string {
	t.Helper()
	var b bytes.Buffer
	if err := r.RenderProxy(&b, v); err != nil {
		t.Fatalf("RenderProxy: %v", err)
	}
	return b.String()
}

func mustContain(t *testing.T, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func mustNotContain(t *testing.T, page string, bads ...string) {
	t.Helper()
	for _, b := range bads {
		if strings.Contains(page, b) {
			t.Errorf("page contains %q", b)
		}
	}
}

var currentStep = regexp.MustCompile(`aria-current="step"><span class="ot-dot" aria-hidden="true"></span>([^<]+)`)

func TestRenderShowsCopyForEveryStageAndProblemInEveryLocale(t *testing.T) {
	r := newRenderer(t)
	for _, lang := range languages() {
		for _, stage := range tracking.Stages {
			for _, problem := range tracking.Problems {
				t.Run(lang+"/"+string(stage)+"/"+string(problem), func(t *testing.T) {
					v := inTransit(t)
					v.Locale = lang
					v.Shipments[0].Stage, v.Shipments[0].Problem = stage, problem
					page := render(t, r, v)
					headline, next := locale.ForLocale(lang).Copy(stage, problem, false)
					mustContain(t, page,
						`<html lang="`+lang+`">`,
						`<h1 id="ot-headline">`+html.EscapeString(headline)+`</h1>`,
						html.EscapeString(next),
					)
					if n := len(currentStep.FindAllString(page, -1)); n != 1 {
						t.Errorf("page marks %d steps as current, want exactly 1", n)
					}
					if strings.Contains(page, ">copy.") || strings.Contains(page, ">stage.") {
						t.Errorf("page shows a raw copy key")
					}
				})
			}
		}
	}
}

func TestProgressMarksTheShipmentsStage(t *testing.T) {
	tests := []struct {
		stage tracking.Stage
		want  string
	}{
		{tracking.StageConfirmed, "Ordered"},
		{tracking.StagePacked, "Ordered"},
		{tracking.StageShipped, "Shipped"},
		{tracking.StageInTransit, "In transit"},
		{tracking.StageOutForDelivery, "Out for delivery"},
		{tracking.StageAvailableForPickup, "Ready for pickup"},
		{tracking.StageDelivered, "Delivered"},
		{tracking.StageReturning, "Returning"},
		{tracking.StageReturned, "Returned"},
	}
	r := newRenderer(t)
	for _, tt := range tests {
		t.Run(string(tt.stage), func(t *testing.T) {
			v := inTransit(t)
			v.Shipments[0].Stage = tt.stage
			m := currentStep.FindStringSubmatch(render(t, r, v))
			if m == nil || m[1] != tt.want {
				t.Errorf("current step = %v, want %q", m, tt.want)
			}
		})
	}
}

func TestReturnPathNeverPromisesDelivery(t *testing.T) {
	r := newRenderer(t)
	v := inTransit(t)
	v.Shipments[0].Stage = tracking.StageReturning
	page := render(t, r, v)
	steps := page[strings.Index(page, `<ol class="ot-steps"`):]
	steps = steps[:strings.Index(steps, "</ol>")]
	mustNotContain(t, steps, "Delivered", "Out for delivery")
	mustNotContain(t, page, "Estimated delivery")
}

func TestPageHasLandmarksAndSkipLink(t *testing.T) {
	page := render(t, newRenderer(t), inTransit(t))
	mustContain(t, page,
		`<header class="ot-header">`, `<main id="ot-main"`, `<footer class="ot-footer">`,
		`<nav class="ot-nav" aria-label="Help">`, `<a class="ot-skip" href="#ot-main">`,
		`<meta name="viewport"`, `<meta name="referrer" content="no-referrer">`,
		`:focus-visible{outline:3px solid`,
	)
	mustNotContain(t, page, "<link ")
	// One script only, the copy button's, byte for byte: the CSP allows
	// exactly templates.CopyScript by its hash.
	if n := strings.Count(page, "<script"); n != 1 || !strings.Contains(page, "<script>"+templates.CopyScript+"</script>") {
		t.Errorf("page has %d scripts; want only templates.CopyScript, unchanged", n)
	}
}

func TestTimelineShowsLocalTimesPlacesAndNewestFirst(t *testing.T) {
	r := newRenderer(t)
	v := inTransit(t)
	page := render(t, r, v)
	// 14:05 UTC is 9:05 AM in New York (EST, UTC-5).
	mustContain(t, page,
		`<time datetime="2026-11-20T09:05:00-05:00">Fri, Nov 20, 9:05 AM</time> · Paramus, NJ, US`,
		`Sat, Nov 21, 3:05 PM</time> · Hodgkins, IL, US`,
		"Times shown in New York time (GMT−5).",
	)
	if strings.Index(page, "Hodgkins") > strings.Index(page, "Paramus") {
		t.Errorf("the older scan (Paramus) is listed before the newer one (Hodgkins)")
	}

	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("load Europe/Berlin: %v", err)
	}
	v.Locale, v.TimeZone = "de", berlin
	mustContain(t, render(t, r, v), `Fr., 20. Nov., 15:05 Uhr</time> · Paramus, NJ, US`)
}

func TestTimelineFoldsOlderScansAway(t *testing.T) {
	r := newRenderer(t)
	v := inTransit(t)
	base := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	for i := range 8 {
		v.Shipments[0].Events = append(v.Shipments[0].Events, tracking.Event{
			Time: base.Add(time.Duration(i) * time.Hour), Stage: tracking.StageInTransit, Description: "Arrived at facility",
		})
	}
	page := render(t, r, v)
	mustContain(t, page, "<summary>Show 5 earlier updates</summary>")
	folded := page[strings.Index(page, `<details class="ot-earlier">`):]
	mustContain(t, folded, "Picked up")
}

func TestTimelineFoldCountsInTheLocalesPlural(t *testing.T) {
	tests := []struct {
		locale  string
		earlier int
		want    string
	}{
		{"en", 1, "Show 1 earlier update<"},
		{"en", 2, "Show 2 earlier updates<"},
		{"es", 1, "Ver 1 actualización anterior<"},
		{"es", 2, "Ver 2 actualizaciones anteriores<"},
		{"fr", 1, "Voir 1 mise à jour précédente<"},
		{"fr", 2, "Voir 2 mises à jour précédentes<"},
		{"de", 1, "1 früheres Update anzeigen<"},
		{"de", 2, "2 frühere Updates anzeigen<"},
	}
	r := newRenderer(t)
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.locale, tt.earlier), func(t *testing.T) {
			v := inTransit(t)
			v.Locale = tt.locale
			base := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
			for i := len(v.Shipments[0].Events); i < recentEvents+tt.earlier; i++ {
				v.Shipments[0].Events = append(v.Shipments[0].Events, tracking.Event{
					Time: base.Add(time.Duration(i) * time.Hour), Stage: tracking.StageInTransit, Description: "Arrived at facility",
				})
			}
			page := html.UnescapeString(render(t, r, v))
			mustContain(t, page, "<summary>"+tt.want)
		})
	}
}

func TestETAShowsDateSourceAndWhatChanged(t *testing.T) {
	r := newRenderer(t)
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name  string
		eta   ETA
		wants []string
		bads  []string
	}{
		{
			name:  "carrier date that changed",
			eta:   ETA{Earliest: day(24, 17), Latest: day(24, 23), Source: ETASourceCarrier, ChangedFrom: &tracking.Window{Earliest: day(23, 17), Latest: day(23, 17)}},
			wants: []string{`<time datetime="2026-11-24">Tuesday, November 24</time>`, "Estimate from UPS", "Updated: it was Monday, November 23"},
		},
		{
			name:  "learned window spanning days",
			eta:   ETA{Earliest: day(24, 17), Latest: day(26, 17), Source: ETASourceLearned},
			wants: []string{"Tuesday, November 24 – Thursday, November 26", "based on recent deliveries"},
			bads:  []string{"Updated:"},
		},
		{
			name:  "typical transit before any history says so",
			eta:   ETA{Earliest: day(24, 17), Latest: day(25, 17), Source: ETASourceTypical},
			wants: []string{"Typical delivery time for this service"},
			bads:  []string{"based on recent deliveries"},
		},
		{
			name:  "store promise",
			eta:   ETA{Earliest: day(27, 17), Source: ETASourceStore},
			wants: []string{"Friday, November 27", "Estimate from Maple &amp; Moss"},
		},
		{
			name:  "unchanged estimate says nothing changed",
			eta:   ETA{Earliest: day(24, 17), Source: ETASourceCarrier, ChangedFrom: &tracking.Window{Earliest: day(24, 18)}},
			wants: []string{"Tuesday, November 24"},
			bads:  []string{"Updated:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := inTransit(t)
			v.Shipments[0].ETA = &tt.eta
			page := render(t, r, v)
			mustContain(t, page, tt.wants...)
			mustNotContain(t, page, tt.bads...)
		})
	}
}

func TestDeliveredShowsWhenInsteadOfEstimate(t *testing.T) {
	r := newRenderer(t)
	v := inTransit(t)
	v.Shipments[0].Stage = tracking.StageDelivered
	v.Shipments[0].Events = append(v.Shipments[0].Events, tracking.Event{
		Time: time.Date(2026, 11, 24, 16, 2, 0, 0, time.UTC), Stage: tracking.StageDelivered, Description: "Delivered",
	})
	page := render(t, r, v)
	mustContain(t, page, `<p class="ot-eta-label">Delivered</p>`, "Tuesday, November 24, 11:02 AM")
	mustNotContain(t, page, "Estimated delivery")
}

// A parcel the shopper fetched from a pickup point is not sought around
// the door: the delivered copy says it was collected.
func TestCollectedParcelIsNotSoughtAtTheDoor(t *testing.T) {
	r := newRenderer(t)
	v := inTransit(t)
	s := &v.Shipments[0]
	s.Stage = tracking.StageDelivered
	s.Events = append(s.Events,
		tracking.Event{Time: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), Stage: tracking.StageAvailableForPickup, Description: "Held at access point; available for pickup"},
		tracking.Event{Time: time.Date(2026, 11, 24, 16, 2, 0, 0, time.UTC), Stage: tracking.StageDelivered, Description: "Delivered; collected by recipient"})
	page := render(t, r, v)
	mustContain(t, page, "You picked up your package", "You collected it at the pickup point")
	mustNotContain(t, page, "Check around your door")

	v.Locale = "de"
	mustContain(t, render(t, r, v), "Sie haben Ihr Paket abgeholt")
}

func TestExpiredTrackingSaysUpdatesStopped(t *testing.T) {
	r := newRenderer(t)
	v := inTransit(t)
	v.Shipments[0].Expired = true
	page := render(t, r, v)
	mustContain(t, page, "Tracking updates have stopped", "Contact us and we&#39;ll find out where it is")
	mustNotContain(t, page, "Your package is in transit")

	v.Shipments[0].Stage = tracking.StageDelivered // a delivered parcel never reads as lost
	mustNotContain(t, render(t, r, v), "Tracking updates have stopped")
}

func TestActionsArePlainPostForms(t *testing.T) {
	r := newRenderer(t)
	v := inTransit(t)
	v.Shipments[0].Problem = tracking.ProblemFailedAttempt
	v.Shipments[0].Actions = allActions(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	v.Shipments[0].Actions = append(v.Shipments[0].Actions, Action{Kind: ActionReschedule, URL: "https://www.ups.com/reschedule?n=1"})
	page := render(t, r, v)
	if n := strings.Count(page, `<form method="post" action="/t/tok123/actions" class="ot-action">`); n != len(ActionKinds) {
		t.Errorf("page has %d action forms, want %d", n, len(ActionKinds))
	}
	for _, k := range ActionKinds {
		mustContain(t, page, `<input type="hidden" name="`+FieldKind+`" value="`+string(k)+`">`)
	}
	mustContain(t, page,
		`<input type="hidden" name="`+CSRFField+`" value="csrf-token-value">`,
		`<input type="hidden" name="`+FieldShipment+`" value="1Z999AA10123456784">`,
		`name="`+FieldAddress1+`" required`, `name="`+FieldAddress2+`"`, `name="`+FieldCity+`"`,
		`name="`+FieldPostalCode+`"`, `name="`+FieldNote+`"`,
		`<select id="ot-date-1" name="`+FieldDate+`"><option value="2026-11-27">Friday, November 27</option>`,
		`<a class="ot-btn ot-btn-secondary" href="https://www.ups.com/reschedule?n=1" rel="noopener noreferrer">Choose another delivery day</a>`,
	)
}

func TestActionDoneThanksTheShopper(t *testing.T) {
	r := newRenderer(t)
	for _, k := range ActionKinds {
		t.Run(string(k), func(t *testing.T) {
			v := inTransit(t)
			v.Locale = "es"
			v.ActionDone = k
			page := render(t, r, v)
			want := locale.ForLocale("es").T("action." + string(k) + ".done")
			mustContain(t, page, `<p class="ot-flash" role="status">`+html.EscapeString(want)+`</p>`)
		})
	}
}

func TestActionDoneShowsOnlyOurOwnThanks(t *testing.T) {
	r := newRenderer(t)
	for _, done := range []ActionKind{
		"<script>alert(1)</script>",
		"Your parcel is held: call 0800 666 999 and pay the fee",
		"action.reschedule", "reschedule.done", " reschedule",
	} {
		t.Run(string(done), func(t *testing.T) {
			v := inTransit(t)
			v.ActionDone = done
			page := render(t, r, v)
			if strings.Contains(page, `class="ot-flash"`) || strings.Contains(page, "alert(1)") || strings.Contains(page, "666 999") {
				t.Errorf("?done=%q put text on the page:\n%s", done, page)
			}
		})
	}
}

func TestMultipleShipmentsLeadWithTheMostUrgent(t *testing.T) {
	r := newRenderer(t)
	page := render(t, r, bigOrder(t))
	failed, _ := locale.ForLocale("en").Copy(tracking.StageOutForDelivery, tracking.ProblemFailedAttempt, false)
	mustContain(t, page,
		`<h1 id="ot-headline">`+failed+`</h1>`,
		"Package 1 of 3", "Package 2 of 3", "Package 3 of 3",
		"In this package",
	)
	// Actions show once, at the top, not again in the package's card.
	if n := strings.Count(page, `value="confirm_address"`); n != 1 {
		t.Errorf("confirm_address form appears %d times, want 1", n)
	}
	// Each card lists its own items, so the order summary is left out.
	mustNotContain(t, page, `id="ot-order-h"`)
}

func TestPrimaryShipment(t *testing.T) {
	s := func(stage tracking.Stage, p tracking.Problem) Shipment { return Shipment{Stage: stage, Problem: p} }
	tests := []struct {
		name string
		in   []Shipment
		want int
	}{
		{"single", []Shipment{s(tracking.StageShipped, "")}, 0},
		{"action required beats a delay", []Shipment{s(tracking.StageInTransit, tracking.ProblemDelayed), s(tracking.StageInTransit, tracking.ProblemActionRequired)}, 1},
		{"a problem beats progress", []Shipment{s(tracking.StageShipped, ""), s(tracking.StageOutForDelivery, tracking.ProblemException)}, 1},
		{"moving beats delivered", []Shipment{s(tracking.StageDelivered, ""), s(tracking.StageOutForDelivery, "")}, 1},
		{"least advanced of the moving", []Shipment{s(tracking.StageOutForDelivery, ""), s(tracking.StageShipped, ""), s(tracking.StageInTransit, "")}, 1},
		{"the parcel whose link was opened", []Shipment{s(tracking.StageInTransit, tracking.ProblemActionRequired), {Stage: tracking.StageDelivered, Opened: true}}, 1},
		{"a return opened by its link", []Shipment{s(tracking.StageDelivered, ""), {Stage: tracking.StageInTransit, Return: true, Opened: true}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := primary(tt.in); got != tt.want {
				t.Errorf("primary = %d, want %d", got, tt.want)
			}
		})
	}
}

// Before anything ships the page reads Ordered (done) → Processing (now,
// in the merchant's word when set) → Shipped, with the processing
// estimate and the delivery method chosen at checkout.
func TestOrderWithoutShipmentsReadsAsProcessing(t *testing.T) {
	tests := []struct {
		name, label, want string
	}{
		{"default wording", "", "Processing"},
		{"merchant's wording", "Hand-stitching", "Hand-stitching"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := inTransit(t)
			v.Shipments = nil
			v.Order.ProcessingLabel = tt.label
			v.Order.ShippingMethod = "Standard (3-5 business days)"
			v.Order.ShipBy = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
			page := render(t, newRenderer(t), v)
			headline, _ := locale.ForLocale("en").Copy(tracking.StageConfirmed, tracking.ProblemNone, false)
			mustContain(t, page, `<h1 id="ot-headline">`+html.EscapeString(headline)+`</h1>`, "Linen shirt",
				"Expected to ship by Thursday, November 26", "Delivery method: Standard (3-5 business days)")
			if m := currentStep.FindStringSubmatch(page); m == nil || m[1] != tt.want {
				t.Errorf("current step = %v, want %s", m, tt.want)
			}
		})
	}
}

func TestRenderEscapesMerchantAndCarrierText(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	v := inTransit(t)
	v.Shop.Name = "Shop " + evil
	v.Shop.FAQ = []FAQItem{{Question: "Q " + evil, Answer: "A " + evil}}
	v.Shop.ReturnsText = "R " + evil
	v.Shop.SupportURL = "javascript:alert(1)"
	v.Shop.ReturnsURL = "javascript:alert(2)"
	v.Shop.FontFamily = `x</style><script>alert(3)</script>`
	v.Order.Name = "#1001" + evil
	v.Order.Items[0].Title = "Item " + evil
	v.Order.Items[0].Variant = `"><img src=x onerror=alert(4)>`
	v.Shipments[0].CarrierName = "Carrier " + evil
	v.Shipments[0].Number = `1Z"><script>`
	v.Shipments[0].CarrierURL = "javascript:alert(5)"
	v.Shipments[0].Events[0].Description = "Scan " + evil
	v.Shipments[0].Events[0].Location.City = "City " + evil
	v.Shipments[0].Actions = []Action{{Kind: ActionConfirmAddress, FormAction: "javascript:alert(6)", CSRF: `"><script>`}}

	r := newRenderer(t)
	for name, page := range map[string]string{"page": render(t, r, v), "proxy": renderProxy(t, r, v)} {
		t.Run(name, func(t *testing.T) {
			page = strings.Replace(page, "<script>"+templates.CopyScript+"</script>", "", 1) // our own, allowed by its hash
			mustNotContain(t, page, "<script", "<img src=x", `href="javascript:`, `action="javascript:`)
			mustContain(t, page, "&lt;script&gt;alert(1)&lt;/script&gt;", `href="#ZgotmplZ"`)
		})
	}
}

func TestImagesMustBeHTTPS(t *testing.T) {
	v := inTransit(t)
	v.Shop.LogoURL = "http://cdn.example.com/logo.png"
	v.Order.Items[0].ImageURL = "http://cdn.example.com/shirt.jpg"
	page := render(t, newRenderer(t), v)
	mustNotContain(t, page, "http://cdn.example.com")
	mustContain(t, page, `<span class="ot-shop">Maple &amp; Moss</span>`)
}

func TestProxyFragmentNeutralizesLiquid(t *testing.T) {
	r := newRenderer(t)
	v := inTransit(t)
	v.Shipments[0].Events[0].Description = "Note {{ customer.email }} and {% render 'x' %}"
	v.Shop.FAQ = []FAQItem{{Question: "{{shop.secret}}", Answer: "{%- comment -%}"}}

	proxy := renderProxy(t, r, v)
	mustNotContain(t, proxy, "{{", "{%", "<html", "<body", "<main")
	mustContain(t, proxy, `<div class="ot ot-proxy" lang="en">`, "Note {&#123; customer.email }}", "<style>")

	// The standalone page is not Liquid, so the text stays as written.
	mustContain(t, render(t, r, v), "Note {{ customer.email }}")
}

func TestProxyUsesTheThemeFontUnlessTheShopSetsOne(t *testing.T) {
	r := newRenderer(t)
	v := inTransit(t)
	v.Shop.FontFamily = ""
	mustContain(t, renderProxy(t, r, v), ".ot.ot-proxy{font-family:inherit}")
	v.Shop.FontFamily = "Inter"
	mustNotContain(t, renderProxy(t, r, v), ".ot.ot-proxy{font-family:inherit}")
}

func TestPageStaysUnderSizeBudget(t *testing.T) {
	const budget = 50 * 1024
	r := newRenderer(t)
	for _, lang := range languages() {
		t.Run(lang, func(t *testing.T) {
			v := bigOrder(t)
			v.Locale = lang
			if n := len(render(t, r, v)); n >= budget {
				t.Errorf("big order page is %d bytes, want under %d", n, budget)
			}
		})
	}
}

func TestLookupShowsOneGenericError(t *testing.T) {
	r := newRenderer(t)
	tests := []struct {
		name  string
		view  LookupView
		wants []string
		bads  []string
	}{
		{
			name:  "first visit has no error",
			view:  LookupView{Locale: "en", FormAction: "/track", CSRF: "tok"},
			wants: []string{`<form method="post" action="/track"`, `name="_csrf" value="tok"`, `name="` + FieldOrder + `"`, `name="` + FieldContact + `"`},
			bads:  []string{`role="alert"`},
		},
		{
			name:  "not found refills the form without saying which field was wrong",
			view:  LookupView{Locale: "en", FormAction: "/track", OrderName: `#1001"><b>`, Contact: "a@b.example", NotFound: true},
			wants: []string{"We couldn&#39;t find an order with those details.", `value="#1001&#34;&gt;&lt;b&gt;"`, `value="a@b.example"`},
			bads:  []string{"Too many"},
		},
		{
			name:  "rate limited",
			view:  LookupView{Locale: "de", FormAction: "/track", TooMany: true, NotFound: true},
			wants: []string{`<html lang="de">`, "Zu viele Versuche."},
			bads:  []string{"Wir konnten keine Bestellung"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := r.RenderLookup(&b, tt.view); err != nil {
				t.Fatalf("RenderLookup: %v", err)
			}
			mustContain(t, b.String(), tt.wants...)
			mustNotContain(t, b.String(), tt.bads...)
		})
	}
}

// A date-only estimate (midnight UTC of its day) shows that day to a shopper
// west of UTC, not the day before.
func TestEstimateWindowKeepsItsDayWestOfUTC(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2026, time.December, d, 0, 0, 0, 0, time.UTC) }
	c := locale.ForLocale("en")
	tests := []struct {
		earliest, latest time.Time
		want             string
	}{
		{day(8), day(8), c.Date(time.Date(2026, time.December, 8, 0, 0, 0, 0, la))},
		{day(4), day(8), c.Date(time.Date(2026, time.December, 4, 0, 0, 0, 0, la)) + " – " + c.Date(time.Date(2026, time.December, 8, 0, 0, 0, 0, la))},
	}
	for _, tt := range tests {
		if got := c.Window(tt.earliest, tt.latest, la, locale.WindowDays); got != tt.want || !strings.Contains(got, "December 8") {
			t.Errorf("window(%v, %v) = %q; want %q", tt.earliest, tt.latest, got, tt.want)
		}
	}
}

// TestPlainTextContexts: a fixed word is written in as escaped text only
// where escaping it for HTML is the whole job; elsewhere html/template
// escapes it in its context.
func TestPlainTextContexts(t *testing.T) {
	for _, tc := range []struct {
		before string
		want   bool
	}{
		{`<p>`, true},
		{`<nav class="ot-nav" aria-label="`, true},
		{`<span title="`, true},
		{`<button data-done="`, false},
		{`<a data-href="`, false},
		{`<a title="a>b" onclick="`, false},
		{`<a title='a>b' aria-label="`, true},
		{`<a href="/x? title="`, false},
		{`<SCRIPT>var s = "`, false},
		{`<a href="`, false},
		{`<a href="/t/x" title="{{.X}} `, false},
		{`<div style="`, false},
		{`<button onclick="`, false},
		{`<input value=`, false},
		{`<script>var s = "`, false},
		{`<script>1</script><p>`, true},
		{`<style>.a::after{content:"`, false},
	} {
		if got := plainText(tc.before); got != tc.want {
			t.Errorf("plainText(%q) = %v; want %v", tc.before, got, tc.want)
		}
	}
}

// TestInlinedWordsRenderAsTheCatalog: the pages compiled with each
// language's words written in (compiledPage) are, byte for byte, the
// pages of the templates as written, which ask the catalog at render time:
// in every language, standalone and in the app proxy, for an order in
// transit, a split order with actions, and one not shipped yet.
func TestInlinedWordsRenderAsTheCatalog(t *testing.T) {
	r := newRenderer(t)
	written := map[string]*template.Template{}
	for _, name := range []string{"track.html", "proxy.html"} {
		tpl, err := template.New(name).ParseFS(templates.Pages, "pages/"+name, "pages/parts.html")
		if err != nil {
			t.Fatal(err)
		}
		written[name] = tpl
	}
	split := bigOrder(t)
	second := split.Shipments[0]
	second.Number, second.Problem = "1Z999AA10123456785", tracking.ProblemFailedAttempt
	second.Actions = allActions(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	split.Shipments = append(split.Shipments, second)
	unshipped := inTransit(t)
	unshipped.Shipments = nil
	unshipped.OptIn = &OptIn{FormAction: "/t/x/consent", CSRF: "c", Phone: "+1 555 0100"}
	for _, tag := range locale.Supported {
		for name, v := range map[string]View{"in transit": inTransit(t), "split order": split, "not shipped": unshipped} {
			v.Locale = tag.String()
			p := r.build(v)
			compiled, err := compiledPage(p.L)
			if err != nil {
				t.Fatal(err)
			}
			for file, tpl := range map[string]*template.Template{"track.html": compiled.page, "proxy.html": compiled.proxy} {
				var got, want bytes.Buffer
				if err := tpl.Execute(&got, p); err != nil {
					t.Fatal(err)
				}
				if err := written[file].Execute(&want, p); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Errorf("%s, %s, %s: the compiled page differs from the template's:\n%s", tag, name, file, firstDiff(got.String(), want.String()))
				}
			}
		}
	}
}

// firstDiff shows where two pages part.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(i-60, 0)
	return "got:  …" + got[from:min(i+60, len(got))] + "\nwant: …" + want[from:min(i+60, len(want))]
}
