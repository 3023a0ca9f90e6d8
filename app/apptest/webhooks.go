package apptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/integrations/woocommerce/wootest"
)

// PostShopifyWebhook delivers body to the app at base as Shopify does from
// shop: topic, webhook id and the HMAC signature under secret. It returns
// the status.
func PostShopifyWebhook(t testing.TB, base, shop, topic, id string, body []byte, secret string) int {
	t.Helper()
	res, _ := Do(t, Request(t, http.MethodPost, base+"/webhooks/shopify", bytes.NewReader(body), http.Header{
		"Content-Type":          {"application/json"},
		"X-Shopify-Topic":       {topic},
		"X-Shopify-Shop-Domain": {shop},
		"X-Shopify-Webhook-Id":  {id},
		"X-Shopify-Hmac-Sha256": {shopifytest.SignWebhook(secret, body)},
	}))
	return res.StatusCode
}

// PostWooDelivery delivers body for topic to a WooCommerce webhook URL of
// the app, signed with secret as a store's webhook 1001 does, and returns
// the delivery id and the status.
func PostWooDelivery(t testing.TB, hookURL, secret, topic string, body []byte) (deliveryID string, status int) {
	t.Helper()
	req := wootest.DeliveryRequest(hookURL, secret, topic, 1001, body)
	res, _ := Do(t, req)
	return req.Header.Get(woocommerce.HeaderDeliveryID), res.StatusCode
}

// SendGridKey is a Signed Event Webhook key pair as SendGrid makes it:
// P-256 ECDSA, the public half shown base64 DER in its settings page.
func SendGridKey(t testing.TB) (*ecdsa.PrivateKey, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return key, base64.StdEncoding.EncodeToString(der)
}

// PostSendGridEvents posts an event webhook body to the app at base, signed
// the way SendGrid signs it at time at (ECDSA over sha256 of timestamp +
// body, ASN.1 DER, base64), and returns the status.
func PostSendGridEvents(t testing.TB, base string, key *ecdsa.PrivateKey, body string, at time.Time) int {
	t.Helper()
	ts := strconv.FormatInt(at.Unix(), 10)
	digest := sha256.Sum256([]byte(ts + body))
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	res, _ := Do(t, Request(t, http.MethodPost, base+"/webhooks/messaging/sendgrid", strings.NewReader(body), http.Header{
		"Content-Type":                           {"application/json"},
		"X-Twilio-Email-Event-Webhook-Signature": {base64.StdEncoding.EncodeToString(sig)},
		"X-Twilio-Email-Event-Webhook-Timestamp": {ts},
	}))
	return res.StatusCode
}

// TwilioSignature is X-Twilio-Signature as Twilio documents it: base64
// HMAC-SHA1, keyed with the auth token, of the full URL followed by each
// POST parameter's name and value, sorted by name.
func TwilioSignature(token, fullURL string, form url.Values) string {
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range slices.Sorted(maps.Keys(form)) {
		b.WriteString(k + form.Get(k))
	}
	m := hmac.New(sha1.New, []byte(token))
	m.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// PostTwilio posts form to pathQuery of the app at base, signed with token
// as Twilio calls the app's public URL, and returns the status and body.
func PostTwilio(t testing.TB, base, pathQuery, token string, form url.Values) (int, string) {
	t.Helper()
	res, body := Do(t, Request(t, http.MethodPost, base+pathQuery, strings.NewReader(form.Encode()), http.Header{
		"Content-Type":       {"application/x-www-form-urlencoded"},
		"X-Twilio-Signature": {TwilioSignature(token, base+pathQuery, form)},
	}))
	return res.StatusCode, body
}

// AfterShipSignature signs a push body the way AfterShip does: base64 of
// its HMAC-SHA256 under the webhook secret.
func AfterShipSignature(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// PostAfterShip sends an AfterShip tracking push carrying signature sig to
// the app at base and returns the status.
func PostAfterShip(t testing.TB, base string, body []byte, sig string) int {
	t.Helper()
	res, _ := Do(t, Request(t, http.MethodPost, base+"/webhooks/carriers/aftership", bytes.NewReader(body),
		http.Header{"Aftership-Hmac-Sha256": {sig}}))
	return res.StatusCode
}

// PostUPSPush sends a UPS Track Alert event to the app at base as UPS's
// push service does, with credential (the subscription's secret) when
// non-empty, and returns the status.
func PostUPSPush(t testing.TB, base string, body []byte, credential string) int {
	t.Helper()
	h := http.Header{"Content-Type": {"application/json"}, "User-Agent": {"UPSPubSubTrackingService"}}
	if credential != "" {
		h.Set("credential", credential)
	}
	res, _ := Do(t, Request(t, http.MethodPost, base+"/webhooks/carriers/ups", bytes.NewReader(body), h))
	return res.StatusCode
}
