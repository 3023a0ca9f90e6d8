package woocommerce_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/woocommerce"
)

func TestDecodeOrderReadsTheCheckoutConsent(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "order_727_consent.json"))
	if err != nil {
		t.Fatal(err)
	}
	o, err := woocommerce.DecodeOrder(body)
	if err != nil {
		t.Fatal(err)
	}
	c := o.Consent
	if c == nil || c.IP != "203.0.113.7" || c.Locale != "en_US" || !c.Time.Equal(time.Date(2017, 3, 22, 19, 28, 2, 0, time.UTC)) ||
		len(c.Channels) != 2 || c.Channels[0].Channel != "sms" || c.Channels[1].Channel != "voice" || c.Channels[1].Wording == "" {
		t.Fatalf("consent = %+v; want SMS and calls ticked with their words, at the order's time, from its IP", c)
	}
}

func TestPluginCheckoutConsentDecodesInTheApp(t *testing.T) {
	php := requirePHP(t)
	tests := []struct {
		name, posted, calls string
		want                []string
	}{
		{"texts and calls ticked", "sms,voice", "1", []string{"sms", "voice"}},
		{"calls not offered", "whatsapp,voice", "0", []string{"whatsapp"}},
		{"a channel the form never offers", "fax", "1", nil},
		{"nothing ticked", "", "1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := exec.Command(php, filepath.Join("testdata", "checkout_harness.php"),
				filepath.Join(pluginDir, "includes", "class-ordertrack-checkout.php"), tt.posted, tt.calls).CombinedOutput()
			if err != nil {
				t.Fatalf("checkout harness: %v\n%s", err, out)
			}
			o, err := woocommerce.DecodeOrder(out)
			if err != nil {
				t.Fatalf("decode %s: %v", out, err)
			}
			if tt.want == nil {
				if o.Consent != nil {
					t.Fatalf("consent = %+v; want none", o.Consent)
				}
				return
			}
			c := o.Consent
			if c == nil || c.IP != "203.0.113.7" || c.Locale != "de_DE" || !c.Time.Equal(time.Unix(1796280000, 0)) || len(c.Channels) != len(tt.want) {
				t.Fatalf("consent = %+v from %s; want %v with the IP, time and language", c, out, tt.want)
			}
			for i, ch := range c.Channels {
				if ch.Channel != tt.want[i] || ch.Wording == "" || !strings.Contains(ch.Wording, "Kaffee & Kuchen") {
					t.Errorf("box %d = %+v; want %s with words naming the shop", i, ch, tt.want[i])
				}
			}
		})
	}
}
