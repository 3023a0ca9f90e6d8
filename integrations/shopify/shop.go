// Package shopify is ordertrack's wire layer for Shopify: shop-name
// validation, webhook/OAuth/app-proxy signatures, App Bridge session tokens,
// OAuth installs and expiring offline tokens, and a GraphQL Admin client for
// the few order and fulfillment calls the app makes. It returns plain Go
// structs and never touches the database: the app persists what it returns
// (see TokenStore).
package shopify

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrInvalidShop means a shop domain is not a plain "name.myshopify.com".
// Every function that talks to a shop refuses such a shop before any network
// call, because the shop name becomes the host that receives the client
// secret.
var ErrInvalidShop = errors.New("shopify: invalid shop domain")

var shopPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*\.myshopify\.com$`)

// maxShopLabel is the DNS limit on one label, the shop's subdomain.
const maxShopLabel = 63

// ValidShop reports whether shop is exactly "<name>.myshopify.com" in lower
// case, with a name of letters, digits and hyphens. It is deliberately
// stricter than go-shopify's ShopFullName, which accepts
// "x.myshopify.com.attacker.net".
func ValidShop(shop string) bool {
	if !shopPattern.MatchString(shop) {
		return false
	}
	return len(strings.TrimSuffix(shop, ".myshopify.com")) <= maxShopLabel
}

// NormalizeShop turns what a merchant or a URL parameter gives into the
// canonical shop domain: it trims spaces, lower-cases, drops an http(s)
// scheme and a trailing slash, maps "admin.shopify.com/store/<name>" and a
// bare "<name>" to "<name>.myshopify.com", and then requires ValidShop.
func NormalizeShop(shop string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(shop))
	s = strings.TrimPrefix(s, "https://")
	s = strings.TrimPrefix(s, "http://")
	s = strings.TrimRight(s, "/")
	if name, ok := strings.CutPrefix(s, "admin.shopify.com/store/"); ok {
		s = name
	}
	if !strings.ContainsAny(s, "./") {
		s += ".myshopify.com"
	}
	if !ValidShop(s) {
		return "", fmt.Errorf("normalize %q: %w", shop, ErrInvalidShop)
	}
	return s, nil
}

// checkShop is the guard every outgoing call runs first.
func checkShop(shop string) error {
	if !ValidShop(shop) {
		return fmt.Errorf("%q: %w", shop, ErrInvalidShop)
	}
	return nil
}
