package trackpage

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/templates"
)

// ContentTypeProxy is the Content-Type for RenderProxy output: Shopify
// renders an app proxy response of this type inside the shop's theme.
const ContentTypeProxy = "application/liquid"

// Renderer renders the tracking pages from the embedded templates. It is
// safe for concurrent use.
type Renderer struct {
	lookup, unsubscribe, errPage *template.Template
	css                          template.CSS
}

// byCatalog holds the tracking page's templates for each language,
// compiled on first use (see compiledPage). They come from the
// embedded files alone, so every Renderer of the process shares them.
var byCatalog sync.Map // *locale.Catalog -> *pageTemplates

// pageTemplates are the tracking page, standalone and for the app proxy,
// with one language's fixed words written in.
type pageTemplates struct{ page, proxy *template.Template }

// New parses the embedded templates, stylesheet and locale files once.
func New() (*Renderer, error) {
	if err := locale.Check(); err != nil {
		return nil, fmt.Errorf("trackpage: %w", err)
	}
	css, err := fs.ReadFile(templates.Pages, "pages/track.css")
	if err != nil {
		return nil, fmt.Errorf("trackpage: read stylesheet: %w", err)
	}
	r := &Renderer{css: template.CSS(css)}
	for _, t := range []struct {
		dst  **template.Template
		name string
	}{{&r.lookup, "lookup.html"}, {&r.unsubscribe, "unsubscribe.html"}, {&r.errPage, "error.html"}} {
		tpl, err := template.New(t.name).ParseFS(templates.Pages, "pages/"+t.name, "pages/parts.html")
		if err != nil {
			return nil, fmt.Errorf("trackpage: parse %s: %w", t.name, err)
		}
		*t.dst = tpl
	}
	for _, tag := range locale.Supported { // a template error shows at start
		if _, err := compiledPage(locale.For(tag)); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// fixedWord is a template action that prints a catalog's word with no
// arguments, {{.L.T "key"}} or {{$.L.T "key"}}.
var fixedWord = regexp.MustCompile(`\{\{\s*\$?\.L\.T\s+("(?:[^"\\]|\\.)*")\s*\}\}`)

// wordAttribute is the opening of a quoted attribute whose value is plain
// text (not a URL, script or style), at the end of a tag's source so far.
var wordAttribute = regexp.MustCompile(`\s(?:aria-[a-z]+|title|alt|placeholder)="[^"{]*$`)

// inlineWords writes c's fixed words into a template's source: as escaped
// text where the source shows it is HTML text or a plain-text attribute,
// else (or when the word has braces, which the template would read as
// actions) as a string constant that html/template escapes in its context.
// Either way the page calls no catalog method for them.
func inlineWords(src string, c *locale.Catalog) string {
	var b strings.Builder
	last := 0
	for _, m := range fixedWord.FindAllStringSubmatchIndex(src, -1) {
		key, err := strconv.Unquote(src[m[2]:m[3]])
		if err != nil {
			continue // left to the template, which reports it
		}
		b.WriteString(src[last:m[0]])
		last = m[1]
		word := c.T(key)
		if !strings.ContainsAny(word, "{}+") && plainText(src[:m[0]]) {
			b.WriteString(template.HTMLEscapeString(word))
			continue
		}
		b.WriteString("{{" + strconv.Quote(word) + "}}")
	}
	b.WriteString(src[last:])
	return b.String()
}

// plainText reports whether template source ending with before continues
// as HTML text outside any script or style, or inside a plain-text
// attribute's double-quoted value. It reads tags with their quotes, so a
// ">" inside an attribute value does not end the tag. A word in a
// {{define}} is judged where it is written; TestInlinedWordsRenderAsTheCatalog
// holds every language's pages to the templates as written.
func plainText(before string) bool {
	lower := strings.ToLower(before)
	if strings.LastIndex(lower, "<script") > strings.LastIndex(lower, "</script") ||
		strings.LastIndex(lower, "<style") > strings.LastIndex(lower, "</style") {
		return false
	}
	tag, quote := -1, byte(0)
	for i := 0; i < len(before); i++ {
		switch ch := before[i]; {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case tag >= 0 && (ch == '"' || ch == '\''):
			quote = ch
		case ch == '<':
			tag = i
		case ch == '>':
			tag = -1
		}
	}
	if tag < 0 {
		return quote == 0 // between tags
	}
	return quote == '"' && wordAttribute.MatchString(before[tag:])
}

// compiledPage returns the tracking page's templates in c's language,
// compiling them on first use, with c's fixed words written in (see
// inlineWords): a page then calls no catalog method for them, which took
// a fifth of a first view's render.
func compiledPage(c *locale.Catalog) (*pageTemplates, error) {
	if t, ok := byCatalog.Load(c); ok {
		return t.(*pageTemplates), nil
	}
	parts, err := fs.ReadFile(templates.Pages, "pages/parts.html")
	if err != nil {
		return nil, fmt.Errorf("trackpage: read parts.html: %w", err)
	}
	t := &pageTemplates{}
	for _, f := range []struct {
		dst  **template.Template
		name string
	}{{&t.page, "track.html"}, {&t.proxy, "proxy.html"}} {
		main, err := fs.ReadFile(templates.Pages, "pages/"+f.name)
		if err != nil {
			return nil, fmt.Errorf("trackpage: read %s: %w", f.name, err)
		}
		tpl := template.New(f.name)
		for _, src := range []struct{ name, text string }{{f.name, string(main)}, {"parts.html", string(parts)}} {
			text := inlineWords(src.text, c)
			if tpl, err = tpl.New(src.name).Parse(text); err != nil {
				return nil, fmt.Errorf("trackpage: parse %s: %w", src.name, err)
			}
		}
		*f.dst = tpl.Lookup(f.name)
	}
	got, _ := byCatalog.LoadOrStore(c, t)
	return got.(*pageTemplates), nil
}

// Render writes the full, standalone tracking page.
func (r *Renderer) Render(w io.Writer, v View) error {
	p := r.build(v)
	t, err := compiledPage(p.L)
	if err != nil {
		return err
	}
	if err := t.page.Execute(w, p); err != nil {
		return fmt.Errorf("render tracking page for order %s: %w", v.Order.Name, err)
	}
	return nil
}

// RenderProxy writes the tracking page as a fragment for the Shopify app
// proxy: no <html>, <head> or landmarks the theme already has, styles scoped
// under .ot, and the shop's theme font unless Branding sets one. Serve it
// with Content-Type ContentTypeProxy.
//
// Shopify runs the response through Liquid, so every "{{" and "{%" that came
// from merchant or carrier text is neutralized to keep it from being
// evaluated as Liquid.
func (r *Renderer) RenderProxy(w io.Writer, v View) error {
	p := r.build(v)
	t, err := compiledPage(p.L)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.proxy.Execute(&buf, p); err != nil {
		return fmt.Errorf("render proxy tracking page for order %s: %w", v.Order.Name, err)
	}
	if _, err := io.WriteString(w, escapeLiquid(buf.String())); err != nil {
		return fmt.Errorf("write proxy tracking page: %w", err)
	}
	return nil
}

// escapeLiquid turns Liquid's openers into character references, which the
// browser renders as the same text but Liquid does not parse. Our own
// templates and CSS contain neither opener, so only injected text changes.
func escapeLiquid(s string) string {
	return strings.NewReplacer("{{", "{&#123;", "{%", "{&#37;").Replace(s)
}

// RenderLookup writes the order lookup form.
func (r *Renderer) RenderLookup(w io.Writer, l LookupView) error {
	c := locale.ForLocale(l.Locale)
	data := lookupPage{
		L: c, Lang: c.Lang(), CSS: r.css, Theme: themeCSS(l.Shop), Shop: l.Shop, Form: l,
	}
	if err := r.lookup.Execute(w, data); err != nil {
		return fmt.Errorf("render lookup page: %w", err)
	}
	return nil
}

// ErrorView is a shopper-facing error: a bad or expired link, a refused
// form. Status picks the words; Message, the handler's own English reason,
// is shown only for statuses without words of their own.
type ErrorView struct {
	Locale  string
	Shop    Branding
	Status  int
	Message string
	// Back is a same-site path to return to; Lookup is the order lookup.
	Back   string
	Lookup string
}

// RenderError writes a branded, localized error page in the tracking
// page's style.
func (r *Renderer) RenderError(w io.Writer, e ErrorView) error {
	c := locale.ForLocale(e.Locale)
	key := "error.generic"
	switch e.Status {
	case 404:
		key = "error.not_found"
	case 403:
		key = "error.expired"
	case 429:
		key = "error.too_many"
	}
	body := c.T(key + ".body")
	if key == "error.generic" && e.Message != "" && e.Status < 500 {
		body = e.Message
	}
	if e.Lookup == "" {
		e.Lookup = "/track"
	}
	shop := e.Shop
	shop.LogoURL = httpsOnly(shop.LogoURL)
	data := errorPage{L: c, Lang: c.Lang(), CSS: r.css, Theme: themeCSS(shop), Shop: shop,
		Title: c.T(key + ".title"), Body: body, Back: e.Back, Lookup: e.Lookup}
	if err := r.errPage.Execute(w, data); err != nil {
		return fmt.Errorf("render error page: %w", err)
	}
	return nil
}

type errorPage struct {
	L            *locale.Catalog
	Lang         string
	CSS, Theme   template.CSS
	Shop         Branding
	Title, Body  string
	Back, Lookup string
}

type lookupPage struct {
	L     *locale.Catalog
	Lang  string
	CSS   template.CSS
	Theme template.CSS
	Shop  Branding
	Form  LookupView
}

// page is what the templates see: the view plus everything already
// localized and formatted, so the templates only lay it out.
type page struct {
	L     *locale.Catalog
	Lang  string
	CSS   template.CSS
	Theme template.CSS
	// Script is templates.CopyScript, inlined unchanged: the CSP allows it
	// by the hash of these bytes.
	Script    template.JS
	Shop      Branding
	Order     Order
	OrderDate string
	Headline  string
	NextStep  string
	Hero      shipmentView
	Shipments []shipmentView
	Multi     bool
	Done      string
	Zone      string
	Items     itemList
	Unshipped itemList
	Help      bool
	// ShipBy and ShippingMethod are shown before the order ships.
	ShipBy         string
	ShippingMethod string
	OptIn          *optInView
	// ShipTo is the delivery address, one line per part (masked on the
	// lookup path).
	ShipTo []string
	// Private points a lookup's visitor to the link in their messages,
	// which answers and changes what the lookup only shows.
	Private string
	// Total is the order total, formatted; COD says it is due in cash.
	Total string
	COD   bool
}

// itemList carries the catalog with the items, for the quantity label,
// and their prices already formatted.
type itemList struct {
	L     *locale.Catalog
	Items []itemView
}

type itemView struct {
	Item
	PriceText string
}

type shipmentView struct {
	Shipment
	L            *locale.Catalog
	Zone         string
	ProblemLabel string
	ItemList     itemList
	Index        int
	Total        int
	Headline     string
	NextStep     string
	CarrierName  string
	ETA          *etaView
	Delivered    *stamp
	Steps        []step
	Events       []eventView
	Earlier      []eventView
	Actions      []actionView
	Requests     []string
	// Answered says the shopper already answered the current issue: the
	// page thanks them instead of asking again.
	Answered bool
	Pickup   *pickupView
	// ActionsInHero is set on the shipment whose actions the page's top
	// section shows, so its card does not repeat them.
	ActionsInHero bool
}

// recentEvents is how many scans a timeline shows before folding the
// older ones away, so a long journey does not bury the help below it.
const recentEvents = 5

type etaView struct {
	Text    string
	ISO     string
	Source  string
	Changed string
}

type stamp struct {
	Text string
	ISO  string
}

type step struct {
	Label   string
	Done    bool
	Current bool
	Problem bool
}

type eventView struct {
	ISO         string
	Date        string
	Clock       string
	Place       string
	Description string
	Stage       string
	Problem     string
}

type actionView struct {
	Action
	Shipment string
	Label    string
	Dates    []option
	// Address is the address a confirm shows, one line per part; Current
	// prefills the correction form.
	Address []string
	Current Address
}

type option struct {
	Value, Label string
	Selected     bool
}

// pickupView is where and until when a parcel waits at a pickup point.
type pickupView struct {
	Place, PlaceLabel       string
	Deadline, DeadlineLabel string
	Hours, HoursLabel       string
	Since, ISO              string
}

type optInView struct {
	OptIn
	Wording, VoiceWording string
	Locale                string
}

// OptInWording is what the page says a shopper agrees to by asking for
// text updates, in their language, naming the shop: the words kept as
// proof of their consent.
func OptInWording(lang, shopName string) string {
	return locale.ForLocale(lang).T("optin.wording", "shop", shopName)
}

// OptInVoiceWording is the label of the form's "also call me" box: the
// words kept as proof of consent to calls, which is asked for apart from
// texts.
func OptInVoiceWording(lang, shopName string) string {
	return locale.ForLocale(lang).T("optin.voice", "shop", shopName)
}

func (r *Renderer) build(v View) page {
	p := buildPage(v)
	p.CSS = r.css
	p.Script = template.JS(templates.CopyScript)
	return p
}

// buildPage localizes and formats the view; the stylesheet is left to the
// Renderer.
func buildPage(v View) page {
	if v.ReadOnly {
		v = v.readOnly()
	}
	c := locale.ForLocale(v.Locale)
	loc := v.TimeZone
	if loc == nil {
		loc = time.UTC
	}
	p := page{
		L: c, Lang: c.Lang(), Theme: themeCSS(v.Shop), Shop: v.Shop, Order: v.Order,
		Multi: len(v.Shipments) > 1,
		Help:  v.Shop.SupportEmail != "" || v.Shop.SupportPhone != "" || v.Shop.SupportURL != "" || len(v.Shop.FAQ) > 0,
	}
	if !v.Order.PlacedAt.IsZero() {
		p.OrderDate = c.YearDate(v.Order.PlacedAt.In(loc))
	}
	if slices.Contains(ActionKinds, v.ActionDone) {
		// Only our own thanks, by key: the kind comes from the URL, and a
		// crafted link must not put its words on the store's page.
		p.Done = c.T("action." + string(v.ActionDone) + ".done")
	}
	if v.Stopped != "" {
		// The whole order will not come: no parcel to follow.
		v.Shipments, v.Unshipped = nil, nil
		p.Multi = false
	}
	var addr Address
	if v.ShipTo != nil {
		addr = *v.ShipTo
		shown := addr
		if v.ReadOnly {
			shown = addr.Masked()
			addr = Address{}
		}
		p.ShipTo = shown.Lines()
	}
	if v.ReadOnly {
		p.Private = c.T("lookup.private")
	}
	p.COD = v.Order.COD
	if v.Order.Total != "" {
		p.Total = c.Money(v.Order.Total, v.Order.Currency)
	}
	for i, s := range v.Shipments {
		p.Shipments = append(p.Shipments, buildShipment(c, loc, v.Shop, addr, s, i, len(v.Shipments)))
	}
	switch {
	case v.Stopped != "":
		p.Hero = shipmentView{L: c, Headline: c.T("copy.order_" + v.Stopped + ".headline"), NextStep: c.T("copy.order_" + v.Stopped + ".next")}
	case len(p.Shipments) == 0:
		p.Hero = buildShipment(c, loc, v.Shop, addr, Shipment{Stage: tracking.StageConfirmed}, 0, 0)
		p.Hero.Steps = preShipment(c, v.Order.ProcessingLabel)
		if !v.Order.ShipBy.IsZero() {
			p.ShipBy = c.T("order.ships_by", "date", c.Date(v.Order.ShipBy)) // a calendar day, not an instant
		}
		if v.Order.ShippingMethod != "" {
			p.ShippingMethod = c.T("order.shipping_method", "method", v.Order.ShippingMethod)
		}
	default:
		i := primary(v.Shipments)
		p.Shipments[i].ActionsInHero = true
		p.Hero = p.Shipments[i]
	}
	if o := v.OptIn; o != nil {
		p.OptIn = &optInView{OptIn: *o, Wording: OptInWording(v.Locale, v.Shop.Name), VoiceWording: OptInVoiceWording(v.Locale, v.Shop.Name), Locale: c.Lang()}
	}
	p.Headline, p.NextStep = p.Hero.Headline, p.Hero.NextStep
	// With several packages each card lists its own items, so the order
	// summary would only repeat them.
	items := v.Order.Items
	switch {
	case p.Multi && anyItems(v.Shipments):
		items = nil
	case len(items) == 0 && len(v.Shipments) == 1:
		items = v.Shipments[0].Items
	}
	p.Items = newItemList(c, v.Order.Currency, items)
	p.Unshipped = newItemList(c, v.Order.Currency, v.Unshipped)
	p.Zone = zoneName(c, loc, latestEvent(v.Shipments))
	for i := range p.Shipments {
		p.Shipments[i].Zone = p.Zone
	}
	p.Hero.Zone = p.Zone
	p.Shop.LogoURL = httpsOnly(p.Shop.LogoURL)
	if v.Stopped != "" || returnedUndelivered(v.Shipments) {
		// Nothing reached the shopper: there is nothing for them to send back.
		p.Shop.ReturnsURL, p.Shop.ReturnsText = "", ""
	}
	return p
}

// returnedUndelivered reports whether a parcel to the shopper is going (or
// went) back to the store and none reached them.
func returnedUndelivered(ss []Shipment) bool {
	back := false
	for _, s := range ss {
		switch {
		case s.Return || s.Cancelled:
		case s.Stage == tracking.StageDelivered:
			return false
		case s.Stage.Return():
			back = true
		}
	}
	return back
}

// collected reports whether a parcel waited at a pickup point before it
// was delivered: the shopper fetched it.
func collected(events []tracking.Event) bool {
	for _, e := range events {
		if e.Stage == tracking.StageAvailableForPickup {
			return true
		}
	}
	return false
}

func buildShipment(c *locale.Catalog, loc *time.Location, shop Branding, addr Address, s Shipment, i, total int) shipmentView {
	if !s.Stage.Valid() {
		s.Stage = tracking.StageConfirmed
	}
	// Tracking stopped after a long silence reads as that, not as a status
	// that may no longer be true.
	headline, next := c.Copy(s.Stage, s.Problem, s.Expired)
	if s.Stage == tracking.StageDelivered && collected(s.Events) {
		// Collected at a pickup point: no doorstep or neighbours to check.
		headline, next = c.T("copy.delivered_pickup.headline"), c.T("copy.delivered_pickup.next")
	}
	steps := progress(c, s.Stage, s.Problem)
	if s.Cancelled {
		headline, next = c.T("copy.shipment_cancelled.headline"), c.T("copy.shipment_cancelled.next")
		s.ETA, s.Actions, s.Problem, steps = nil, nil, tracking.ProblemNone, nil
	}
	sv := shipmentView{
		Shipment: s, Index: i + 1, Total: total, Headline: headline, NextStep: next,
		CarrierName: s.CarrierName, Steps: steps,
		L: c, ItemList: newItemList(c, "", s.Items),
	}
	if s.Problem != tracking.ProblemNone {
		sv.ProblemLabel = c.ProblemLabel(s.Problem)
	}
	if sv.CarrierName == "" {
		sv.CarrierName = strings.ToUpper(s.Carrier)
	}
	raised := tracking.IssueRaisedAt(s.Stage, s.Problem, s.Events)
	answer, answered := answerTo(s.Issue, raised, s.Requests)
	if s.Issue == tracking.IssuePickup {
		sv.Pickup = pickup(c, loc, s, raised)
	}
	args := []string{"carrier", sv.CarrierName}
	if sv.Pickup != nil {
		args = append(args, "place", sv.Pickup.Place, "date", sv.Pickup.Deadline)
	}
	switch {
	case answered:
		sv.Answered = true
		sv.Headline, sv.NextStep = c.T("issue.answered.headline"), c.T("issue.answered.next")
		if sv.ProblemLabel != "" {
			sv.ProblemLabel = c.T("problem.answered")
		}
	case s.Issue != tracking.IssueNone && c.Has("issue."+string(s.Issue)+".next") && !s.Expired:
		if c.Has("issue." + string(s.Issue) + ".headline") {
			sv.Headline = c.T("issue."+string(s.Issue)+".headline", args...)
		}
		sv.NextStep = c.T("issue."+string(s.Issue)+".next", args...)
		if s.Issue == tracking.IssuePaymentDue && s.CarrierURL == "" {
			// No carrier page to pay at: the store sorts it out.
			sv.NextStep = c.T("issue.other.next", args...)
		}
	}
	if s.ETA != nil && !s.Stage.Terminal() && !s.Stage.Return() {
		sv.ETA = buildETA(c, loc, shop, sv.CarrierName, *s.ETA)
	}
	events := append([]tracking.Event(nil), s.Events...)
	sort.SliceStable(events, func(a, b int) bool { return events[a].Time.After(events[b].Time) })
	for i, e := range events {
		t := e.Time.In(loc)
		ev := eventView{
			ISO: t.Format(time.RFC3339), Date: c.ShortDate(t), Clock: c.Clock(t),
			Place: e.Location.String(), Description: e.Description,
		}
		// Label only the scans where the stage moved on: milestones stand
		// out and a long run of "in transit" scans stays light.
		if e.Stage.Valid() && (i == len(events)-1 || events[i+1].Stage != e.Stage) {
			ev.Stage = c.StageLabel(e.Stage)
		}
		if e.Problem != tracking.ProblemNone {
			ev.Problem = c.ProblemLabel(e.Problem)
		}
		sv.Events = append(sv.Events, ev)
		if e.Stage == tracking.StageDelivered && sv.Delivered == nil && s.Stage == tracking.StageDelivered {
			sv.Delivered = &stamp{Text: c.DateTime(t), ISO: ev.ISO}
		}
	}
	if len(sv.Events) > recentEvents {
		sv.Events, sv.Earlier = sv.Events[:recentEvents], sv.Events[recentEvents:]
	}
	for _, r := range s.Requests {
		sv.Requests = append(sv.Requests, requestLine(c, loc, r))
	}
	for _, a := range s.Actions {
		av := actionView{Action: a, Shipment: s.Number, Label: c.T("action."+string(a.Kind), "carrier", sv.CarrierName), Current: addr}
		if a.Kind == tracking.ActionPayCarrier && a.URL == "" {
			continue // no carrier page to pay at: the store is the way
		}
		if a.Kind == ActionConfirmAddress {
			av.Address = addr.Lines()
		}
		chosen := ""
		if answered && !answer.Date.IsZero() {
			chosen = answer.Date.Format(time.DateOnly)
		}
		for _, d := range a.Dates {
			o := option{Value: d.Format(time.DateOnly), Label: c.Date(d)}
			o.Selected = o.Value == chosen
			av.Dates = append(av.Dates, o)
		}
		if chosen != "" && a.Kind == ActionReschedule && !slices.ContainsFunc(av.Dates, func(o option) bool { return o.Selected }) {
			// The day asked for is no longer among the next working days
			// offered: keep it first and selected, so the form says what
			// the note above it says.
			day, _ := time.Parse(time.DateOnly, chosen)
			av.Dates = append([]option{{Value: chosen, Label: c.Date(day), Selected: true}}, av.Dates...)
		}
		sv.Actions = append(sv.Actions, av)
	}
	return sv
}

// answerTo finds the shopper's latest request that answers issue, made
// after the scan that raised it.
func answerTo(issue tracking.Issue, raised time.Time, reqs []Request) (Request, bool) {
	var out Request
	found := false
	for _, r := range reqs {
		if !issue.Answers(r.Kind) || r.At.Before(raised) {
			continue
		}
		if !found || !r.At.Before(out.At) {
			out, found = r, true
		}
	}
	return out, found
}

// pickup says where the parcel waits (the pickup scan's place and the
// carrier's words, which often name the point) and the last day to
// collect it.
func pickup(c *locale.Catalog, loc *time.Location, s Shipment, arrived time.Time) *pickupView {
	var at tracking.Event
	for _, e := range s.Events {
		if e.Stage == tracking.StageAvailableForPickup && !e.Time.Before(at.Time) {
			at = e
		}
	}
	pv := &pickupView{
		Place: at.Location.String(), PlaceLabel: c.T("pickup.place"), DeadlineLabel: c.T("pickup.deadline"),
		HoursLabel: c.T("pickup.hours"), Hours: c.T("pickup.hours.carrier", "carrier", s.CarrierName),
	}
	if at.Description != "" && pv.Place != "" {
		pv.Place += " — " + at.Description
	}
	if pv.Place == "" {
		pv.Place = c.T("pickup.place.unknown")
	}
	if !arrived.IsZero() {
		d := tracking.PickupDeadline(s.Carrier, arrived).In(loc)
		pv.Since, pv.Deadline, pv.ISO = c.Date(arrived.In(loc)), c.Date(d), d.Format(time.DateOnly)
	}
	return pv
}

// newItemList formats the items' prices in currency (empty: no prices).
func newItemList(c *locale.Catalog, currency string, items []Item) itemList {
	out := itemList{L: c}
	for _, it := range safeItems(items) {
		iv := itemView{Item: it}
		if it.Price != "" && currency != "" {
			iv.PriceText = c.Money(it.Price, currency)
		}
		out.Items = append(out.Items, iv)
	}
	return out
}

// requestLine says what the shopper asked and that it went to the store:
// "You asked for delivery on Tuesday, December 1 — sent to the store."
func requestLine(c *locale.Catalog, loc *time.Location, r Request) string {
	if r.Kind == ActionReschedule && !r.Date.IsZero() {
		return c.T("request.reschedule.to", "day", c.Date(r.Date))
	}
	if r.Kind == ActionContactSupport && r.Note != "" {
		return c.T("request.contact_support.note", "date", c.Date(r.At.In(loc)), "note", r.Note)
	}
	return c.T("request."+string(r.Kind), "date", c.Date(r.At.In(loc)))
}

func buildETA(c *locale.Catalog, loc *time.Location, shop Branding, carrier string, e ETA) *etaView {
	text := c.Window(e.Earliest, e.Latest, loc, locale.WindowDays)
	if text == "" {
		return nil
	}
	out := &etaView{Text: text, ISO: tracking.EstimateIn(e.Earliest, loc).Format(time.DateOnly)}
	switch e.Source {
	case ETASourceCarrier:
		out.Source = c.T("eta.source.carrier", "carrier", carrier)
	case ETASourceLearned:
		out.Source = c.T("eta.source.learned")
	case ETASourceTypical:
		out.Source = c.T("eta.source.typical")
	case ETASourceStore:
		name := shop.Name
		if name == "" {
			name = c.T("eta.store")
		}
		out.Source = c.T("eta.source.store", "shop", name)
	}
	if e.ChangedFrom != nil {
		if was := c.Window(e.ChangedFrom.Earliest, e.ChangedFrom.Latest, loc, locale.WindowDays); was != "" && was != text {
			out.Changed = c.T("eta.changed", "date", was)
		}
	}
	return out
}

// progress lays out the steps the shopper sees. Returns to sender get their
// own path, because showing "delivered" as the next step would mislead.
func progress(c *locale.Catalog, stage tracking.Stage, problem tracking.Problem) []step {
	type stop struct {
		key    string
		stages []tracking.Stage
	}
	last := stop{"stage.out_for_delivery", []tracking.Stage{tracking.StageOutForDelivery}}
	if stage == tracking.StageAvailableForPickup {
		last = stop{"stage.available_for_pickup", []tracking.Stage{tracking.StageAvailableForPickup}}
	}
	path := []stop{
		{"step.ordered", []tracking.Stage{tracking.StageConfirmed, tracking.StagePacked}},
		{"stage.shipped", []tracking.Stage{tracking.StageShipped}},
		{"stage.in_transit", []tracking.Stage{tracking.StageInTransit}},
		last,
		{"stage.delivered", []tracking.Stage{tracking.StageDelivered}},
	}
	if stage.Return() {
		path = []stop{
			{"step.ordered", []tracking.Stage{tracking.StageConfirmed, tracking.StagePacked}},
			{"stage.shipped", []tracking.Stage{tracking.StageShipped}},
			{"stage.returning", []tracking.Stage{tracking.StageReturning}},
			{"stage.returned", []tracking.Stage{tracking.StageReturned}},
		}
	}
	current := 0
	for i, s := range path {
		for _, st := range s.stages {
			if st == stage {
				current = i
			}
		}
	}
	steps := make([]step, len(path))
	for i, s := range path {
		steps[i] = step{
			Label: c.T(s.key), Done: i < current || (i == current && stage.Terminal()),
			Current: i == current, Problem: i == current && problem != tracking.ProblemNone,
		}
	}
	return steps
}

// preShipment is the progress of an order nothing of which has shipped:
// ordered, then the store's processing (in its own word when it has one),
// then shipped and delivered still to come.
func preShipment(c *locale.Catalog, processing string) []step {
	if processing == "" {
		processing = c.T("step.processing")
	}
	return []step{
		{Label: c.T("step.ordered"), Done: true},
		{Label: processing, Current: true},
		{Label: c.T("stage.shipped")},
		{Label: c.T("stage.delivered")},
	}
}

// problemWeight orders problems by how urgently the shopper should see them.
var problemWeight = map[tracking.Problem]int{
	tracking.ProblemActionRequired: 4,
	tracking.ProblemFailedAttempt:  3,
	tracking.ProblemException:      2,
	tracking.ProblemDelayed:        1,
}

// primary picks the shipment the page headline is about: one still coming
// over a cancelled one, the order's own over a return, the most urgent problem, else the least advanced
// package still moving, else the first.
func primary(ss []Shipment) int {
	if i := slices.IndexFunc(ss, func(s Shipment) bool { return s.Opened }); i >= 0 {
		return i
	}
	best := 0
	for i, s := range ss {
		b := ss[best]
		switch {
		case s.Cancelled != b.Cancelled:
			if !s.Cancelled {
				best = i
			}
		case s.Return != b.Return:
			if !s.Return {
				best = i
			}
		case problemWeight[s.Problem] != problemWeight[b.Problem]:
			if problemWeight[s.Problem] > problemWeight[b.Problem] {
				best = i
			}
		case s.Stage.Terminal() != b.Stage.Terminal():
			if !s.Stage.Terminal() {
				best = i
			}
		case s.Stage.Rank() < b.Stage.Rank():
			best = i
		}
	}
	return best
}

func anyItems(ss []Shipment) bool {
	for _, s := range ss {
		if len(s.Items) > 0 {
			return true
		}
	}
	return false
}

// safeItems drops image URLs that are not https: the page must not mix in
// insecure content or leak the shopper's visit over plain HTTP.
func safeItems(items []Item) []Item {
	out := make([]Item, len(items))
	for i, it := range items {
		it.ImageURL = httpsOnly(it.ImageURL)
		out[i] = it
	}
	return out
}

func httpsOnly(u string) string {
	if strings.HasPrefix(strings.ToLower(u), "https://") {
		return u
	}
	return ""
}

func latestEvent(ss []Shipment) time.Time {
	var t time.Time
	for _, s := range ss {
		for _, e := range s.Events {
			if e.Time.After(t) {
				t = e.Time
			}
		}
	}
	return t
}

// zoneName names the zone the times are shown in as people say it: the
// zone's city and its offset at the latest event, "Los Angeles time
// (GMT−8)", never its IANA id; UTC is "UTC". Zone ids name cities in
// English ("Vienna", not "Wien") and nothing we ship localizes them, so the
// other languages' "zone.shown" leaves {city} out: "Ihrer Zeitzone (GMT+1)".
func zoneName(c *locale.Catalog, loc *time.Location, at time.Time) string {
	if at.IsZero() {
		at = time.Now()
	}
	abbr, off := at.In(loc).Zone()
	n := loc.String()
	if n == "UTC" || (off == 0 && (n == "" || n == "Local")) {
		return "UTC"
	}
	gmt := "GMT" + offset(off)
	i := strings.LastIndexByte(n, '/')
	if n == "Local" || n == "" || i < 0 {
		if abbr != "" && abbr[0] != '+' && abbr[0] != '-' {
			return abbr + " (" + gmt + ")"
		}
		return gmt
	}
	city := strings.ReplaceAll(n[i+1:], "_", " ")
	return c.T("zone.shown", "city", city, "offset", gmt)
}

// offset writes a UTC offset in seconds as people read it: "−8", "+5:30".
func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "−", -sec
	}
	h, m := sec/3600, sec%3600/60
	if m == 0 {
		return fmt.Sprintf("%s%d", sign, h)
	}
	return fmt.Sprintf("%s%d:%02d", sign, h, m)
}
