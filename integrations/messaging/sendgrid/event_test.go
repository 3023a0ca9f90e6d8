package sendgrid

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"reflect"
	"testing"
	"time"
)

// webhookKey is a P-256 key pair like the one SendGrid generates when the
// Signed Event Webhook is enabled; the public half is shown base64 DER.
type webhookKey struct {
	priv      *ecdsa.PrivateKey
	publicB64 string
}

func newWebhookKey(t *testing.T) webhookKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generate key: %v", err)
	}
	der, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatalf("marshal public key: %v", err)
	}
	return webhookKey{priv: priv, publicB64: base64.StdEncoding.EncodeToString(der)}
}

// sign signs the way SendGrid does: ECDSA over sha256(timestamp + payload),
// ASN.1 DER, base64.
func (k webhookKey) sign(t *testing.T, timestamp string, payload []byte) string {
	t.Helper()
	sum := sha256.Sum256(append([]byte(timestamp), payload...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.priv, sum[:])
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

const eventsBody = `[
  {"email":"ana@example.com","timestamp":1700000100,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"delivered","category":["ordertrack","shipped"],"sg_event_id":"ZGVsaXZlcmVk","sg_message_id":"14c5d75ce93dfd64b469.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0","response":"250 OK","message_id":"msg_42"},
  {"email":"bo@example.com","timestamp":1700000200,"event":"bounce","category":"shipped","sg_event_id":"Ym91bmNl","sg_message_id":"aaa111.filter0001.0","reason":"500 unknown recipient","status":"5.0.0","type":"bounce","message_id":"msg_43"},
  {"email":"cy@example.com","timestamp":1700000300,"event":"deferred","sg_event_id":"ZGVmZXJyZWQ","sg_message_id":"bbb222.filter0002.0","response":"400 try again later","attempt":"5","message_id":"msg_44"},
  {"email":"ana@example.com","timestamp":1700000400,"event":"click","sg_event_id":"Y2xpY2s","sg_message_id":"14c5d75ce93dfd64b469.filter0003.0","url":"https://track.example/t/abc","useragent":"Mozilla/5.0","ip":"255.255.255.255","message_id":"msg_42"},
  {"email":"dee@example.com","timestamp":1700000500,"event":"processed","sg_event_id":"cHJvY2Vzc2Vk","sg_message_id":"ccc333.filter0004.0"}
]`

// signedAt is the time the tests' requests are signed at, "1700000600".
var signedAt = time.Unix(1700000600, 0)

func TestVerifyEventAcceptsSendGridSignature(t *testing.T) {
	k := newWebhookKey(t)
	body := []byte(eventsBody)
	ts := "1700000600"

	if err := VerifyEvent(k.publicB64, body, k.sign(t, ts, body), ts, signedAt); err != nil {
		t.Fatalf("VerifyEvent on a genuine signature: %v", err)
	}
}

func TestVerifyEventRejectsForgeries(t *testing.T) {
	k := newWebhookKey(t)
	other := newWebhookKey(t)
	body := []byte(eventsBody)
	ts := "1700000600"
	good := k.sign(t, ts, body)

	tests := []struct {
		name      string
		body      []byte
		signature string
		timestamp string
	}{
		{"altered body", []byte(eventsBody + " "), good, ts},
		{"altered timestamp", body, good, "1700000601"},
		{"signed by another key", body, other.sign(t, ts, body), ts},
		{"missing signature", body, "", ts},
		{"missing timestamp", body, good, ""},
		{"signature not base64", body, "%%%", ts},
		{"signature not DER", body, base64.StdEncoding.EncodeToString([]byte("nope")), ts},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifyEvent(k.publicB64, tt.body, tt.signature, tt.timestamp, signedAt)
			if !errors.Is(err, ErrInvalidSignature) {
				t.Errorf("VerifyEvent = %v, want ErrInvalidSignature", err)
			}
		})
	}
}

func TestVerifyEventRejectsOldAndFutureTimestamps(t *testing.T) {
	k := newWebhookKey(t)
	body := []byte(eventsBody)
	tests := []struct {
		name string
		now  time.Time
		want error
	}{
		{"just signed", signedAt.Add(time.Second), nil},
		{"ten minutes later", signedAt.Add(EventWindow), nil},
		{"ten minutes and a second later", signedAt.Add(EventWindow + time.Second), ErrStaleEvent},
		{"replayed a day later", signedAt.Add(24 * time.Hour), ErrStaleEvent},
		{"signed eleven minutes ahead of our clock", signedAt.Add(-11 * time.Minute), ErrStaleEvent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := "1700000600"
			err := VerifyEvent(k.publicB64, body, k.sign(t, ts, body), ts, tt.now)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("VerifyEvent at %s = %v, want %v", tt.now.Sub(signedAt), err, tt.want)
			}
		})
	}
}

func TestVerifyEventReportsUnusableKey(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	rsaDER, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  string
	}{
		{"not base64", "***"},
		{"not a public key", base64.StdEncoding.EncodeToString([]byte("hello"))},
		{"RSA instead of ECDSA", base64.StdEncoding.EncodeToString(rsaDER)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifyEvent(tt.key, []byte("[]"), "c2ln", "1", signedAt)
			if err == nil || errors.Is(err, ErrInvalidSignature) {
				t.Errorf("VerifyEvent = %v, want a key error", err)
			}
		})
	}
}

func TestParseEventsMapsWebhookFields(t *testing.T) {
	got, err := ParseEvents([]byte(eventsBody))
	if err != nil {
		t.Fatalf("ParseEvents: %v", err)
	}
	want := []Event{
		{MessageID: "msg_42", ProviderID: "14c5d75ce93dfd64b469", EventID: "ZGVsaXZlcmVk", Event: "delivered", Email: "ana@example.com", Timestamp: time.Unix(1700000100, 0).UTC(), Reason: "250 OK"},
		{MessageID: "msg_43", ProviderID: "aaa111", EventID: "Ym91bmNl", Event: "bounce", Email: "bo@example.com", Timestamp: time.Unix(1700000200, 0).UTC(), Reason: "500 unknown recipient", BounceType: "bounce"},
		{MessageID: "msg_44", ProviderID: "bbb222", EventID: "ZGVmZXJyZWQ", Event: "deferred", Email: "cy@example.com", Timestamp: time.Unix(1700000300, 0).UTC(), Reason: "400 try again later"},
		{MessageID: "msg_42", ProviderID: "14c5d75ce93dfd64b469", EventID: "Y2xpY2s", Event: "click", Email: "ana@example.com", Timestamp: time.Unix(1700000400, 0).UTC(), URL: "https://track.example/t/abc"},
		{ProviderID: "ccc333", EventID: "cHJvY2Vzc2Vk", Event: "processed", Email: "dee@example.com", Timestamp: time.Unix(1700000500, 0).UTC()},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseEvents =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseEventsRejectsMalformedBody(t *testing.T) {
	tests := []struct{ name, body string }{
		{"not JSON", "delivered"},
		{"object instead of array", `{"event":"delivered"}`},
		{"timestamp as text", `[{"event":"delivered","timestamp":"yesterday"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseEvents([]byte(tt.body)); err == nil {
				t.Errorf("ParseEvents(%s) succeeded, want an error", tt.body)
			}
		})
	}
}
