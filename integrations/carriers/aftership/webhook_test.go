package aftership

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

const pushBody = `{"ts":1764000000,"event":"tracking_update","event_id":"0b6c1e4e-1d7a-4c55-9a37-3f1b7e0c2a11","is_tracking_first_tag":true,
 "msg":{"tracking_number":"1Z1442YY7229014688","slug":"ups","tag":"OutForDelivery","subtag":"OutForDelivery_001","shipment_type":"UPS Ground",
  "checkpoints":[
   {"checkpoint_time":"2026-11-20T08:00:00-05:00","city":"SECAUCUS","state":"NJ","country_iso3":"USA","message":"Pickup Scan","tag":"InTransit","subtag":"InTransit_002"},
   {"checkpoint_time":"2026-11-21T07:30:00-05:00","city":"PARAMUS","state":"NJ","country_iso3":"USA","message":"Out For Delivery Today","tag":"OutForDelivery","subtag":"OutForDelivery_001"}]}}`

func sign(secret, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func TestVerifyWebhook(t *testing.T) {
	tests := []struct {
		name, secret, body, sig string
		want                    bool
	}{
		{"signed with the secret", "whsec", pushBody, sign("whsec", pushBody), true},
		{"another secret", "whsec", pushBody, sign("other", pushBody), false},
		{"tampered body", "whsec", pushBody + " ", sign("whsec", pushBody), false},
		{"not base64", "whsec", pushBody, "%%%", false},
		{"no secret configured", "", pushBody, sign("", pushBody), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VerifyWebhook(tt.secret, []byte(tt.body), tt.sig); got != tt.want {
				t.Fatalf("VerifyWebhook = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestParseWebhookGivesTheTrackResult(t *testing.T) {
	p, err := New(Config{}).ParseWebhook([]byte(pushBody))
	if err != nil {
		t.Fatal(err)
	}
	r := p.Result
	if p.EventID == "" || r.Number != "1Z1442YY7229014688" || len(r.Events) != 2 || r.Events[1].Stage != tracking.StageOutForDelivery {
		t.Fatalf("push = %+v", p)
	}
	if r.Events[1].Location.City != "PARAMUS" || !r.Events[1].Time.Equal(r.Events[1].Time.UTC()) {
		t.Fatalf("last event = %+v; want Paramus in UTC", r.Events[1])
	}
}

func TestParseWebhookRejectsMalformedBodies(t *testing.T) {
	for _, body := range []string{`{`, `{"event":"tracking_update"}`, `{"event_id":"x","msg":{}}`} {
		if _, err := New(Config{}).ParseWebhook([]byte(body)); !errors.Is(err, ErrMalformedPush) {
			t.Errorf("ParseWebhook(%s) err = %v; want ErrMalformedPush", body, err)
		}
	}
}
