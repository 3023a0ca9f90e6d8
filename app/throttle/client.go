package throttle

import "net/netip"

// ClientKey is the client an address belongs to, for per-client budgets
// and caps: an IPv4 address (or an IPv4-mapped IPv6 one) by itself, an IPv6
// address by its /64, since one host or home is routinely given a whole /64
// and can send each request from a new address in it. A string that is
// not an address is its own key.
func ClientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	return netip.PrefixFrom(a.WithZone(""), 64).Masked().String()
}
