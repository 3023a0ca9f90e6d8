package install

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestMaskEmailKeepsTheFirstLetterAndTheDomain(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"owner@shop.example", "o•••@shop.example"},
		{"Ünal@shop.example", "Ü•••@shop.example"}, // a letter, not a byte
		{"a@b.example", "a•••@b.example"},
		{"", ""},
		{"no-at-sign", ""},
		{"@shop.example", ""},
	} {
		if got := maskEmail(tc.in); got != tc.want {
			t.Errorf("maskEmail(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestWooShopDomainKeepsTheSubdirectory(t *testing.T) {
	for _, tc := range []struct{ store, domain, host string }{
		{"https://shop.example", "shop.example", "shop.example"},
		{"https://host.example/shop-a", "host.example/shop-a", "host.example"},
		{"https://host.example:8443/wp", "host.example:8443/wp", "host.example:8443"},
	} {
		domain, host, err := wooShopDomain(tc.store)
		if err != nil || domain != tc.domain || host != tc.host {
			t.Errorf("wooShopDomain(%q) = %q, %q, %v; want %q, %q", tc.store, domain, host, err, tc.domain, tc.host)
		}
	}
}

func TestKeepInRedirectCarriesTheEmbeddedSessionToAdminPagesOnly(t *testing.T) {
	page := &EmbeddedPage{APIKey: "key", Shop: "shop-a.myshopify.com", Host: "YWRtaW4"}
	for _, tc := range []struct {
		name, location string
		host           string
		want           url.Values // nil: the location is left alone
	}{
		{"an admin page", "/admin/settings?saved=1", page.Host,
			url.Values{"saved": {"1"}, "embedded": {"1"}, "shop": {page.Shop}, "host": {page.Host}, "id_token": {"tok"}}},
		{"an admin page, no host", "/admin", "",
			url.Values{"embedded": {"1"}, "shop": {page.Shop}, "id_token": {"tok"}}},
		{"another origin", "https://elsewhere.example/admin", page.Host, nil},
		{"a page outside the admin", "/t/abc", page.Host, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := *page
			e.Host = tc.host
			h := http.Header{"Location": {tc.location}}
			e.keepInRedirect(h, "tok")
			got := h.Get("Location")
			if tc.want == nil {
				if got != tc.location {
					t.Fatalf("Location %q; want it unchanged (%q)", got, tc.location)
				}
				return
			}
			u, err := url.Parse(got)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := url.Parse(tc.location)
			if u.Path != want.Path || u.Query().Encode() != tc.want.Encode() {
				t.Fatalf("Location %q; want path %s with %s", got, want.Path, tc.want.Encode())
			}
		})
	}
}

func TestSessionPurposeChangesWithTheGeneration(t *testing.T) {
	seen := map[string]int{}
	for gen := range 4 {
		p := sessionPurpose(gen)
		if prev, ok := seen[p]; ok {
			t.Fatalf("generations %d and %d sign with the same purpose %q", prev, gen, p)
		}
		seen[p] = gen
	}
	// Sessions signed before generations existed stay valid at generation 0.
	if p := sessionPurpose(0); p != "admin-session" {
		t.Fatalf("generation 0 signs with %q; want admin-session", p)
	}
}

func TestLoginFormRefillsTheStoreEscapedAndIsNeverFramedOrCached(t *testing.T) {
	in, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, message, store string
		status               int
		want, notWant        []string
	}{
		{"empty", "", "", http.StatusOK, []string{`<form method="post" action="/admin/login">`, `value=""`}, []string{`role="status"`}},
		{"an input error", "Enter your store's address.", `"><script>x</script>`, http.StatusUnprocessableEntity,
			[]string{`<p role="status">Enter your store&#39;s address.</p>`, `value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"`}, []string{"<script>x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/admin/login", nil), rec)
			if err := in.RenderLoginForm(c, tc.status, tc.message, tc.store); err != nil {
				t.Fatal(err)
			}
			if rec.Code != tc.status || rec.Header().Get("X-Frame-Options") != "DENY" || rec.Header().Get("Cache-Control") != "no-store" {
				t.Fatalf("status %d, headers %v; want %d, DENY and no-store", rec.Code, rec.Header(), tc.status)
			}
			body := rec.Body.String()
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q:\n%s", w, body)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(body, w) {
					t.Errorf("page has %q:\n%s", w, body)
				}
			}
		})
	}
}
