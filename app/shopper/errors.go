package shopper

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/secure"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/storage"
)

// ServesErrorPage reports whether an error on this request is the
// shopper's to see as a page: a shopper path (/t/…, /track) asked by
// anything but a client that wants JSON only.
func ServesErrorPage(r *http.Request) bool {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/t/") && p != "/track" {
		return false
	}
	accept := r.Header.Get(echo.HeaderAccept)
	return !strings.Contains(accept, echo.MIMEApplicationJSON) || strings.Contains(accept, echo.MIMETextHTML)
}

// ErrorPage answers a failed shopper request with the tracking page's own
// look: the shop's branding when the link names a shop, the shopper's
// language, a way back and a way to look the order up.
func (p *Pages) ErrorPage(c echo.Context, code int, msg string) error {
	r := c.Request()
	e := trackpage.ErrorView{
		Locale: trackpage.Negotiate(r.Header.Get("Accept-Language"), "en"), Status: code, Message: msg, Lookup: "/track",
	}
	var shop *storage.Shop
	if tok := strings.TrimPrefix(r.URL.Path, "/t/"); tok != r.URL.Path {
		tok, _, _ = strings.Cut(tok, "/")
		if ship, err := p.db.ShipmentByToken(r.Context(), tok); err == nil {
			shop, _ = p.db.ShopByID(r.Context(), ship.ShopID)
			e.Back = "/t/" + tok
		}
	} else if d := c.QueryParam("shop"); d != "" {
		shop = p.shopByDomain(r.Context(), d)
		e.Lookup = "/track?shop=" + url.QueryEscape(d)
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && strings.HasPrefix(ref.Path, "/t/") {
		// Back to the page the shopper came from, as they saw it.
		e.Back = (&url.URL{Path: ref.Path, RawQuery: ref.RawQuery}).String()
	}
	if shop != nil {
		e.Shop = branding(shop)
		if e.Lookup == "/track" {
			e.Lookup = "/track?shop=" + url.QueryEscape(shop.Domain)
		}
	}
	secure.ErrorPage(c.Response().Header())
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(code)
	return p.pages.RenderError(c.Response(), e)
}

// shopByDomain finds either platform's shop of that domain (WooCommerce
// domains never end in myshopify.com).
func (p *Pages) shopByDomain(ctx context.Context, domain string) *storage.Shop {
	shop, err := p.db.ShopByDomain(ctx, storage.Shopify, domain)
	if err != nil {
		shop, err = p.db.ShopByDomain(ctx, storage.WooCommerce, domain)
	}
	if err != nil {
		return nil
	}
	return shop
}

// branding is the shop's look and help content as the shopper pages show it.
func branding(shop *storage.Shop) trackpage.Branding {
	st := shop.Settings.V
	b := trackpage.Branding{
		Name: shop.Name, LogoURL: st.Branding.LogoURL, PrimaryColor: st.Branding.PrimaryColor, AccentColor: st.Branding.AccentColor,
		FontFamily: st.Branding.FontFamily, SupportEmail: st.SupportEmail, SupportURL: st.SupportURL, ReturnsURL: st.ReturnsURL,
	}
	for _, f := range st.FAQ {
		b.FAQ = append(b.FAQ, trackpage.FAQItem{Question: f.Question, Answer: f.Answer})
	}
	return b
}
