package registry

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

func TestCodesAreUniqueLowercaseAndNamed(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range All() {
		if c.Code == "" || c.Code != strings.ToLower(c.Code) || c.Name == "" {
			t.Errorf("entry %q named %q: want a lowercase code and a name", c.Code, c.Name)
		}
		if seen[c.Code] {
			t.Errorf("code %q is registered twice", c.Code)
		}
		seen[c.Code] = true
		if got, ok := Lookup(c.Code); !ok || got.Name != c.Name {
			t.Errorf("Lookup(%q) = %q, %v; want the entry", c.Code, got.Name, ok)
		}
	}
}

// TestAccountsAreConfigurable: every credential of an account has an
// environment variable, every variable is a credential, the base URL or the
// webhook secret, and no two carriers share a variable.
func TestAccountsAreConfigurable(t *testing.T) {
	owner := map[string]string{}
	for _, c := range Accounts() {
		if len(c.Fields) == 0 || c.New == nil || c.PerSecond <= 0 {
			t.Errorf("%s: want credential fields, a constructor and a call rate", c.Code)
		}
		if c.Env[BaseURL] == "" {
			t.Errorf("%s: no environment variable replaces its host", c.Code)
		}
		for _, f := range c.Fields {
			if c.Env[f.Key] == "" {
				t.Errorf("%s: credential %s has no environment variable", c.Code, f.Key)
			}
		}
		for key, name := range c.Env {
			if !slices.ContainsFunc(c.Fields, func(f Field) bool { return f.Key == key }) && key != BaseURL && key != WebhookSecret {
				t.Errorf("%s: %s sets %q, which no client reads", c.Code, name, key)
			}
			if o, ok := owner[name]; ok {
				t.Errorf("%s is read for both %s and %s", name, o, c.Code)
			}
			owner[name] = c.Code
		}
	}
}

func TestDemoCarriersHaveNoAccounts(t *testing.T) {
	for _, c := range All() {
		if c.Demo && (len(c.Fields) > 0 || len(c.Env) > 0 || c.New != nil || c.Fallback) {
			t.Errorf("demo carrier %s has an account; the demo registers its own instance", c.Code)
		}
		if c.Demo == slices.ContainsFunc(Accounts(), func(a Carrier) bool { return a.Code == c.Code }) {
			t.Errorf("%s: demo is %v, yet Accounts lists it %v", c.Code, c.Demo, !c.Demo)
		}
	}
}

func TestExactlyOneFallback(t *testing.T) {
	var fallbacks []string
	for _, c := range All() {
		if c.Fallback {
			fallbacks = append(fallbacks, c.Code)
		}
	}
	if len(fallbacks) != 1 {
		t.Fatalf("fallback carriers = %v; want exactly one", fallbacks)
	}
}

