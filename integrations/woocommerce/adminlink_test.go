package woocommerce_test

import (
	"errors"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/woocommerce"
)

func TestAdminLinkVerifiesOnlyItsOwnSignatureInTime(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	const nonce = "00112233445566778899aabbccddeeff"
	query := func(key, secret string, ts time.Time) url.Values {
		return url.Values{"shop": {key}, "ts": {strconv.FormatInt(ts.Unix(), 10)}, "nonce": {nonce}, "sig": {woocommerce.SignAdminLink(secret, key, ts, nonce)}}
	}
	l, err := woocommerce.ParseAdminLink(query("shop-1", "secret", now))
	if err != nil || l.Verify("secret", now.Add(time.Minute)) != nil {
		t.Fatalf("a fresh, signed link: parse %v, verify %v; want accepted", err, l.Verify("secret", now))
	}
	tamperedShop := query("shop-1", "secret", now)
	tamperedShop.Set("shop", "shop-2")
	for _, tc := range []struct {
		name string
		q    url.Values
		at   time.Time
	}{
		{"wrong secret", query("shop-1", "other", now), now},
		{"another shop's key in the link", tamperedShop, now},
		{"too old", query("shop-1", "secret", now), now.Add(woocommerce.AdminLinkSkew + time.Second)},
		{"from the future", query("shop-1", "secret", now.Add(woocommerce.AdminLinkSkew+time.Second)), now},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := woocommerce.ParseAdminLink(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if err := l.Verify("secret", tc.at); !errors.Is(err, woocommerce.ErrAdminLink) {
				t.Fatalf("Verify = %v; want ErrAdminLink", err)
			}
		})
	}
	for name, q := range map[string]url.Values{
		"no signature": {"shop": {"shop-1"}, "ts": {"1"}, "nonce": {nonce}},
		"short nonce":  {"shop": {"shop-1"}, "ts": {"1"}, "nonce": {"ab"}, "sig": {"00"}},
		"bad time":     {"shop": {"shop-1"}, "ts": {"x"}, "nonce": {nonce}, "sig": {"00"}},
	} {
		if _, err := woocommerce.ParseAdminLink(q); !errors.Is(err, woocommerce.ErrAdminLink) {
			t.Errorf("%s: ParseAdminLink = %v; want ErrAdminLink", name, err)
		}
	}
}
