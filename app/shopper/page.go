package shopper

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/throttle"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// TrackPage renders /t/:token, the link every message carries. The rendered
// page is reused with its view (see viewTTL), except right after the shopper
// acted, when the page thanks them.
func (p *Pages) TrackPage(c echo.Context) error {
	token := c.Param("token")
	v, err := p.pageView(c, token)
	if err != nil {
		return err
	}
	p.pageViews.add(token)
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Set("Cache-Control", "private, no-store")
	if done := c.QueryParam("optin"); v.OptIn != nil && (done == storage.ConsentConfirmed || done == storage.ConsentPending) {
		o := *v.OptIn
		o.Done, o.Pending = true, done == storage.ConsentPending
		v.OptIn = &o
		c.Response().WriteHeader(http.StatusOK)
		return p.pages.Render(c.Response(), v)
	}
	if done := tracking.ActionKind(c.QueryParam("done")); done.Valid() {
		v.ActionDone = done
		c.Response().WriteHeader(http.StatusOK)
		return p.pages.Render(c.Response(), v)
	}
	page, ok := p.views.page(token, v.Locale, p.now())
	if !ok {
		var buf bytes.Buffer
		if err := p.pages.Render(&buf, v); err != nil {
			return err
		}
		page = buf.Bytes()
		p.views.storePage(token, v.Locale, page)
	}
	return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, page)
}

