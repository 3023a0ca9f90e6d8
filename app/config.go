// Package app wires ordertrack together and holds nothing else: the
// configuration, the Echo server with its routes and error page, the list
// of River workers, and build, which makes each feature package (ingest,
// orders, polling, messaging, writeback, shopper, install, admin) and hands
// each the others it uses.
package app

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/ordertrack/ordertrack/app/orders"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
)

// Config is read from the environment once at start; every value is checked
// with a message that says what to fix.
type Config struct {
	Port int
	// MetricsPort serves /metrics on a private port, in web and worker
	// processes alike (METRICS_PORT, default 9091); 0 picks a free one.
	MetricsPort        int
	AppURL             string // public base URL, used in links and OAuth callbacks
	DatabaseURL        string // postgres://… or empty for embedded SQLite
	EncryptionKey      []byte // 32 bytes, seals tokens and secrets at rest
	ShopifyAPIKey      string
	ShopifyAPISecret   string
	ShopifyScopes      string // comma-separated, asked by the authorization-code install
	SendGridAPIKey     string
	SendGridPublicKey  string // event webhook verification key
	EmailFrom          string
	TwilioAccountSID   string
	TwilioAuthToken    string
	TwilioFrom         string // SMS and voice caller id, E.164
	TwilioWhatsAppFrom string
	// Carriers are the platform's own carrier accounts by carrier code, read
	// from the environment names the registry gives (UPS_CLIENT_ID, …);
	// merchants may add their own per shop.
	Carriers map[string]registry.Creds
	Demo     bool
	// MaxParcelsPerFulfillment bounds the tracking numbers stored per
	// fulfillment (MAX_PARCELS_PER_FULFILLMENT, default 100); the rest are
	// refused and noted on the delivery.
	MaxParcelsPerFulfillment int
	// SendGridBaseURL and TwilioBaseURL replace the providers' API hosts
	// (SendGrid's EU host, egress proxies, tests); empty means production.
	SendGridBaseURL, TwilioBaseURL string
	// KlaviyoBaseURL replaces Klaviyo's API host (KLAVIYO_BASE_URL; tests).
	KlaviyoBaseURL string
	// OutboundAllowLoopback lets calls to merchant-chosen hosts (WooCommerce
	// stores, merchants' carrier accounts) reach loopback over plain http
	// (OUTBOUND_ALLOW_LOOPBACK=1; the demo sets it). Tests and local
	// development only: otherwise those calls go to public https hosts only.
	OutboundAllowLoopback bool
}

// defaultShopifyScopes match [access_scopes] in shopify.app.toml.
const defaultShopifyScopes = "read_orders,write_orders,read_fulfillments,write_fulfillments,read_customers,write_app_proxy,read_returns,read_merchant_managed_fulfillment_orders,read_locales,read_products"

// demoKey is used only by `ordertrack demo`, whose data is throwaway.
var demoKey = []byte("ordertrack-demo-key-not-secret!!")

