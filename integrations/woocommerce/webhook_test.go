package woocommerce_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/integrations/woocommerce/wootest"
)

// Golden signatures computed with PHP 8.2:
// base64_encode(hash_hmac('sha256', $body, wp_specialchars_decode($secret, ENT_QUOTES), true)).
var signatureVectors = []struct {
	name, secret, body, signature string
}{
	{"plain secret", "s3cr3t-Key", `{"id":42,"status":"completed"}`, "JwPRgs52uC3fa82dDWi4Xa8KRp4ERNDHdyQ6axln0lk="},
	{"secret with HTML entities is decoded first", "a&amp;b&#039;c&quot;d", `{"id":42}`, "H56dmOTvvH4qmFYDtnp8utIYpPDFrrhoUiVoerron2w="},
}

func TestVerifyAcceptsWooCommerceSignatures(t *testing.T) {
	for _, v := range signatureVectors {
		t.Run(v.name, func(t *testing.T) {
			if !woocommerce.Verify(v.secret, []byte(v.body), v.signature) {
				t.Errorf("Verify rejected the signature PHP computed")
			}
		})
	}
}

func TestSignMatchesWooCommerce(t *testing.T) {
	for _, v := range signatureVectors {
		t.Run(v.name, func(t *testing.T) {
			if got := wootest.Sign(v.secret, []byte(v.body)); got != v.signature {
				t.Errorf("Sign = %s, PHP computed %s", got, v.signature)
			}
		})
	}
}

func TestVerifyRejectsForgedDeliveries(t *testing.T) {
	body := []byte(`{"id":42,"status":"completed"}`)
	good := wootest.Sign("s3cr3t-Key", body)
	tests := []struct {
		name, secret, body, signature string
	}{
		{"tampered body", "s3cr3t-Key", `{"id":43,"status":"completed"}`, good},
		{"wrong secret", "other", string(body), good},
		{"empty signature", "s3cr3t-Key", string(body), ""},
		{"not base64", "s3cr3t-Key", string(body), "%%%"},
		{"hex instead of base64", "s3cr3t-Key", string(body), "270fd182ce76b82ddf6bcd9d0d68b85daf0a468e0444d0c7772" + "43a6b1967d249"},
		{"empty secret never verifies", "", string(body), wootest.Sign("", body)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if woocommerce.Verify(tt.secret, []byte(tt.body), tt.signature) {
				t.Errorf("Verify accepted a forged delivery")
			}
		})
	}
}

func TestIsPingRecognisesOnlyTheCreationPing(t *testing.T) {
	signed := wootest.DeliveryRequest("https://app.example/webhooks/woocommerce/1", "k", "order.updated", 7, []byte(`webhook_id=7`))
	tests := []struct {
		name   string
		header http.Header
		body   string
		want   bool
	}{
		{"ping", wootest.PingRequest("https://app.example/h", 17).Header, "webhook_id=17", true},
		{"ping with trailing newline", http.Header{}, "webhook_id=17\n", true},
		{"signed delivery with a ping-like body", signed.Header, "webhook_id=7", false},
		{"non-numeric id", http.Header{}, "webhook_id=abc", false},
		{"JSON body", http.Header{}, `{"webhook_id":17}`, false},
		{"extra fields", http.Header{}, "webhook_id=17&x=1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := woocommerce.IsPing(tt.header, []byte(tt.body)); got != tt.want {
				t.Errorf("IsPing = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseDeliveryReadsWooCommerceHeaders(t *testing.T) {
	body := []byte(`{"action":"wc_ordertrack_tracking_updated","arg":42}`)
	req := wootest.DeliveryRequest("https://app.example/h", "sec", woocommerce.TopicTrackingUpdated, 31, body)
	d, err := woocommerce.ParseDelivery(req.Header)
	if err != nil {
		t.Fatalf("ParseDelivery: %v", err)
	}
	want := woocommerce.Delivery{
		Topic: "action.wc_ordertrack_tracking_updated", Resource: "action", Event: "wc_ordertrack_tracking_updated",
		WebhookID: 31, DeliveryID: req.Header.Get("X-WC-Webhook-Delivery-ID"), Source: "https://shop.example/",
		Signature: wootest.Sign("sec", body),
	}
	if d != want {
		t.Errorf("ParseDelivery = %+v, want %+v", d, want)
	}
	if !woocommerce.Verify("sec", body, d.Signature) {
		t.Errorf("signature from the parsed delivery does not verify")
	}
}

func TestParseDeliveryRejectsRequestsWithoutWebhookHeaders(t *testing.T) {
	withBadID := wootest.DeliveryRequest("https://app.example/h", "s", "order.updated", 1, []byte(`{}`)).Header
	withBadID.Set("X-WC-Webhook-ID", "one")
	noSignature := wootest.DeliveryRequest("https://app.example/h", "s", "order.updated", 1, []byte(`{}`)).Header
	noSignature.Del("X-WC-Webhook-Signature")
	tests := []struct {
		name string
		h    http.Header
	}{
		{"ping headers", wootest.PingRequest("https://app.example/h", 1).Header},
		{"no signature", noSignature},
		{"non-numeric webhook id", withBadID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := woocommerce.ParseDelivery(tt.h); !errors.Is(err, woocommerce.ErrNotDelivery) {
				t.Errorf("ParseDelivery error = %v, want ErrNotDelivery", err)
			}
		})
	}
}

func TestNewSecretIsAlphanumeric(t *testing.T) {
	a, err := woocommerce.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := woocommerce.NewSecret()
	if len(a) != 40 || a == b {
		t.Fatalf("NewSecret gave %q and %q, want two different 40-char secrets", a, b)
	}
	for _, r := range a {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			t.Fatalf("NewSecret %q contains %q; WooCommerce would HTML-decode special characters", a, r)
		}
	}
}
