// Package registry is the one place a carrier is registered: its code and
// name, the credentials its account takes (from the environment for the
// platform's account, from the admin form for a merchant's own), how fast
// and how often it may be called, and how its client is built.
//
// Adding a carrier is its package under integrations/carriers plus one entry
// in carriers below (and a line in tracking.CalendarFor when its working
// days are not the default ones). Configuration, polling, the admin's
// carrier form and the names shown to people all read this table.
package registry

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/aftership"
	"github.com/ordertrack/ordertrack/integrations/carriers/dhl"
	"github.com/ordertrack/ordertrack/integrations/carriers/fedex"
	"github.com/ordertrack/ordertrack/integrations/carriers/sim"
	"github.com/ordertrack/ordertrack/integrations/carriers/ups"
	"github.com/ordertrack/ordertrack/integrations/carriers/usps"
)

// Carrier is everything ordertrack knows about one carrier API.
type Carrier struct {
	Code string // as shipments store it: "dhl"
	Name string // for people: "DHL"
	// TrackURL is the carrier's public tracking page with %s for the
	// number; empty when it has none of its own.
	TrackURL string
	// Fields are what an account needs, in the order the admin form asks.
	Fields []Field
	// Env names the environment variable of each credential of the
	// platform's account, BaseURL and WebhookSecret included.
	Env map[string]string
	// PerSecond is the call rate per process and account.
	PerSecond float64
	// Quota is the documented limit beyond the rate (zero: none).
	Quota tracking.Quota
	// Fallback tracks every carrier without an entry of its own.
	Fallback bool
	// Demo entries are registered only by `ordertrack demo`, with the
	// instance it seeds; they have no accounts and no New.
	Demo bool
	// New builds the client of one account.
	New func(Account) tracking.Carrier
	// Push is the carrier's push API, nil when it has none; pushes are
	// taken only when the account's WebhookSecret is set.
	Push *Push
}

// Push is how a carrier pushes tracking news. The client New builds
// subscribes numbers (Subscribe) and, where the API allows, unsubscribes
// them (Unsubscribe).
type Push struct {
	// Verify checks a push's echoed credential, token or signature against
	// the account's WebhookSecret.
	Verify func(secret string, h http.Header, body []byte) bool
	// Parse reads a verified push; an error means it will never parse.
	Parse func(body []byte) ([]tracking.Result, error)
	// Batch is how many numbers one subscribe request carries.
	Batch int
}

// Creds are one account's credentials by Field key, plus BaseURL and
// WebhookSecret when set.
type Creds map[string]string

// Field is one credential of an account; Key names the form input, the
// stored credential and the Creds key.
type Field struct {
	Key, Label string
	Secret     bool // entered in a password input, never shown back
}

// The credentials carriers ask for.
var (
	ClientID     = Field{Key: "client_id", Label: "Client ID"}
	ClientSecret = Field{Key: "client_secret", Label: "Client secret", Secret: true}
	APIKey       = Field{Key: "api_key", Label: "API key", Secret: true}
)

// Creds keys that are not entered by merchants, only set by the operator.
const (
	BaseURL       = "base_url"       // replaces the production host (sandboxes, tests)
	WebhookSecret = "webhook_secret" // verifies the carrier's pushes
)

// Account is what a carrier client is built from.
type Account struct {
	Creds Creds
	// OnUnknown is called for each status code the carrier's table lacks,
	// so operators can count them and extend the table.
	OnUnknown func(carrier, code string)
	// HTTP makes the calls: nil (the default client) for the platform's
	// accounts; a merchant's account gets the client that holds calls to
	// merchant-chosen hosts to the outbound policy.
	HTTP *http.Client
	// Now is the app's clock, for what a client stamps (UPS's subscription
	// expiry); nil means the real one.
	Now func() time.Time
}

