package shopify_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
)

// Webhook bodies come from the internet (signed, but by a platform that
// changes shapes), so decoding must never panic and must either return an
// identified resource or an ErrMalformedPayload the handler keeps for replay.

func FuzzDecodeOrder(f *testing.F) {
	order := shopifytest.SampleOrder(1001, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	f.Add(order.WebhookJSON())
	f.Add([]byte(`{"id": 1, "line_items": [], "fulfillments": [{"id": 2, "tracking_numbers": null}]}`))
	f.Add([]byte(`{"id": "not-a-number"}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, body []byte) {
		o, err := shopify.DecodeOrder(body)
		if err != nil {
			if !errors.Is(err, shopify.ErrMalformedPayload) {
				t.Fatalf("DecodeOrder error %v does not wrap ErrMalformedPayload", err)
			}
			return
		}
		if o.LegacyID == 0 || o.ID == "" {
			t.Fatalf("DecodeOrder accepted an order without an id: %+v", o)
		}
	})
}

func FuzzDecodeFulfillment(f *testing.F) {
	order := shopifytest.SampleOrder(1001, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	for _, ful := range order.Fulfillments {
		f.Add(ful.WebhookJSON(order.ID))
	}
	f.Add([]byte(`{"id": 5, "order_id": 6, "tracking_numbers": ["1Z999AA10123456784"], "tracking_urls": [null]}`))
	f.Add([]byte(`{"id": 5}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ful, err := shopify.DecodeFulfillment(body)
		if err != nil {
			if !errors.Is(err, shopify.ErrMalformedPayload) {
				t.Fatalf("DecodeFulfillment error %v does not wrap ErrMalformedPayload", err)
			}
			return
		}
		if ful.ID == "" || ful.OrderID == "" {
			t.Fatalf("DecodeFulfillment accepted a fulfillment without id or order id: %+v", ful)
		}
	})
}
