package woocommerce_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/integrations/woocommerce/wootest"
)

func TestVerifyKeysReadsTheStoreAddressOverHTTPS(t *testing.T) {
	store := wootest.NewTLSServer(t, "ck_good", "cs_good")
	store.AdminEmail = "Owner <owner@shop.example>"
	c, err := woocommerce.NewClient(store.URL, "ck_good", "cs_good", store.Client())
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.VerifyKeys(context.Background())
	if err != nil || id.AdminEmail != "owner@shop.example" {
		t.Fatalf("VerifyKeys = %+v, %v; want the store's address", id, err)
	}
	if reqs := store.Requests(); len(reqs) != 1 || reqs[0].Path != "/wp-json/wc/v3/settings/email/"+woocommerce.EmailFromSetting {
		t.Fatalf("store saw %v; want one settings read", reqs)
	}
}

func TestVerifyKeysRejectsKeysTheStoreRefuses(t *testing.T) {
	store := wootest.NewTLSServer(t, "ck_good", "cs_good")
	for name, keys := range map[string][2]string{
		"made-up key":    {"ck_made_up", "cs_good"},
		"guessed secret": {"ck_good", "cs_guess"},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := woocommerce.NewClient(store.URL, keys[0], keys[1], store.Client())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.VerifyKeys(context.Background()); !errors.Is(err, woocommerce.ErrUnauthorized) {
				t.Fatalf("VerifyKeys = %v; want ErrUnauthorized", err)
			}
		})
	}
}
