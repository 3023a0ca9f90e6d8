// Package secure sets the security headers browsers enforce on ordertrack's
// pages: a strict Content-Security-Policy for the shopper pages, which run
// one known script, and HSTS when the app is served over https. The embedded admin
// sets its own frame-ancestors policy (Shopify frames it).
package secure

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/templates"
)

// HSTSValue keeps browsers on https for two years once they have seen the
// app over https.
const HSTSValue = "max-age=63072000; includeSubDomains"

// ErrorPolicy is the Content-Security-Policy of an error page that no route
// gave one: no script, no requests, inline styles only. It does not forbid
// framing, because an error inside the embedded admin must stay readable.
const ErrorPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

// ShopperPolicy is the Content-Security-Policy of the shopper pages served
// from appURL (tracking page, lookup, unsubscribe, and their error pages):
// no script but the tracking page's copy button (templates.CopyScript,
// allowed by its hash, so no other inline script runs); styles inline only (each page inlines its stylesheet
// and the shop's theme); images over https (the merchant's logo, product
// photos); forms posted only to the app; never framed, since no extension
// frames these pages (the storefront shows the page through Shopify's app
// proxy, not a frame).
func ShopperPolicy(appURL string) string {
	forms := "'self'"
	if o := origin(appURL); o != "" {
		forms += " " + o
	}
	return "default-src 'none'; script-src '" + copyScriptHash + "'; style-src 'unsafe-inline'; img-src 'self' https:; form-action " + forms +
		"; base-uri 'none'; frame-ancestors 'none'"
}

// ShopperPages is middleware for the shopper routes: ShopperPolicy, and a
// Referrer-Policy that sends the page's URL, which holds the shopper's
// token, to no other site.
func ShopperPages(appURL string) echo.MiddlewareFunc {
	policy := ShopperPolicy(appURL)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", policy)
			h.Set("Referrer-Policy", "same-origin")
			return next(c)
		}
	}
}

// HSTS is middleware that sends Strict-Transport-Security on every
// response when appURL is https. TLS ends at the proxy in front of the app
// (Fly), so the configured URL, not the request, says whether the app is
// served over https; an http APP_URL (local development) gets nothing.
func HSTS(appURL string) echo.MiddlewareFunc {
	on := strings.HasPrefix(strings.ToLower(appURL), "https://")
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if !on {
			return next
		}
		return func(c echo.Context) error {
			c.Response().Header().Set("Strict-Transport-Security", HSTSValue)
			return next(c)
		}
	}
}

// ErrorPage gives an HTML error response ErrorPolicy unless its route set a
// policy already (a shopper page's, or the embedded admin's frame-ancestors).
func ErrorPage(h http.Header) {
	if h.Get("Content-Security-Policy") == "" {
		h.Set("Content-Security-Policy", ErrorPolicy)
	}
}

// copyScriptHash is the CSP source allowing templates.CopyScript inline.
var copyScriptHash = func() string {
	sum := sha256.Sum256([]byte(templates.CopyScript))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}()

func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