// TestEachConstructorCallsItsAccount builds every carrier's client against
// a loopback host and checks that it calls the host of its account's
// BaseURL, through the account's HTTP client, with the account's
// credentials, and that it is the client of its own code.
func TestEachConstructorCallsItsAccount(t *testing.T) {
	for _, c := range Accounts() {
		t.Run(c.Code, func(t *testing.T) {
			var (
				mu   sync.Mutex
				seen strings.Builder
			)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				dump, _ := httputil.DumpRequest(r, true)
				user, pass, _ := r.BasicAuth()
				mu.Lock()
				seen.WriteString(string(dump) + "\n" + user + "\n" + pass + "\n")
				mu.Unlock()
				http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
			}))
			defer srv.Close()
			creds := Creds{BaseURL: srv.URL}
			for _, f := range c.Fields {
				creds[f.Key] = f.Key + "-of-" + c.Code
			}
			calls := 0
			hc := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
				calls++
				return http.DefaultTransport.RoundTrip(r)
			})}
			client := c.New(Account{Creds: creds, HTTP: hc})
			if client.MaxBatch() < 1 {
				t.Errorf("MaxBatch = %d; want at least 1", client.MaxBatch())
			}
			if named, ok := client.(interface{ Name() string }); !ok || named.Name() != c.Code {
				t.Errorf("New built a client that does not name itself %q", c.Code)
			}
			if _, err := client.Track(context.Background(), []string{"1Z999AA10123456784"}); err == nil {
				t.Error("Track succeeded against a host that refuses every call")
			}
			if calls == 0 {
				t.Fatal("Track made no call through the account's HTTP client")
			}
			for _, f := range c.Fields {
				if !strings.Contains(seen.String(), creds[f.Key]) {
					t.Errorf("no request to %s carried the %s", srv.URL, f.Key)
				}
			}
		})
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestFromEnvReadsThePlatformAccount(t *testing.T) {
	ups, _ := Lookup("ups")
	aftership, _ := Lookup("aftership")
	tests := []struct {
		name     string
		carrier  Carrier
		env      map[string]string
		want     Creds
		complete bool
	}{
		{"nothing set", ups, nil, nil, false},
		{"client credentials and a sandbox", ups,
			map[string]string{"UPS_CLIENT_ID": "id", "UPS_CLIENT_SECRET": "s", "UPS_BASE_URL": "https://wwwcie.ups.com"},
			Creds{"client_id": "id", "client_secret": "s", BaseURL: "https://wwwcie.ups.com"}, true},
		{"only the push secret", aftership, map[string]string{"AFTERSHIP_WEBHOOK_SECRET": "w"}, Creds{WebhookSecret: "w"}, false},
		{"key and push secret", aftership, map[string]string{"AFTERSHIP_API_KEY": "k", "AFTERSHIP_WEBHOOK_SECRET": "w"},
			Creds{"api_key": "k", WebhookSecret: "w"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.carrier.FromEnv(func(k string) string { return tt.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tt.want) || tt.carrier.Complete(got) != tt.complete {
				t.Fatalf("FromEnv = %v (complete %v); want %v (complete %v)", got, tt.carrier.Complete(got), tt.want, tt.complete)
			}
		})
	}
}

func TestFromEnvRefusesHalfAnAccount(t *testing.T) {
	ups, _ := Lookup("ups")
	_, err := ups.FromEnv(func(k string) string { return map[string]string{"UPS_CLIENT_ID": "id"}[k] })
	if err == nil || !strings.Contains(err.Error(), "UPS_CLIENT_ID and UPS_CLIENT_SECRET must be set together") {
		t.Fatalf("FromEnv with only UPS_CLIENT_ID: err = %v; want both variables named", err)
	}
}

func TestNameForPeople(t *testing.T) {
	tests := []struct{ code, company, want string }{
		{"ups", "", "UPS"},
		{"ups", "UPS Ground Saver", "UPS Ground Saver"},
		{"sim", "", "Demo Express"},
		{"royal_mail", "", "Royal Mail"},
		{"pigeon", "", "PIGEON"},
	}
	for _, tt := range tests {
		if got := Name(tt.code, tt.company); got != tt.want {
			t.Errorf("Name(%q, %q) = %q; want %q", tt.code, tt.company, got, tt.want)
		}
	}
}

func TestQuotasListTheLimitedCarriers(t *testing.T) {
	q := Quotas()
	for _, c := range All() {
		if got, ok := q[c.Code]; ok != (c.Quota != tracking.Quota{}) || got != c.Quota {
			t.Errorf("Quotas()[%q] = %+v, %v; entry says %+v", c.Code, got, ok, c.Quota)
		}
	}
	if q["dhl"].PerDay == 0 {
		t.Error("DHL's daily quota is missing")
	}
}

// TestFormAsksEachCredentialOnce: the merchant's form has one input per
// credential, labelled with every carrier that asks for it.
func TestFormAsksEachCredentialOnce(t *testing.T) {
	form := Form()
	for _, c := range Accounts() {
		for _, f := range c.Fields {
			n := 0
			for _, ff := range form {
				if ff.Key == f.Key {
					n++
					if !slices.Contains(ff.Carriers, c.Name) {
						t.Errorf("input %s does not name %s", f.Key, c.Name)
					}
				}
			}
			if n != 1 {
				t.Errorf("credential %s appears in %d inputs; want 1", f.Key, n)
			}
		}
	}
}

func TestTrackingURL(t *testing.T) {
	tests := []struct{ code, number, want string }{
		{"ups", "1Z999AA10123456784", "https://www.ups.com/track?tracknum=1Z999AA10123456784"},
		{"usps", "9400 1000", "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400+1000"},
		{"aftership", "X1", ""},
		{"nope", "X1", ""},
		{"fedex", "", ""},
	}
	for _, tt := range tests {
		if got := TrackingURL(tt.code, tt.number); got != tt.want {
			t.Errorf("TrackingURL(%q, %q) = %q; want %q", tt.code, tt.number, got, tt.want)
		}
	}
}
