package shopify

import (
	"net/http"
	"testing"
)

func TestProxyClientIsTheHopBeforeShopify(t *testing.T) {
	const egress = "23.227.38.65"
	tests := []struct {
		name string
		xff  []string
		want string
	}{
		{"shopify then fly", []string{"198.51.100.7, " + egress}, "198.51.100.7"},
		{"spoofed entries before", []string{"10.0.0.1, 6.6.6.6, 198.51.100.7, " + egress}, "198.51.100.7"},
		{"private hops after", []string{"198.51.100.7, " + egress + ", 172.16.0.2"}, "198.51.100.7"},
		{"split over two headers", []string{"198.51.100.7", egress}, "198.51.100.7"},
		{"ipv6 client", []string{"2001:db8::1, " + egress}, "2001:db8::1"},
		{"no client forwarded", []string{egress}, ""},
		{"no header", nil, ""},
		{"egress absent", []string{"198.51.100.7, 203.0.113.1"}, ""},
		{"garbage before", []string{"not-an-ip, " + egress}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, v := range tt.xff {
				h.Add("X-Forwarded-For", v)
			}
			if got := ProxyClient(h, egress); got != tt.want {
				t.Fatalf("ProxyClient(%q) = %q; want %q", tt.xff, got, tt.want)
			}
		})
	}
}