// carriers is the table; the admin form lists them in this order.
var carriers = []Carrier{
	{
		Code: "ups", Name: "UPS", TrackURL: "https://www.ups.com/track?tracknum=%s", Fields: []Field{ClientID, ClientSecret},
		Env:       map[string]string{"client_id": "UPS_CLIENT_ID", "client_secret": "UPS_CLIENT_SECRET", BaseURL: "UPS_BASE_URL", WebhookSecret: "UPS_WEBHOOK_SECRET"},
		PerSecond: 5, // no published hard limit: we stay polite
		Push: &Push{
			Verify: func(secret string, h http.Header, _ []byte) bool { return ups.VerifyPush(secret, h) },
			Parse:  ups.New(ups.Config{}).ParsePush, Batch: ups.SubscribeBatch,
		},
		New: func(a Account) tracking.Carrier {
			return ups.New(ups.Config{BaseURL: a.Creds[BaseURL], ClientID: a.Creds["client_id"], ClientSecret: a.Creds["client_secret"], OnUnknownCode: a.OnUnknown, HTTPClient: a.HTTP, Now: a.Now})
		},
	},
	{
		Code: "fedex", Name: "FedEx", TrackURL: "https://www.fedex.com/fedextrack/?trknbr=%s", Fields: []Field{ClientID, ClientSecret},
		Env:       map[string]string{"client_id": "FEDEX_CLIENT_ID", "client_secret": "FEDEX_CLIENT_SECRET", BaseURL: "FEDEX_BASE_URL", WebhookSecret: "FEDEX_WEBHOOK_SECRET"},
		PerSecond: 5,
		Push:      &Push{Verify: fedex.VerifyPush, Parse: fedex.New(fedex.Config{}).ParsePush, Batch: 100},
		New: func(a Account) tracking.Carrier {
			return fedex.New(fedex.Config{BaseURL: a.Creds[BaseURL], ClientID: a.Creds["client_id"], ClientSecret: a.Creds["client_secret"], OnUnknownCode: a.OnUnknown, HTTPClient: a.HTTP, Now: a.Now})
		},
	},
	{
		Code: "usps", Name: "USPS", TrackURL: "https://tools.usps.com/go/TrackConfirmAction?tLabels=%s", Fields: []Field{ClientID, ClientSecret},
		Env:       map[string]string{"client_id": "USPS_CLIENT_ID", "client_secret": "USPS_CLIENT_SECRET", BaseURL: "USPS_BASE_URL", WebhookSecret: "USPS_WEBHOOK_SECRET"},
		PerSecond: 5,
		Push:      &Push{Verify: usps.VerifyPush, Parse: usps.New(usps.Config{}).ParsePush, Batch: 1},
		New: func(a Account) tracking.Carrier {
			return usps.New(usps.Config{BaseURL: a.Creds[BaseURL], ClientID: a.Creds["client_id"], ClientSecret: a.Creds["client_secret"], OnUnknownCode: a.OnUnknown, HTTPClient: a.HTTP, Now: a.Now})
		},
	},
	{
		Code: "dhl", Name: "DHL", TrackURL: "https://www.dhl.com/global-en/home/tracking.html?tracking-id=%s&submit=1", Fields: []Field{APIKey},
		Env: map[string]string{"api_key": "DHL_API_KEY", BaseURL: "DHL_BASE_URL", WebhookSecret: "DHL_WEBHOOK_SECRET"},
		Push: &Push{
			Verify: func(secret string, h http.Header, _ []byte) bool { return dhl.VerifyPush(secret, h) },
			Parse:  dhl.New(dhl.Config{}).ParsePush, Batch: 1,
		},
		// DHL's starter key allows 1 call/s, 250 calls a day and at most
		// 10 fetches of one shipment a day.
		PerSecond: 1,
		Quota:     tracking.Quota{PerDay: 250, PerShipmentPerDay: 10},
		New: func(a Account) tracking.Carrier {
			return dhl.New(dhl.Config{BaseURL: a.Creds[BaseURL], APIKey: a.Creds["api_key"], OnUnknownCode: a.OnUnknown, HTTPClient: a.HTTP, Now: a.Now})
		},
	},
	{
		Code: "aftership", Name: "AfterShip", Fields: []Field{APIKey},
		Env:       map[string]string{"api_key": "AFTERSHIP_API_KEY", WebhookSecret: "AFTERSHIP_WEBHOOK_SECRET", BaseURL: "AFTERSHIP_BASE_URL"},
		PerSecond: 5,
		Fallback:  true,
		New: func(a Account) tracking.Carrier {
			return aftership.New(aftership.Config{BaseURL: a.Creds[BaseURL], APIKey: a.Creds["api_key"], OnUnknownCode: a.OnUnknown, HTTPClient: a.HTTP, Now: a.Now})
		},
	},
	{Code: sim.Code, Name: "Demo Express", PerSecond: 50, Demo: true},
}