// TrackJSON is the same status for extensions and the WooCommerce plugin.
func (p *Pages) TrackJSON(c echo.Context) error {
	v, err := p.pageView(c, c.Param("token"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, trackpage.Summarize(v))
}

// pageView is the page for a shipment token in the visitor's language.
func (p *Pages) pageView(c echo.Context, token string) (trackpage.View, error) {
	v, err := p.views.get(c.Request().Context(), token, p.now(), p.buildView)
	if err != nil {
		return trackpage.View{}, err
	}
	v.Locale = trackpage.Negotiate(c.Request().Header.Get("Accept-Language"), v.Locale)
	if l := c.QueryParam("locale"); l != "" {
		v.Locale = trackpage.Negotiate(l, v.Locale)
	}
	return v, nil
}

// buildView builds the page for the order a token opens (a shipment's, or
// the order's own before anything shipped): every parcel of the order, so a
// split order reads as one story, and what is still to ship. Locale is the
// order's; pageView adapts it to the visitor. The rows, with the lines'
// images, come in two round trips (storage.PageRows), since every shopper
// following a message's link waits for them.
func (p *Pages) buildView(ctx context.Context, token string) (trackpage.View, error) {
	rows, err := p.db.PageRows(ctx, token)
	if err != nil {
		return trackpage.View{}, err
	}
	m, ships := shipmentOrder{shop: rows.Shop, order: rows.Order}, rows.Shipments
	locale := trackpage.Negotiate(m.order.Locale, trackpage.DefaultLocale)
	st := m.shop.Settings.V
	v := trackpage.View{
		Locale: locale,
		Shop:   branding(m.shop),
		Order: trackpage.Order{
			Name: m.order.Name, PlacedAt: m.order.CreatedAt, Currency: m.order.Currency, Total: m.order.Total, COD: m.order.COD,
			ShippingMethod: m.order.ShippingMethod, ShipBy: tracking.ShipBy(m.order.CreatedAt, st.ProcessingDays), ProcessingLabel: st.ProcessingLabel,
		},
		TimeZone: m.zone(),
		PageURL:  p.links.Tracking(token),
		Stopped:  m.order.Stopped,
		OptIn:    &trackpage.OptIn{FormAction: p.links.Tracking(token) + "/consent", CSRF: p.CSRFToken(token), Phone: m.order.Phone},
	}
	images := rows.Images
	for _, li := range m.order.LineItems.V {
		if li.Left() == 0 && li.Quantity > 0 {
			continue // refunded or edited away
		}
		v.Order.Items = append(v.Order.Items, trackpage.Item{Title: li.Title, Variant: li.Variant, Qty: li.Left(), ImageURL: images[li.ID], Price: li.Price})
	}
	if a := m.order.ShippingAddress.V; a != (storage.Address{}) {
		v.ShipTo = &trackpage.Address{
			Name: a.Name, Address1: a.Address1, Address2: a.Address2, City: a.City, Region: a.Region, PostalCode: a.PostalCode, Country: a.Country,
		}
	}
	var shown []storage.Shipment
	for i := range ships {
		s := &ships[i]
		if s.Ended == storage.EndReplaced {
			continue // a number the store replaced or removed: history, not a parcel
		}
		shown = append(shown, *s)
		events := rows.Events[s.ID]
		if s.TrackingURL == "" {
			s.TrackingURL = registry.TrackingURL(s.Carrier, s.TrackingNumber)
		}
		issue := tracking.IssueOf(tracking.Stage(s.Stage), tracking.Problem(s.Problem), events)
		ps := trackpage.Shipment{
			Carrier: s.Carrier, CarrierName: registry.Name(s.Carrier, s.CarrierCompany), Number: s.TrackingNumber,
			CarrierURL: s.TrackingURL, Stage: tracking.Stage(s.Stage), Problem: tracking.Problem(s.Problem), Issue: issue, Events: events,
			Expired: s.Expired, Cancelled: s.Ended != "", Return: s.Kind == storage.KindReturn, Opened: s.PublicToken == token,
		}
		for _, li := range s.Items.V {
			ps.Items = append(ps.Items, trackpage.Item{Title: li.Title, Variant: li.Variant, Qty: li.Quantity, ImageURL: cmp.Or(li.ImageURL, images[li.ID]), Price: li.Price})
		}
		if s.Ended == "" {
			ps.Actions = p.pageActions(s, issue)
		}
		ps.Requests = pageRequests(rows.Actions[s.ID])
		if eta := s.ETA(); s.Ended == "" && eta.Shown(tracking.Stage(s.Stage), tracking.Problem(s.Problem), p.now(), v.TimeZone) {
			pe := &trackpage.ETA{Earliest: eta.Earliest, Latest: eta.Latest, Source: trackpage.ETASource(eta.Source)}
			if prev := previousETA(rows.ETAChanges[s.ID]); !prev.IsZero() {
				pe.ChangedFrom = &prev
			}
			ps.ETA = pe
		}
		v.Shipments = append(v.Shipments, ps)
	}
	for _, li := range tracking.Unshipped(orderLines(m.order.LineItems.V), parcelLines(shown)) {
		v.Unshipped = append(v.Unshipped, trackpage.Item{Title: li.Title, Variant: li.Variant, Qty: li.Quantity, ImageURL: images[li.ID]})
	}
	return v, nil
}

// tokenOrder is the order (and shop) a page token opens: a shipment's
// token, else the order's own.
func (p *Pages) tokenOrder(ctx context.Context, token string) (shipmentOrder, error) {
	ship, err := p.db.ShipmentByToken(ctx, token)
	if err == nil {
		return p.loadOrder(ctx, ship)
	}
	if !errors.Is(err, storage.ErrNotFound) {
		return shipmentOrder{}, err
	}
	order, err := p.db.OrderByToken(ctx, token)
	if err != nil {
		return shipmentOrder{}, err
	}
	shop, err := p.db.ShopByID(ctx, order.ShopID)
	if err != nil {
		return shipmentOrder{}, fmt.Errorf("shop of order %d: %w", order.ID, err)
	}
	return shipmentOrder{shop: shop, order: order}, nil
}

func orderLines(items []storage.LineItem) []tracking.Line {
	out := make([]tracking.Line, 0, len(items))
	for _, li := range items {
		out = append(out, tracking.Line{ID: li.ID, Title: li.Title, Variant: li.Variant, Quantity: li.Left()})
	}
	return out
}

// parcelLines are the lines the order's parcels still coming (or come)
// carry; a cancelled parcel carries nothing.
func parcelLines(ships []storage.Shipment) [][]tracking.Line {
	var out [][]tracking.Line
	for _, s := range ships {
		if s.Ended != "" || s.Kind == storage.KindReturn {
			continue
		}
		var lines []tracking.Line
		for _, li := range s.Items.V {
			lines = append(lines, tracking.Line{ID: li.ID, Title: li.Title, Variant: li.Variant, Quantity: li.Quantity})
		}
		out = append(out, lines)
	}
	return out
}

// pageActions renders what tracking.ShopperActions offers as the page's
// forms.
func (p *Pages) pageActions(s *storage.Shipment, issue tracking.Issue) []trackpage.Action {
	form := p.links.Tracking(s.PublicToken) + "/actions"
	csrf := p.CSRFToken(s.PublicToken)
	offers := tracking.ShopperActions(tracking.Stage(s.Stage), issue, tracking.CalendarFor(s.Carrier, s.Service), p.now())
	out := make([]trackpage.Action, len(offers))
	for i, o := range offers {
		if o.Kind == tracking.ActionPayCarrier {
			// A link to the carrier's own page, where duty is paid.
			out[i] = trackpage.Action{Kind: o.Kind, URL: s.TrackingURL}
			continue
		}
		out[i] = trackpage.Action{Kind: o.Kind, FormAction: form, CSRF: csrf, Dates: o.Dates}
	}
	return out
}

// CSRFToken is the form token of a shipment's action forms: the page's
// own, bound to the shipment's public token.
func (p *Pages) CSRFToken(token string) string {
	return p.links.Sign("csrf", token)[:32]
}

// Every request a shopper sends from the page emails the merchant and is
// written back to the store's order; anyone holding the link can post
// it, so each shipment and each client has a budget.
var (
	requestsPerShipment = throttle.Budget{Burst: 5, Every: time.Hour}
	requestsPerClient   = throttle.Budget{Burst: 10, Every: 10 * time.Minute}
)

// TrackAction records what the shopper asked for and sends them back to the
// page (post/redirect/get), which confirms it; past its budget it answers
// 429 and records nothing.
func (p *Pages) TrackAction(c echo.Context) error {
	token := c.Param("token")
	if !hmac.Equal([]byte(c.FormValue(trackpage.CSRFField)), []byte(p.CSRFToken(token))) {
		return echo.NewHTTPError(http.StatusForbidden, "this form has expired; reload the page")
	}
	ctx := c.Request().Context()
	ship, err := p.db.ShipmentByToken(ctx, token)
	if err != nil {
		return err
	}
	kind := tracking.ActionKind(c.FormValue(trackpage.FieldKind))
	if !kind.Valid() {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown action")
	}
	details := map[string]string{}
	for _, f := range tracking.DetailKeys {
		if v := strings.TrimSpace(c.FormValue(f)); v != "" {
			details[f] = truncate(v, tracking.DetailMax(f))
		}
	}
	if kind == tracking.ActionContactSupport && details[tracking.DetailMessage] == "" && details[tracking.DetailNote] == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "write your message to the store")
	}
	if kind == tracking.ActionReschedule {
		if err := tracking.CheckRescheduleDate(details[tracking.DetailDate], p.now()); err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, err.Error())
		}
	}
	if _, ok := p.requests.Take(p.now(),
		throttle.Key{Name: "shipment:" + strconv.FormatInt(ship.ID, 10), Budget: requestsPerShipment},
		throttle.Key{Name: "client:" + throttle.ClientKey(c.RealIP()), Budget: requestsPerClient},
	); !ok {
		return echo.NewHTTPError(http.StatusTooManyRequests, "the store already has your requests; try again later")
	}
	if err := p.RecordAction(ctx, ship, string(kind), "page", details); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/t/"+token+"?done="+url.QueryEscape(string(kind))+"#actions")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// RecordAction stores a shopper's request from the page, a reply or a call
