package shopify

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
)

func TestFlowTriggerSendsHandleAndPayload(t *testing.T) {
	f := newFixture(t)
	f.install(t, testShop)
	f.fake.DeclareFlowTrigger("shipment-delayed", map[string]string{"order_id": "order_reference", "Tracking number": "single_line_text_field"})
	err := f.client.FlowTrigger(context.Background(), testShop, "shipment-delayed", map[string]any{"order_id": 4242, "Tracking number": "1Z999"})
	if err != nil {
		t.Fatal(err)
	}
	got := f.fake.FlowTriggers(testShop)
	if len(got) != 1 || got[0].Handle != "shipment-delayed" || got[0].Payload["order_id"] != float64(4242) || got[0].Payload["Tracking number"] != "1Z999" {
		t.Fatalf("flow triggers = %+v, want shipment-delayed for order 4242, 1Z999", got)
	}
}

func TestFlowTriggerReportsRefusals(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handle  string
		payload map[string]any
		want    string
	}{
		{"undeclared handle", "nope", map[string]any{"order_id": 1}, "Invalid handle"},
		{"missing field", "t", map[string]any{"order_id": 1}, `Missing required field "Stage"`},
		{"wrong type", "t", map[string]any{"order_id": "gid://shopify/Order/1", "Stage": "delivered"}, `"order_id" is not a valid order_reference`},
		{"too large", "t", map[string]any{"order_id": 1, "Stage": strings.Repeat("x", MaxFlowPayload)}, ErrFlowPayloadTooLarge.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.install(t, testShop)
			f.fake.DeclareFlowTrigger("t", map[string]string{"order_id": "order_reference", "Stage": "single_line_text_field"})
			err := f.client.FlowTrigger(context.Background(), testShop, tc.handle, tc.payload)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one saying %q", err, tc.want)
			}
			if n := len(f.fake.FlowTriggers(testShop)); n != 0 {
				t.Errorf("%d triggers accepted", n)
			}
		})
	}
}

func TestReadFlowActionChecksSignature(t *testing.T) {
	body := []byte(`{"shop_id":1,"shopify_domain":"` + testShop + `","action_run_id":"run-1","handle":"send-tracking-update","properties":{"order_id":42}}`)
	a, err := ReadFlowAction(testSecret, body, shopifytest.SignWebhook(testSecret, body))
	if err != nil || a.ActionRunID != "run-1" || a.ShopDomain != testShop || a.Properties["order_id"] != float64(42) {
		t.Fatalf("ReadFlowAction = %+v, %v", a, err)
	}
	if _, err := ReadFlowAction(testSecret, body, shopifytest.SignWebhook("other", body)); !errors.Is(err, ErrSignature) {
		t.Errorf("wrongly signed: err = %v, want ErrSignature", err)
	}
}
