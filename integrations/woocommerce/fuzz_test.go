package woocommerce_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/integrations/woocommerce/wootest"
)

// FuzzDecodeOrder feeds arbitrary bodies to the order decoder: stores run
// arbitrary plugins that write arbitrary meta_data, so decoding must never
// panic and must return either an order with an id or ErrMalformedPayload.
func FuzzDecodeOrder(f *testing.F) {
	modified := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	f.Add([]byte(wootest.Order{
		ID: 1234, Number: "A-1234", PaymentMethod: "cod", Modified: modified,
		Billing: wootest.Address{FirstName: "Ana", Email: "ana@example.com", Country: "PT"},
		Items:   []wootest.Item{{ID: 7, Name: "Mug", Quantity: 2, Total: "54.80"}},
		Meta: []wootest.Meta{{ID: 1, Key: "_wc_shipment_tracking_items", Value: json.RawMessage(
			`[{"tracking_provider":"ups","tracking_number":"1Z999AA10123456784","date_shipped":"1709373600"}]`)}},
	}.JSON()))
	f.Add([]byte(`{"id": "12", "meta_data": [{"key": "_aftership_tracking_number", "value": 5}]}`))
	f.Add([]byte(`{"id": -1}`))
	f.Add([]byte(`{"id": 3, "date_modified_gmt": "yesterday"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		o, err := woocommerce.DecodeOrder(body)
		if err != nil {
			if !errors.Is(err, woocommerce.ErrMalformedPayload) {
				t.Fatalf("DecodeOrder error %v does not wrap ErrMalformedPayload", err)
			}
			return
		}
		if o.ID <= 0 {
			t.Fatalf("DecodeOrder accepted an order with id %d", o.ID)
		}
	})
}
