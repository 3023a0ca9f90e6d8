package shopify

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
)

func TestReadWebhookReturnsDeliveryAndBody(t *testing.T) {
	body := shopifytest.SampleOrder(1001, testNow).WebhookJSON()
	r := shopifytest.NewWebhookRequest("https://app.example/webhooks/shopify", TopicOrdersUpdated, testShop, testSecret, body)
	r.Header.Set("X-Shopify-Triggered-At", "2026-11-25T12:00:01.123Z")
	d, got, err := ReadWebhook(r, testSecret)
	if err != nil {
		t.Fatalf("ReadWebhook: %v", err)
	}
	if !bytes.Equal(got, body) {
		t.Fatal("body changed")
	}
	if d.Topic != TopicOrdersUpdated || d.Shop != testShop || d.WebhookID == "" || d.EventID == "" ||
		d.APIVersion != shopifytest.APIVersion || d.HMAC == "" ||
		!d.TriggeredAt.Equal(time.Date(2026, 11, 25, 12, 0, 1, 123e6, time.UTC)) {
		t.Fatalf("delivery = %+v", d)
	}
}

func TestReadWebhookAcceptsPreviousSecretDuringRotation(t *testing.T) {
	body := []byte(`{"id":1}`)
	r := shopifytest.NewWebhookRequest("https://app.example/webhooks/shopify", TopicAppUninstalled, testShop, "old-secret", body)
	if _, _, err := ReadWebhook(r, testSecret, "old-secret"); err != nil {
		t.Fatalf("ReadWebhook with old secret listed: %v", err)
	}
}

func TestReadWebhookRejectsBadDeliveries(t *testing.T) {
	body := []byte(`{"id":820982911946154508,"name":"#1001"}`)
	tests := []struct {
		name   string
		mutate func(r *http.Request)
		want   error
	}{
		{"tampered body", func(r *http.Request) { setBody(r, []byte(`{"id":820982911946154508,"name":"#1002"}`)) }, ErrSignature},
		{"signed with another secret", func(r *http.Request) {
			r.Header.Set("X-Shopify-Hmac-Sha256", shopifytest.SignWebhook("other", body))
		}, ErrSignature},
		{"hmac header missing", func(r *http.Request) { r.Header.Del("X-Shopify-Hmac-Sha256") }, ErrSignature},
		{"topic missing", func(r *http.Request) { r.Header.Del("X-Shopify-Topic") }, ErrWebhookHeaders},
		{"webhook id missing", func(r *http.Request) { r.Header.Del("X-Shopify-Webhook-Id") }, ErrWebhookHeaders},
		{"shop domain missing", func(r *http.Request) { r.Header.Del("X-Shopify-Shop-Domain") }, ErrWebhookHeaders},
		{"shop domain not a shop", func(r *http.Request) { r.Header.Set("X-Shopify-Shop-Domain", "evil.com") }, ErrInvalidShop},
		{"body over 5 MB", func(r *http.Request) {
			big := bytes.Repeat([]byte("x"), int(maxWebhookBody)+1)
			setBody(r, big)
			r.Header.Set("X-Shopify-Hmac-Sha256", shopifytest.SignWebhook(testSecret, big))
		}, ErrMalformedPayload},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := shopifytest.NewWebhookRequest("https://app.example/webhooks/shopify", TopicOrdersCreate, testShop, testSecret, body)
			tt.mutate(r)
			d, _, err := ReadWebhook(r, testSecret)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ReadWebhook = %+v, %v; want %v", d, err, tt.want)
			}
		})
	}
}

