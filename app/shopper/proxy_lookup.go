package shopper

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/throttle"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// AppProxyLookup answers the theme block's lookup form, posted through
// Shopify's app proxy: the proxy signature names the shop (cookies are
// stripped, so it stands in for CSRF), and the answer renders inside the
// theme. Wrong order and wrong contact read the same, and wrong guesses are
// throttled per shop, order, contact and shopper (see throttle.Lookup).
func (p *Pages) AppProxyLookup(c echo.Context) error {
	shopDomain, err := shopify.VerifyProxyQuery(p.shopifySecret, c.Request().URL.Query(), p.now())
	if err != nil {
		return echo.NewHTTPError(http.StatusUnauthorized, "invalid app proxy signature")
	}
	v := trackpage.LookupView{
		Locale:    trackpage.Negotiate(c.Request().Header.Get("Accept-Language"), "en"),
		OrderName: truncate(c.FormValue(trackpage.FieldOrder), 64), Contact: truncate(c.FormValue(trackpage.FieldContact), 128),
		FormAction: "/apps/track",
	}
	// The tracking fragment renders inside the theme (application/liquid);
	// the lookup form is a whole page of its own.
	render := func(code int, contentType string, fn func() error) error {
		c.Response().Header().Set(echo.HeaderContentType, contentType)
		c.Response().WriteHeader(code)
		return fn()
	}
	// Every proxy request comes from Shopify's few addresses, so the
	// client is the signed customer id and the forwarded address, both
	// counted only within this shop.
	ticket, verdict := p.lookups.TakeLookup(p.now(), throttle.Lookup{
		Shop: shopDomain, Order: v.OrderName, Contact: v.Contact,
		Customer: c.QueryParam("logged_in_customer_id"), Forwarded: shopify.ProxyClient(c.Request().Header, c.RealIP()),
	})
	refused := func() error {
		v.TooMany = true
		return render(http.StatusTooManyRequests, echo.MIMETextHTMLCharsetUTF8, func() error { return p.pages.RenderLookup(c.Response(), v) })
	}
	if verdict == throttle.Refused {
		return refused()
	}
	token, err := p.db.FindOrderToken(c.Request().Context(), shopDomain, v.OrderName, v.Contact)
	if errors.Is(err, storage.ErrNotFound) {
		if verdict == throttle.Masked { // a masked miss reads as a refusal
			return refused()
		}
		v.NotFound = true
		return render(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, func() error { return p.pages.RenderLookup(c.Response(), v) })
	}
	ticket.Refund() // only wrong guesses count
	if err != nil {
		return err
	}
	if err := p.db.RecordLookup(c.Request().Context(), token); err != nil {
		return err
	}
	page, err := p.lookupView(c, token)
	if err != nil {
		return err
	}
	return render(http.StatusOK, trackpage.ContentTypeProxy+"; charset=utf-8", func() error { return p.pages.RenderProxy(c.Response(), page) })
}