// LoadConfig reads the configuration through getenv (os.Getenv in main).
// In demo mode every credential is optional.
func LoadConfig(getenv func(string) string, demo bool) (Config, error) {
	c := Config{
		AppURL:             getenv("APP_URL"),
		DatabaseURL:        getenv("DATABASE_URL"),
		ShopifyAPIKey:      getenv("SHOPIFY_API_KEY"),
		ShopifyAPISecret:   getenv("SHOPIFY_API_SECRET"),
		ShopifyScopes:      getenv("SHOPIFY_SCOPES"),
		SendGridAPIKey:     getenv("SENDGRID_API_KEY"),
		SendGridPublicKey:  getenv("SENDGRID_WEBHOOK_PUBLIC_KEY"),
		EmailFrom:          getenv("EMAIL_FROM"),
		TwilioAccountSID:   getenv("TWILIO_ACCOUNT_SID"),
		TwilioAuthToken:    getenv("TWILIO_AUTH_TOKEN"),
		TwilioFrom:         getenv("TWILIO_FROM"),
		TwilioWhatsAppFrom: getenv("TWILIO_WHATSAPP_FROM"),
		Demo:               demo,
		SendGridBaseURL:    getenv("SENDGRID_BASE_URL"),
		TwilioBaseURL:      getenv("TWILIO_BASE_URL"),
		KlaviyoBaseURL:     getenv("KLAVIYO_BASE_URL"),
	}
	var errs []error
	c.Carriers = map[string]registry.Creds{}
	for _, e := range registry.Accounts() {
		creds, err := e.FromEnv(getenv)
		if err != nil {
			errs = append(errs, err)
		}
		if creds != nil {
			c.Carriers[e.Code] = creds
		}
	}
	port := func(name string, def int) int {
		p := getenv(name)
		if p == "" {
			return def
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 {
			errs = append(errs, fmt.Errorf("%s=%q: want a port number 0-65535", name, p))
		}
		return n
	}
	switch v := getenv("OUTBOUND_ALLOW_LOOPBACK"); v {
	case "", "0":
		c.OutboundAllowLoopback = demo
	case "1":
		c.OutboundAllowLoopback = true
	default:
		errs = append(errs, fmt.Errorf("OUTBOUND_ALLOW_LOOPBACK=%q: want 1 (tests and local development only) or unset", v))
	}
	c.Port = port("PORT", 8080)
	c.MaxParcelsPerFulfillment = orders.DefaultMaxParcels
	if v := getenv("MAX_PARCELS_PER_FULFILLMENT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("MAX_PARCELS_PER_FULFILLMENT=%q: want a whole number of at least 1 (default %d)", v, orders.DefaultMaxParcels))
		}
		c.MaxParcelsPerFulfillment = n
	}
	c.MetricsPort = port("METRICS_PORT", 9091)
	if demo && c.AppURL == "" {
		c.AppURL = fmt.Sprintf("http://localhost:%d", c.Port)
	}
	if c.AppURL == "" {
		errs = append(errs, errors.New("APP_URL is required: the public https URL of this app, e.g. https://ordertrack.fly.dev"))
	} else if u, err := url.Parse(c.AppURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, fmt.Errorf("APP_URL=%q: want an absolute http(s) URL", c.AppURL))
	}
	c.AppURL = strings.TrimRight(c.AppURL, "/")
	if d := c.DatabaseURL; d != "" && !strings.HasPrefix(d, "postgres://") && !strings.HasPrefix(d, "postgresql://") && !strings.HasPrefix(d, "sqlite:") {
		errs = append(errs, fmt.Errorf("DATABASE_URL must be a postgres:// URL or sqlite:PATH (unset = embedded SQLite at ./data/ordertrack.db)"))
	}
	key, err := parseKey(getenv("ENCRYPTION_KEY"))
	switch {
	case err != nil:
		errs = append(errs, err)
	case key == nil && demo:
		key = demoKey
	case key == nil:
		errs = append(errs, errors.New("ENCRYPTION_KEY is required: 32 random bytes, base64 or hex (generate: openssl rand -base64 32)"))
	}
	c.EncryptionKey = key
	if c.ShopifyScopes == "" {
		c.ShopifyScopes = defaultShopifyScopes
	}
	if demo && c.ShopifyAPISecret == "" {
		c.ShopifyAPISecret = "demo-secret"
	}
	if !demo && c.ShopifyAPIKey != "" && c.ShopifyAPISecret == "" {
		errs = append(errs, errors.New("SHOPIFY_API_SECRET is required when SHOPIFY_API_KEY is set"))
	}
	if (c.TwilioAccountSID == "") != (c.TwilioAuthToken == "") {
		errs = append(errs, errors.New("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together"))
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, fmt.Errorf("configuration:\n%w", err)
	}
	return c, nil
}

func parseKey(s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, errors.New("ENCRYPTION_KEY must be 32 bytes, base64- or hex-encoded (generate: openssl rand -base64 32)")
}