// restOrderPayload is an orders/updated body in Shopify's REST shape with the
// awkward cases: gateway only in the deprecated field, two tracking numbers
// with one URL, a null shipment_status, a cancelled order, no customer.
const restOrderPayload = `{
  "id": 820982911946154508,
  "admin_graphql_api_id": "gid://shopify/Order/820982911946154508",
  "name": "#9999", "order_number": 1234, "number": 234,
  "created_at": "2026-11-20T10:00:00-05:00", "updated_at": "2026-11-21T16:30:00-05:00",
  "cancelled_at": "2026-11-21T16:30:00-05:00", "cancel_reason": "customer",
  "email": "", "contact_email": "jon@example.com", "phone": null, "customer_locale": "en-CA",
  "currency": "CAD", "total_price": "403.00", "gateway": "cash_on_delivery", "payment_gateway_names": [],
  "customer": null,
  "shipping_address": {"first_name": "Jon", "last_name": "Snow", "address1": "123 Amoebobacterieae St",
    "address2": "", "city": "Ottawa", "province": "Ontario", "province_code": "ON", "zip": "K2P0V6",
    "country": "Canada", "country_code": "CA", "phone": "555-625-1199", "company": null, "name": null},
  "line_items": [{"id": 866550311766439020, "title": "IPod Nano - 8GB", "variant_title": null, "sku": "IPOD-342-N", "quantity": 1, "price": "199.00"}],
  "fulfillments": [{"id": 255858046, "order_id": 820982911946154508, "status": "success", "shipment_status": null,
    "created_at": "2026-11-21T09:00:00-05:00", "updated_at": "2026-11-21T09:05:00-05:00",
    "tracking_company": "Canada Post", "tracking_number": "1234567890123456",
    "tracking_numbers": ["1234567890123456", "6543210987654321"],
    "tracking_url": "https://www.canadapost-postescanada.ca/track-reperage/en#/details/1234567890123456",
    "tracking_urls": ["https://www.canadapost-postescanada.ca/track-reperage/en#/details/1234567890123456"]}]
}`

func TestDecodeOrderReadsRESTPayload(t *testing.T) {
	got, err := DecodeOrder([]byte(restOrderPayload))
	if err != nil {
		t.Fatalf("DecodeOrder: %v", err)
	}
	est := time.FixedZone("", -5*3600)
	want := Order{
		ID: "gid://shopify/Order/820982911946154508", LegacyID: 820982911946154508, Name: "#9999", Number: 1234,
		CreatedAt:   time.Date(2026, 11, 20, 10, 0, 0, 0, est),
		UpdatedAt:   time.Date(2026, 11, 21, 16, 30, 0, 0, est),
		CancelledAt: time.Date(2026, 11, 21, 16, 30, 0, 0, est),
		Email:       "jon@example.com", Locale: "en-CA", Currency: "CAD", Total: "403.00",
		PaymentGateways: []string{"cash_on_delivery"}, COD: true,
		ShippingAddress: Address{
			Name: "Jon Snow", Address1: "123 Amoebobacterieae St", City: "Ottawa", Province: "Ontario",
			ProvinceCode: "ON", Zip: "K2P0V6", Country: "Canada", CountryCode: "CA", Phone: "555-625-1199",
		},
		LineItems: []LineItem{{ID: "gid://shopify/LineItem/866550311766439020", Title: "IPod Nano - 8GB", SKU: "IPOD-342-N", Quantity: 1, Price: "199.00"}},
		Fulfillments: []Fulfillment{{
			ID: "gid://shopify/Fulfillment/255858046", OrderID: "gid://shopify/Order/820982911946154508", Status: "SUCCESS",
			CreatedAt: time.Date(2026, 11, 21, 9, 0, 0, 0, est), UpdatedAt: time.Date(2026, 11, 21, 9, 5, 0, 0, est),
			Tracking: []TrackingInfo{
				{Company: "Canada Post", Number: "1234567890123456", URL: "https://www.canadapost-postescanada.ca/track-reperage/en#/details/1234567890123456"},
				{Company: "Canada Post", Number: "6543210987654321"},
			},
		}},
	}
	if !sameOrder(got, want) {
		t.Fatalf("order =\n%+v\nwant\n%+v", got, want)
	}
	if got.ContactEmail() != "jon@example.com" || got.ContactPhone() != "555-625-1199" {
		t.Fatalf("contact = %q, %q", got.ContactEmail(), got.ContactPhone())
	}
}

