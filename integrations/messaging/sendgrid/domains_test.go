package sendgrid

import (
	"context"
	"net/http"
	"os"
	"slices"
	"testing"
)

func TestAuthenticatedDomainsListsOnlyValidOnes(t *testing.T) {
	sample, err := os.ReadFile("testdata/whitelabel_domains.json")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSendGrid{status: http.StatusOK, body: string(sample)}
	c := newFake(t, f)
	got, err := c.AuthenticatedDomains(context.Background())
	if err != nil || !slices.Equal(got, []string{"example.com"}) {
		t.Fatalf("AuthenticatedDomains = %q, %v; want only the valid example.com (example2.com's records are not valid)", got, err)
	}
	if f.method != http.MethodGet || f.path != "/v3/whitelabel/domains" || f.auth != "Bearer SG.test-key" {
		t.Fatalf("request = %s %s (auth %q); want GET /v3/whitelabel/domains with the key", f.method, f.path, f.auth)
	}

	f.status, f.body = http.StatusForbidden, `{"errors":[{"field":null,"message":"access forbidden"}]}`
	if _, err := c.AuthenticatedDomains(context.Background()); err == nil {
		t.Fatal("a key without the whitelabel scope: no error")
	}
}

func TestDomainCovers(t *testing.T) {
	domains := []string{"example.com"}
	for _, tc := range []struct {
		address string
		want    bool
	}{
		{"news@example.com", true},
		{"News@Mail.Example.com", true},
		{"news@example2.com", false},
		{"news@notexample.com", false},
		{"example.com", false},
		{"", false},
	} {
		if got := DomainCovers(domains, tc.address); got != tc.want {
			t.Errorf("DomainCovers(%q) = %v; want %v", tc.address, got, tc.want)
		}
	}
}
