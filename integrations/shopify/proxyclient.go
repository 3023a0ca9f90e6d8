package shopify

import (
	"net/http"
	"net/netip"
	"strings"
)

// ProxyClient is the shopper's address as Shopify's app proxy forwards it:
// Shopify documents that it sets X-Forwarded-For to the client IP, and the
// proxies after it (Fly's edge) append the address that connected to them,
// Shopify's egress, which the caller passes as via. So the client is the
// entry just before the last via. The header is not signed and Shopify does
// not document whether it appends to a header the shopper sent, so the
// result is a hint to throttle by within one shop, never an identity. It is
// empty when there is no such entry.
func ProxyClient(h http.Header, via string) string {
	var hops []string
	for _, v := range h.Values("X-Forwarded-For") {
		for _, hop := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	for i := len(hops) - 1; i > 0; i-- {
		if hops[i] != via {
			continue
		}
		addr, err := netip.ParseAddr(hops[i-1])
		if err != nil {
			return ""
		}
		return addr.String()
	}
	return ""
}