// (source); the merchant sees it in the admin and is told (see addAction).
func (p *Pages) RecordAction(ctx context.Context, s *storage.Shipment, kind, source string, details map[string]string) error {
	err := p.addAction(ctx, &storage.CustomerAction{
		ShopID: s.ShopID, ShipmentID: &s.ID, OrderID: &s.OrderID, Kind: kind, Source: source,
		Details: storage.JSON[map[string]string]{V: details}, Status: "new",
	})
	if err == nil {
		p.views.forget(s.PublicToken) // the page lists the request at once
	}
	return err
}

// LookupForm shows the order-number + email form.
func (p *Pages) LookupForm(c echo.Context) error {
	return p.renderLookup(c, trackpage.LookupView{})
}

// Lookup finds an order by number and email or phone. Wrong number and wrong
// email give the same answer, so nothing leaks.
func (p *Pages) Lookup(c echo.Context) error {
	v := trackpage.LookupView{OrderName: truncate(c.FormValue(trackpage.FieldOrder), 64), Contact: truncate(c.FormValue(trackpage.FieldContact), 128)}
	shopDomain := c.QueryParam("shop")
	ticket, verdict := p.lookups.TakeLookup(p.now(), throttle.Lookup{Shop: shopDomain, Order: v.OrderName, Contact: v.Contact, Client: c.RealIP()})
	if verdict == throttle.Refused {
		v.TooMany = true
		return p.renderLookup(c, v)
	}
	ctx := c.Request().Context()
	token, err := p.db.FindOrderToken(ctx, shopDomain, v.OrderName, v.Contact)
	if errors.Is(err, storage.ErrNotFound) {
		// A masked miss reads as a refusal (see throttle.Limiter.TakeLookup).
		v.NotFound, v.TooMany = verdict == throttle.Open, verdict == throttle.Masked
		return p.renderLookup(c, v)
	}
	ticket.Refund() // only wrong guesses count
	if err != nil {
		return err
	}
	if err := p.db.RecordLookup(ctx, token); err != nil {
		return err
	}
	page, err := p.lookupView(c, token)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().Header().Set("Cache-Control", "private, no-store")
	c.Response().WriteHeader(http.StatusOK)
	return p.pages.Render(c.Response(), page)
}