// sameOrder compares orders with times compared as instants.
func sameOrder(a, b Order) bool {
	norm := func(o Order) Order {
		o.CreatedAt, o.UpdatedAt, o.CancelledAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC(), o.CancelledAt.UTC()
		fs := append([]Fulfillment(nil), o.Fulfillments...)
		for i := range fs {
			fs[i].CreatedAt, fs[i].UpdatedAt = fs[i].CreatedAt.UTC(), fs[i].UpdatedAt.UTC()
		}
		o.Fulfillments = fs
		return o
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

func TestDecodeFulfillmentReadsRESTPayload(t *testing.T) {
	f := shopifytest.SampleOrder(1001, testNow).Fulfillments[0]
	got, err := DecodeFulfillment(f.WebhookJSON(1001))
	if err != nil {
		t.Fatalf("DecodeFulfillment: %v", err)
	}
	want := Fulfillment{
		ID: "gid://shopify/Fulfillment/10012", OrderID: "gid://shopify/Order/1001", Name: "#10012",
		Status: "SUCCESS", DisplayStatus: "IN_TRANSIT", CreatedAt: testNow.Add(-24 * time.Hour), UpdatedAt: testNow,
		Tracking: []TrackingInfo{{Company: "UPS", Number: "1Z999AA10123456784", URL: "https://www.ups.com/track?tracknum=1Z999AA10123456784"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fulfillment =\n%+v\nwant\n%+v", got, want)
	}
}

func TestDecodeComplianceAndUninstallPayloads(t *testing.T) {
	dr, err := DecodeDataRequest([]byte(`{"shop_id":954889,"shop_domain":"demo.myshopify.com","orders_requested":[299938,280263],"customer":{"id":191167,"email":"john@example.com","phone":"555-625-1199"},"data_request":{"id":9999}}`))
	if err != nil || dr.ShopDomain != testShop || !reflect.DeepEqual(dr.OrdersRequested, []int64{299938, 280263}) || dr.Customer.Email != "john@example.com" || dr.DataRequest.ID != 9999 {
		t.Fatalf("data request = %+v, %v", dr, err)
	}
	cr, err := DecodeCustomerRedact([]byte(`{"shop_id":954889,"shop_domain":"demo.myshopify.com","customer":{"id":191167,"email":"john@example.com","phone":"555-625-1199"},"orders_to_redact":[299938,280263,220458]}`))
	if err != nil || cr.Customer.ID != 191167 || len(cr.OrdersToRedact) != 3 {
		t.Fatalf("customer redact = %+v, %v", cr, err)
	}
	sr, err := DecodeShopRedact([]byte(`{"shop_id":954889,"shop_domain":"demo.myshopify.com"}`))
	if err != nil || sr.ShopID != 954889 || sr.ShopDomain != testShop {
		t.Fatalf("shop redact = %+v, %v", sr, err)
	}
	u, err := DecodeUninstalled([]byte(`{"id":954889,"name":"Demo","domain":"shop.example.com","myshopify_domain":"demo.myshopify.com","plan_name":"basic"}`))
	if err != nil || u.ShopID != 954889 || u.Domain != testShop {
		t.Fatalf("uninstalled = %+v, %v", u, err)
	}
}

func TestDecodersRejectMalformedPayloads(t *testing.T) {
	decoders := map[string]func([]byte) error{
		"order":           func(b []byte) error { _, err := DecodeOrder(b); return err },
		"fulfillment":     func(b []byte) error { _, err := DecodeFulfillment(b); return err },
		"uninstalled":     func(b []byte) error { _, err := DecodeUninstalled(b); return err },
		"data request":    func(b []byte) error { _, err := DecodeDataRequest(b); return err },
		"customer redact": func(b []byte) error { _, err := DecodeCustomerRedact(b); return err },
		"shop redact":     func(b []byte) error { _, err := DecodeShopRedact(b); return err },
	}
	bodies := map[string]string{
		"truncated":     `{"id": 1, "shop_domain": "demo.myshopify.com"`,
		"not an object": `[1,2,3]`,
		"wrong types":   `{"id": "one", "order_id": "two", "shop_id": "x", "shop_domain": 5}`,
		"empty object":  `{}`,
		"empty":         ``,
	}
	for dn, decode := range decoders {
		for bn, body := range bodies {
			if err := decode([]byte(body)); !errors.Is(err, ErrMalformedPayload) {
				t.Errorf("%s decoder on %s body: %v, want ErrMalformedPayload", dn, bn, err)
			}
		}
	}
}

func setBody(r *http.Request, b []byte) {
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.ContentLength = int64(len(b))
}
