package woocommerce_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/integrations/woocommerce/wootest"
)

func decode(t *testing.T, body []byte) woocommerce.Order {
	t.Helper()
	o, err := woocommerce.DecodeOrder(body)
	if err != nil {
		t.Fatalf("DecodeOrder: %v\nbody: %s", err, body)
	}
	return o
}

func TestDecodeOrderReadsCoreFields(t *testing.T) {
	modified := time.Date(2026, 11, 24, 21, 30, 5, 0, time.UTC)
	body := wootest.Order{
		ID: 1234, Number: "A-1234", Status: "completed", Currency: "EUR", Total: "59.80",
		PaymentMethod: "cod", CustomerID: 9, Created: modified.Add(-time.Hour), Modified: modified,
		Billing: wootest.Address{FirstName: "Ana", LastName: "Lima", Email: "ana@example.com", Phone: "+351 912 345 678",
			Address1: "Rua A 1", City: "Lisboa", Postcode: "1000-001", Country: "PT"},
		Shipping: wootest.Address{FirstName: "Ana", LastName: "Lima", Address1: "Rua B 2", Address2: "3 Esq",
			City: "Porto", State: "13", Postcode: "4000-001", Country: "PT", Phone: "+351 900 000 000"},
		Items: []wootest.Item{{ID: 7, Name: "Mug", ProductID: 101, SKU: "MUG-1", Quantity: 2, Total: "54.80"}},
	}.JSON()

	got := decode(t, body)
	want := woocommerce.Order{
		ID: 1234, Number: "A-1234", Key: "wc_order_ya", Status: "completed",
		DateCreated: modified.Add(-time.Hour), DateModified: modified,
		Currency: "EUR", Total: "59.80", PaymentMethod: "cod", PaymentMethodTitle: "Cash on delivery", COD: true,
		CustomerID: 9,
		Billing: woocommerce.Address{FirstName: "Ana", LastName: "Lima", Address1: "Rua A 1", City: "Lisboa",
			Postcode: "1000-001", Country: "PT", Email: "ana@example.com", Phone: "+351 912 345 678"},
		Shipping: woocommerce.Address{FirstName: "Ana", LastName: "Lima", Address1: "Rua B 2", Address2: "3 Esq",
			City: "Porto", State: "13", Postcode: "4000-001", Country: "PT", Phone: "+351 900 000 000"},
		LineItems:     []woocommerce.LineItem{{ID: 7, Name: "Mug", ProductID: 101, SKU: "MUG-1", Quantity: 2, Total: "54.80"}},
		ShippingLines: []woocommerce.ShippingLine{{MethodID: "flat_rate", MethodTitle: "Flat rate", Total: "5.00"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeOrder =\n%+v\nwant\n%+v", got, want)
	}
}

func TestDecodeOrderUsesGMTDatesNotStoreLocal(t *testing.T) {
	modified := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)
	got := decode(t, wootest.Order{ID: 1, Modified: modified}.JSON())
	if !got.DateModified.Equal(modified) || got.DateModified.Location() != time.UTC {
		t.Errorf("DateModified = %v, want %v UTC (store-local field is %v ahead)", got.DateModified, modified, wootest.StoreOffset)
	}
}

func TestDecodeOrderFlagsOnlyCashOnDeliveryAsCOD(t *testing.T) {
	tests := []struct {
		method string
		want   bool
	}{{"cod", true}, {"bacs", false}, {"stripe", false}, {"cheque", false}}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			if got := decode(t, wootest.Order{ID: 1, PaymentMethod: tt.method}.JSON()); got.COD != tt.want {
				t.Errorf("COD = %v for %q, want %v", got.COD, tt.method, tt.want)
			}
		})
	}
}

// orderWithTrackingMeta renders an order whose _wc_shipment_tracking_items
// value is exactly raw, as it appears in meta_data.
func orderWithTrackingMeta(raw string) []byte {
	return wootest.Order{ID: 77, Meta: []wootest.Meta{
		{ID: 900, Key: "_billing_vat", Value: "PT123"},
		{ID: 901, Key: woocommerce.TrackingMetaKey, Value: json.RawMessage(raw)},
	}}.JSON()
}