// known names carriers people see on orders that we do not track with an
// API of their own (AfterShip does, when configured).
var known = map[string]string{
	"royal_mail": "Royal Mail", "canada_post": "Canada Post", "dpd": "DPD", "ontrac": "OnTrac",
	"lasership": "LaserShip", "amazon": "Amazon Logistics", "la_poste": "La Poste",
	"deutsche_post": "Deutsche Post", "australia_post": "Australia Post", "postnl": "PostNL",
}

// All returns every registered carrier, demo ones included.
func All() []Carrier { return slices.Clone(carriers) }

// Accounts returns the carriers an account can be brought for (all but the
// demo's), in the order the admin form lists them.
func Accounts() []Carrier {
	return slices.DeleteFunc(All(), func(c Carrier) bool { return c.Demo })
}

// Lookup returns the carrier registered under code.
func Lookup(code string) (Carrier, bool) {
	i := slices.IndexFunc(carriers, func(c Carrier) bool { return c.Code == code })
	if i < 0 {
		return Carrier{}, false
	}
	return carriers[i], true
}

// TrackingURL is the carrier's own public tracking page for number, empty
// when the carrier has none we know.
func TrackingURL(code, number string) string {
	c, ok := Lookup(code)
	if !ok || c.TrackURL == "" || number == "" {
		return ""
	}
	return fmt.Sprintf(c.TrackURL, url.QueryEscape(number))
}

// Name is the carrier's name for people: the store's own wording when it
// gave one, else ours, else the code in capitals.
func Name(code, company string) string {
	if company != "" {
		return company
	}
	if c, ok := Lookup(code); ok {
		return c.Name
	}
	if n, ok := known[code]; ok {
		return n
	}
	return strings.ToUpper(code)
}

// Quotas returns the quota of every carrier that has one, by code.
func Quotas() map[string]tracking.Quota {
	q := map[string]tracking.Quota{}
	for _, c := range carriers {
		if c.Quota != (tracking.Quota{}) {
			q[c.Code] = c.Quota
		}
	}
	return q
}

// FromEnv reads the platform's account from the environment through
// getenv: every variable of c that is set, by Creds key; nil when none is.
// Credentials set in part are an error that names the variables to set.
func (c Carrier) FromEnv(getenv func(string) string) (Creds, error) {
	var creds Creds
	for key, name := range c.Env {
		if v := getenv(name); v != "" {
			if creds == nil {
				creds = Creds{}
			}
			creds[key] = v
		}
	}
	if n := len(c.missing(creds)); n > 0 && n < len(c.Fields) {
		names := make([]string, len(c.Fields))
		for i, f := range c.Fields {
			names[i] = c.Env[f.Key]
		}
		return nil, fmt.Errorf("%s must be set together", strings.Join(names, " and "))
	}
	return creds, nil
}

// Complete reports whether creds hold every credential c's account needs.
func (c Carrier) Complete(creds Creds) bool {
	return len(c.Fields) > 0 && len(c.missing(creds)) == 0
}

func (c Carrier) missing(creds Creds) []Field {
	return slices.DeleteFunc(slices.Clone(c.Fields), func(f Field) bool { return creds[f.Key] != "" })
}

// FormField is one input of the merchant's carrier account form: a
// credential and the names of the carriers that ask for it.
type FormField struct {
	Field
	Carriers []string
}

// Form lists every credential of Accounts once, in the order they are first
// asked for.
func Form() []FormField {
	var form []FormField
	for _, c := range Accounts() {
		for _, f := range c.Fields {
			i := slices.IndexFunc(form, func(ff FormField) bool { return ff.Key == f.Key })
			if i < 0 {
				form = append(form, FormField{Field: f})
				i = len(form) - 1
			}
			form[i].Carriers = append(form[i].Carriers, c.Name)
		}
	}
	return form
}
