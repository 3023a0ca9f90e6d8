package shopify

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestAppConfigMatchesPackage keeps shopify.app.toml and this package in
// step: the pinned API version and every topic the package decodes.
func TestAppConfigMatchesPackage(t *testing.T) {
	raw, err := os.ReadFile("../../shopify.app.toml")
	if err != nil {
		t.Fatalf("read shopify.app.toml: %v", err)
	}
	toml := string(raw)
	m := regexp.MustCompile(`(?m)^api_version = "([^"]+)"`).FindStringSubmatch(toml)
	if m == nil || m[1] != APIVersion {
		t.Errorf("shopify.app.toml api_version = %v, want %q", m, APIVersion)
	}
	for _, topic := range []string{
		TopicOrdersCreate, TopicOrdersUpdated, TopicOrdersCancelled, TopicOrdersEdited, TopicRefundsCreate, TopicFulfillmentsCreate,
		TopicFulfillmentsUpdate, TopicAppUninstalled, TopicShopUpdate, TopicCustomersDataRequest, TopicCustomersRedact, TopicShopRedact,
		TopicReturnsRequest, TopicReturnsApprove, TopicReturnsCancel, TopicReturnsDecline, TopicReverseDeliveriesAttach,
	} {
		if !strings.Contains(toml, `"`+topic+`"`) {
			t.Errorf("shopify.app.toml does not subscribe to %s", topic)
		}
	}
	for _, scope := range []string{"read_orders", "write_orders", "write_fulfillments", "write_app_proxy", "read_returns", "read_merchant_managed_fulfillment_orders", "read_locales", "read_products"} {
		if !regexp.MustCompile(`(?m)^scopes = "[^"]*\b` + scope + `\b`).MatchString(toml) {
			t.Errorf("shopify.app.toml does not request %s", scope)
		}
	}
	if !strings.Contains(toml, "embedded = true") {
		t.Error("shopify.app.toml is not embedded")
	}
}