func TestDecodeOrderReadsShipmentTrackingMeta(t *testing.T) {
	tests := []struct {
		name string
		meta string
		want []woocommerce.TrackingItem
	}{
		{
			name: "official Shipment Tracking, provider slug and string timestamp",
			meta: `[{"tracking_provider":"usps","custom_tracking_provider":"","custom_tracking_link":"","tracking_number":"9400111899223818472301","date_shipped":"1732406400","tracking_id":"0b7a4c1e9d2f3a5b6c7d8e9f00112233"}]`,
			want: []woocommerce.TrackingItem{{Provider: "usps", Number: "9400111899223818472301",
				DateShipped: time.Date(2024, 11, 24, 0, 0, 0, 0, time.UTC), ID: "0b7a4c1e9d2f3a5b6c7d8e9f00112233", Source: "shipment_tracking"}},
		},
		{
			name: "official Shipment Tracking, custom provider with its own link",
			meta: `[{"tracking_provider":"","custom_tracking_provider":"Aramex Local","custom_tracking_link":"https://aramex.example/track?n=ARX123","tracking_number":"ARX123","date_shipped":"1732406400","tracking_id":"ff01"}]`,
			want: []woocommerce.TrackingItem{{Provider: "Aramex Local", ProviderName: "Aramex Local", Number: "ARX123",
				URL: "https://aramex.example/track?n=ARX123", DateShipped: time.Date(2024, 11, 24, 0, 0, 0, 0, time.UTC), ID: "ff01", Source: "shipment_tracking"}},
		},
		{
			name: "AST item with products list and numeric timestamp",
			meta: `[{"tracking_provider":"fedex","custom_tracking_provider":"","custom_tracking_link":"","tracking_number":"794612345678","date_shipped":1732492800,"status_shipped":"1","tracking_id":"c0ffee","tracking_product_code":"","products_list":[{"product":"101","item_id":"7","qty":"1"}]}]`,
			want: []woocommerce.TrackingItem{{Provider: "fedex", Number: "794612345678",
				DateShipped: time.Date(2024, 11, 25, 0, 0, 0, 0, time.UTC), ID: "c0ffee", Source: "shipment_tracking"}},
		},
		{
			name: "AST formatted item carries display name and link",
			meta: `[{"tracking_provider":"dhl-express","formatted_tracking_provider":"DHL Express","formatted_tracking_link":"https://www.dhl.com/track?AWB=1234567890","tracking_number":"1234567890","date_shipped":"2024-11-26","tracking_id":"d1"}]`,
			want: []woocommerce.TrackingItem{{Provider: "dhl-express", ProviderName: "DHL Express", Number: "1234567890",
				URL: "https://www.dhl.com/track?AWB=1234567890", DateShipped: time.Date(2024, 11, 26, 0, 0, 0, 0, time.UTC), ID: "d1", Source: "shipment_tracking"}},
		},
		{
			name: "PHP array with a gap serialises as an object, read in index order",
			meta: `{"2":{"tracking_provider":"ups","tracking_number":"1Z999AA10123456784","date_shipped":"1732406400"},"0":{"tracking_provider":"usps","tracking_number":"9400100000000000000000","date_shipped":""}}`,
			want: []woocommerce.TrackingItem{
				{Provider: "usps", Number: "9400100000000000000000", Source: "shipment_tracking"},
				{Provider: "ups", Number: "1Z999AA10123456784", DateShipped: time.Date(2024, 11, 24, 0, 0, 0, 0, time.UTC), Source: "shipment_tracking"},
			},
		},
		{
			name: "numeric tracking number and rows without a number",
			meta: `[{"tracking_provider":"postnl","tracking_number":3612345678,"date_shipped":"0"},{"tracking_provider":"ups","tracking_number":""},"garbage"]`,
			want: []woocommerce.TrackingItem{{Provider: "postnl", Number: "3612345678", Source: "shipment_tracking"}},
		},
		{name: "empty string after the last item was deleted", meta: `""`},
		{name: "empty array", meta: `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decode(t, orderWithTrackingMeta(tt.meta)).Tracking
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tracking =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestDecodeOrderRejectsMalformedPayloads(t *testing.T) {
	tests := []struct{ name, body string }{
		{"not JSON", `<html>Error establishing a database connection</html>`},
		{"truncated", `{"id":12,"status":"proc`},
		{"array instead of object", `[{"id":12}]`},
		{"missing id", `{"status":"processing"}`},
		{"id is not a number", `{"id":"twelve"}`},
		{"unparseable date", `{"id":12,"date_modified_gmt":"yesterday"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := woocommerce.DecodeOrder([]byte(tt.body))
			if !errors.Is(err, woocommerce.ErrMalformedPayload) {
				t.Errorf("DecodeOrder error = %v, want ErrMalformedPayload", err)
			}
		})
	}
}

// fulfillmentsJSON is GET /wc/v3/orders/123/fulfillments as WooCommerce
// documents it, plus a 10.8-style UTC date, a custom provider and a deleted one.
const fulfillmentsJSON = `[
  {"id":1,"entity_type":"WC_Order","entity_id":"123","status":"fulfilled","is_fulfilled":true,
   "date_updated":"2024-01-15T10:30:00","date_deleted":null,
   "meta_data":[{"id":1,"key":"_items","value":[{"item_id":456,"qty":2},{"item_id":789,"qty":1}]},
                {"id":2,"key":"_tracking_number","value":"1Z999AA1234567890"},
                {"id":3,"key":"_shipment_provider","value":"ups"},
                {"id":4,"key":"_tracking_url","value":"https://www.ups.com/track?tracknum=1Z999AA1234567890"}]},
  {"id":2,"entity_type":"WC_Order","entity_id":"123","status":"fulfilled","is_fulfilled":true,
   "date_updated":"2024-01-16T09:30:00Z","date_deleted":null,
   "meta_data":[{"id":5,"key":"_tracking_number","value":"LOCAL-77"},
                {"id":6,"key":"_shipment_provider","value":"other"},
                {"id":7,"key":"_provider_name","value":"Bike Courier"},
                {"id":8,"key":"_date_fulfilled","value":"2024-01-16T08:00:00Z"}]},
  {"id":3,"entity_type":"WC_Order","entity_id":"123","status":"fulfilled","is_fulfilled":true,
   "date_updated":"2024-01-17T09:30:00","date_deleted":"2024-01-17T10:00:00",
   "meta_data":[{"id":9,"key":"_tracking_number","value":"GONE-1"}]},
  {"id":4,"entity_type":"WC_Order","entity_id":"123","status":"unfulfilled","is_fulfilled":false,
   "date_updated":"2024-01-17T09:30:00","date_deleted":null,"meta_data":[]}
]`

func TestDecodeFulfillmentsReadsCoreTrackingMeta(t *testing.T) {
	fs, err := woocommerce.DecodeFulfillments([]byte(fulfillmentsJSON))
	if err != nil {
		t.Fatalf("DecodeFulfillments: %v", err)
	}
	if len(fs) != 4 {
		t.Fatalf("got %d fulfillments, want 4", len(fs))
	}
	if want := []woocommerce.FulfillmentItem{{ItemID: 456, Quantity: 2}, {ItemID: 789, Quantity: 1}}; !reflect.DeepEqual(fs[0].Items, want) || fs[0].OrderID != 123 {
		t.Errorf("first fulfillment items %+v order %d, want %+v order 123", fs[0].Items, fs[0].OrderID, want)
	}
	var o woocommerce.Order
	o.AddFulfillments(fs)
	want := []woocommerce.TrackingItem{
		{Provider: "ups", Number: "1Z999AA1234567890", URL: "https://www.ups.com/track?tracknum=1Z999AA1234567890",
			DateShipped: time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC), ID: "1", Source: "fulfillment"},
		{Provider: "Bike Courier", ProviderName: "Bike Courier", Number: "LOCAL-77",
			DateShipped: time.Date(2024, 1, 16, 8, 0, 0, 0, time.UTC), ID: "2", Source: "fulfillment"},
	}
	if !reflect.DeepEqual(o.Tracking, want) {
		t.Errorf("Tracking =\n%+v\nwant\n%+v", o.Tracking, want)
	}
}

func TestAddFulfillmentsSkipsNumbersAlreadyFromShipmentTracking(t *testing.T) {
	o := decode(t, orderWithTrackingMeta(`[{"tracking_provider":"ups","tracking_number":"1z999aa1234567890","tracking_id":"st"}]`))
	fs, err := woocommerce.DecodeFulfillments([]byte(fulfillmentsJSON))
	if err != nil {
		t.Fatal(err)
	}
	o.AddFulfillments(fs)
	var numbers []string
	for _, tr := range o.Tracking {
		numbers = append(numbers, tr.Source+":"+tr.Number)
	}
	if want := []string{"shipment_tracking:1z999aa1234567890", "fulfillment:LOCAL-77"}; !reflect.DeepEqual(numbers, want) {
		t.Errorf("tracking = %v, want %v", numbers, want)
	}
}

func TestDecodeOrderReadsEmbeddedFulfillments(t *testing.T) {
	var order map[string]any
	if err := json.Unmarshal(wootest.Order{ID: 123}.JSON(), &order); err != nil {
		t.Fatal(err)
	}
	order["fulfillments"] = json.RawMessage(fulfillmentsJSON)
	body, _ := json.Marshal(order)
	if got := decode(t, body).Tracking; len(got) != 2 || got[0].Number != "1Z999AA1234567890" {
		t.Errorf("Tracking = %+v, want the two live fulfillments", got)
	}
}

func TestDecodeFulfillmentsRejectsMalformedJSON(t *testing.T) {
	for _, body := range []string{`{"code":"rest_no_route"}`, `[{"id":"x"}]`, `nope`} {
		if _, err := woocommerce.DecodeFulfillments([]byte(body)); !errors.Is(err, woocommerce.ErrMalformedPayload) {
			t.Errorf("DecodeFulfillments(%s) error = %v, want ErrMalformedPayload", body, err)
		}
	}
}

func TestDecodeDeletedReadsOrderID(t *testing.T) {
	id, err := woocommerce.DecodeDeleted([]byte(`{"id":4711}`))
	if err != nil || id != 4711 {
		t.Fatalf("DecodeDeleted = %d, %v; want 4711", id, err)
	}
	for _, body := range []string{`{}`, `{"id":0}`, `[]`, ``} {
		if _, err := woocommerce.DecodeDeleted([]byte(body)); !errors.Is(err, woocommerce.ErrMalformedPayload) {
			t.Errorf("DecodeDeleted(%q) error = %v, want ErrMalformedPayload", body, err)
		}
	}
}

func TestDecodeActionReadsPluginTrackingAction(t *testing.T) {
	tests := []struct {
		name, body string
		want       int64
	}{
		{"integer arg", `{"action":"wc_ordertrack_tracking_updated","arg":42}`, 42},
		{"string arg", `{"action":"wc_ordertrack_tracking_updated","arg":"42"}`, 42},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := woocommerce.DecodeAction([]byte(tt.body))
			if err != nil {
				t.Fatalf("DecodeAction: %v", err)
			}
			id, err := a.OrderID()
			if err != nil || id != tt.want || a.Name != woocommerce.ActionTrackingUpdated {
				t.Errorf("action %q order %d (%v), want %q order %d", a.Name, id, err, woocommerce.ActionTrackingUpdated, tt.want)
			}
		})
	}
}

func TestDecodeActionRejectsMalformedBodies(t *testing.T) {
	tests := []struct{ name, body string }{
		{"no action name", `{"arg":42}`},
		{"not JSON", `webhook_id=3`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := woocommerce.DecodeAction([]byte(tt.body)); !errors.Is(err, woocommerce.ErrMalformedPayload) {
				t.Errorf("DecodeAction error = %v, want ErrMalformedPayload", err)
			}
		})
	}
	a, err := woocommerce.DecodeAction([]byte(`{"action":"wc_ordertrack_tracking_updated","arg":{"id":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.OrderID(); !errors.Is(err, woocommerce.ErrMalformedPayload) {
		t.Errorf("OrderID of an object arg: error = %v, want ErrMalformedPayload", err)
	}
}

func TestDecodeOrderDropsNULCharacters(t *testing.T) {
	body := wootest.Order{
		ID: 1234, Billing: wootest.Address{FirstName: "An\x00a", Email: "ana@example.com\x00", Address1: "Rua\x00 A 1"},
		Items: []wootest.Item{{ID: 7, Name: "Mu\x00g", Quantity: 1}},
	}.JSON()
	got := decode(t, body)
	if got.Billing.FirstName != "Ana" || got.Billing.Email != "ana@example.com" || got.Billing.Address1 != "Rua A 1" || got.LineItems[0].Name != "Mug" {
		t.Fatalf("DecodeOrder kept NUL: %q %q %q %q", got.Billing.FirstName, got.Billing.Email, got.Billing.Address1, got.LineItems[0].Name)
	}
}
