package app

import (
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
)

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

const goodKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" // base64 of 32 bytes

func TestLoadConfigAcceptsProductionSettings(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(env(map[string]string{
		"APP_URL": "https://ordertrack.example/", "ENCRYPTION_KEY": goodKey, "PORT": "9000",
		"DATABASE_URL": "postgres://u@db/ordertrack", "SHOPIFY_API_KEY": "k", "SHOPIFY_API_SECRET": "s",
	}), false)
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 9000 || c.AppURL != "https://ordertrack.example" || len(c.EncryptionKey) != 32 {
		t.Fatalf("config = port %d url %q key %d bytes", c.Port, c.AppURL, len(c.EncryptionKey))
	}
}

func TestLoadConfigDemoNeedsNothing(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(env(nil), true)
	if err != nil {
		t.Fatal(err)
	}
	if c.AppURL != "http://localhost:8080" || c.ShopifyAPISecret != "demo-secret" || len(c.EncryptionKey) != 32 || c.MaxParcelsPerFulfillment != 100 {
		t.Fatalf("demo config = %+v", c)
	}
}

// TestLoadConfigRefusesLoopbackOutboundUnlessAsked: merchant-chosen hosts
// may be loopback only when the demo or OUTBOUND_ALLOW_LOOPBACK says so.
func TestLoadConfigRefusesLoopbackOutboundUnlessAsked(t *testing.T) {
	t.Parallel()
	prod := map[string]string{"APP_URL": "https://x.example", "ENCRYPTION_KEY": goodKey}
	tests := []struct {
		name  string
		env   map[string]string
		demo  bool
		allow bool
	}{
		{"production", prod, false, false},
		{"production, set to 0", map[string]string{"APP_URL": "https://x.example", "ENCRYPTION_KEY": goodKey, "OUTBOUND_ALLOW_LOOPBACK": "0"}, false, false},
		{"local development", map[string]string{"APP_URL": "https://x.example", "ENCRYPTION_KEY": goodKey, "OUTBOUND_ALLOW_LOOPBACK": "1"}, false, true},
		{"demo", nil, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadConfig(env(tt.env), tt.demo)
			if err != nil {
				t.Fatal(err)
			}
			if c.OutboundAllowLoopback != tt.allow {
				t.Errorf("OutboundAllowLoopback = %v; want %v", c.OutboundAllowLoopback, tt.allow)
			}
		})
	}
}

// TestLoadConfigReadsCarrierAccounts: the platform's carrier accounts come
// from the variables the README's configuration table names.
func TestLoadConfigReadsCarrierAccounts(t *testing.T) {
	t.Parallel()
	vars := map[string]struct{ carrier, key string }{
		"UPS_CLIENT_ID": {"ups", "client_id"}, "UPS_CLIENT_SECRET": {"ups", "client_secret"}, "UPS_BASE_URL": {"ups", registry.BaseURL},
		"FEDEX_CLIENT_ID": {"fedex", "client_id"}, "FEDEX_CLIENT_SECRET": {"fedex", "client_secret"}, "FEDEX_BASE_URL": {"fedex", registry.BaseURL},
		"USPS_CLIENT_ID": {"usps", "client_id"}, "USPS_CLIENT_SECRET": {"usps", "client_secret"}, "USPS_BASE_URL": {"usps", registry.BaseURL},
		"DHL_API_KEY": {"dhl", "api_key"}, "DHL_BASE_URL": {"dhl", registry.BaseURL},
		"AFTERSHIP_API_KEY": {"aftership", "api_key"}, "AFTERSHIP_WEBHOOK_SECRET": {"aftership", registry.WebhookSecret},
		"AFTERSHIP_BASE_URL": {"aftership", registry.BaseURL},
	}
	kv := map[string]string{"APP_URL": "https://x.example", "ENCRYPTION_KEY": goodKey}
	for name := range vars {
		kv[name] = "value of " + name
	}
	c, err := LoadConfig(env(kv), false)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range vars {
		if got := c.Carriers[v.carrier][v.key]; got != kv[name] {
			t.Errorf("%s: Carriers[%q][%q] = %q; want %q", name, v.carrier, v.key, got, kv[name])
		}
	}
	read := 0
	for _, creds := range c.Carriers {
		read += len(creds)
	}
	if read != len(vars) {
		t.Errorf("read %d carrier settings; want the %d the README names", read, len(vars))
	}
}

func TestLoadConfigExplainsEveryProblem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"nothing set", map[string]string{}, []string{"APP_URL is required", "ENCRYPTION_KEY is required"}},
		{"bad port", map[string]string{"APP_URL": "https://x.example", "ENCRYPTION_KEY": goodKey, "PORT": "http"}, []string{`PORT="http"`}},
		{"relative url", map[string]string{"APP_URL": "ordertrack.example", "ENCRYPTION_KEY": goodKey}, []string{"want an absolute http(s) URL"}},
		{"short key", map[string]string{"APP_URL": "https://x.example", "ENCRYPTION_KEY": "c2hvcnQ="}, []string{"ENCRYPTION_KEY must be 32 bytes"}},
		{"mysql url", map[string]string{"APP_URL": "https://x.example", "ENCRYPTION_KEY": goodKey, "DATABASE_URL": "mysql://x"}, []string{"DATABASE_URL must be a postgres:// URL"}},
		{"half of twilio", map[string]string{"APP_URL": "https://x.example", "ENCRYPTION_KEY": goodKey, "TWILIO_ACCOUNT_SID": "AC1"}, []string{"must be set together"}},
		{"parcel limit not a count", map[string]string{"APP_URL": "https://x.example", "ENCRYPTION_KEY": goodKey, "MAX_PARCELS_PER_FULFILLMENT": "0"}, []string{`MAX_PARCELS_PER_FULFILLMENT="0"`}},
		{"shopify key without secret", map[string]string{"APP_URL": "https://x.example", "ENCRYPTION_KEY": goodKey, "SHOPIFY_API_KEY": "k"}, []string{"SHOPIFY_API_SECRET is required"}},
		{"half of a carrier account", map[string]string{"APP_URL": "https://x.example", "ENCRYPTION_KEY": goodKey, "UPS_CLIENT_ID": "id"}, []string{"UPS_CLIENT_ID and UPS_CLIENT_SECRET must be set together"}},
		{"outbound loopback yes", map[string]string{"APP_URL": "https://x.example", "ENCRYPTION_KEY": goodKey, "OUTBOUND_ALLOW_LOOPBACK": "yes"}, []string{`OUTBOUND_ALLOW_LOOPBACK="yes"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(env(tt.env), false)
			if err == nil {
				t.Fatal("LoadConfig accepted the settings; want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}