// lookupView is the page a lookup answers with, in place: read-only (see
// trackpage.View.ReadOnly), and never the token, since an order number and
// an email are easier to come by than the link in the shopper's messages.
func (p *Pages) lookupView(c echo.Context, token string) (trackpage.View, error) {
	v, err := p.pageView(c, token)
	v.ReadOnly = true
	return v, err
}

func (p *Pages) renderLookup(c echo.Context, v trackpage.LookupView) error {
	v.Locale = trackpage.Negotiate(c.Request().Header.Get("Accept-Language"), "en")
	v.FormAction = "/track"
	if s := c.QueryParam("shop"); s != "" {
		v.FormAction += "?shop=" + url.QueryEscape(s)
		// The lookup matches either platform's shop of that domain (see
		// FindOrderToken), and wears its branding.
		if shop := p.shopByDomain(c.Request().Context(), s); shop != nil {
			v.Shop = branding(shop)
		}
	}
	code := http.StatusOK
	if v.TooMany {
		code = http.StatusTooManyRequests
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(code)
	return p.pages.RenderLookup(c.Response(), v)
}

// AppProxy serves the page inside the shop's theme through Shopify's app
// proxy (/apps/track): the signature proves the request came via Shopify.
func (p *Pages) AppProxy(c echo.Context) error {
	q := c.Request().URL.Query()
	shopDomain, err := shopify.VerifyProxyQuery(p.shopifySecret, q, p.now())
	if err != nil {
		return echo.NewHTTPError(http.StatusUnauthorized, "invalid app proxy signature")
	}
	token := q.Get("t")
	if token == "" {
		return p.renderLookup(c, trackpage.LookupView{})
	}
	v, err := p.pageView(c, token)
	if err != nil {
		return err
	}
	if m, err := p.tokenOrder(c.Request().Context(), token); err != nil || !p.shopOwns(c.Request().Context(), shopDomain, m.shop.ID) {
		return storage.ErrNotFound
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/liquid; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	return p.pages.RenderProxy(c.Response(), v)
}

func (p *Pages) shopOwns(ctx context.Context, domain string, shopID int64) bool {
	s, err := p.db.ShopByDomain(ctx, storage.Shopify, domain)
	return err == nil && s.ID == shopID
}
