package usps

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

func sign(secret string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}

func TestVerifyPushChecksTheHMAC(t *testing.T) {
	body, _ := os.ReadFile("testdata/push/notification_derived.json")
	const secret = "0123456789abcdef0123456789abcdef"
	tests := []struct {
		name, secret, header string
		want                 bool
	}{
		{"base64", secret, base64.StdEncoding.EncodeToString(sign(secret, body)), true},
		{"hex", secret, hex.EncodeToString(sign(secret, body)), true},
		{"another secret", secret, base64.StdEncoding.EncodeToString(sign("other", body)), false},
		{"missing", secret, "", false},
		{"no secret configured", "", base64.StdEncoding.EncodeToString(sign("", body)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set(PushHeader, tt.header)
			}
			if got := VerifyPush(tt.secret, h, body); got != tt.want {
				t.Fatalf("VerifyPush = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestParsePushReadsANotification(t *testing.T) {
	tests := []struct {
		file   string
		number string
		stage  tracking.Stage
	}{
		{"notification_derived.json", "9202290317456200135409", tracking.StageInTransit},
		{"delivered_derived.json", "9261290289104185136058", tracking.StageDelivered},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body, _ := os.ReadFile("testdata/push/" + tt.file)
			res, err := New(Config{}).ParsePush(body)
			if err != nil {
				t.Fatal(err)
			}
			st := tracking.Derive(res[0].Events, tracking.State{})
			if len(res) != 1 || res[0].Number != tt.number || st.Stage != tt.stage {
				t.Fatalf("ParsePush = %s %s; want %s %s", res[0].Number, st.Stage, tt.number, tt.stage)
			}
		})
	}
	if _, err := New(Config{}).ParsePush([]byte(`{"mailClass":"x"}`)); err == nil {
		t.Fatal("ParsePush without a tracking number succeeded")
	}
}

func TestSubscribeAndUnsubscribe(t *testing.T) {
	var filters []string
	var deleted []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/oauth2/v3/token":
			w.Write([]byte(`{"access_token":"tok","token_type":"Bearer","expires_in":28799}`))
		case r.Method == http.MethodPost && r.URL.Path == "/subscriptions-tracking/v3/subscriptions":
			var b struct {
				ListenerURL, Secret string
				FilterProperties    struct{ TrackingNumber string } `json:"filterProperties"`
			}
			raw, _ := io.ReadAll(r.Body)
			json.Unmarshal(raw, &b)
			if b.FilterProperties.TrackingNumber == "BAD" {
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(`{"error":{"code":"400","message":"invalid tracking number"}}`))
				return
			}
			filters = append(filters, b.FilterProperties.TrackingNumber+"@"+b.ListenerURL+"#"+b.Secret)
			w.Write([]byte(`{"subscriptionId":"sub-` + b.FilterProperties.TrackingNumber + `"}`))
		case r.Method == http.MethodDelete:
			deleted = append(deleted, r.URL.Path)
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer srv.Close()
	c := New(Config{BaseURL: srv.URL, ClientID: "id", ClientSecret: "s"})
	subs, rejected, err := c.Subscribe(context.Background(), []string{"9400100000000000000000", "BAD"}, tracking.PushHook{URL: "https://app.example/webhooks/carriers/usps", Secret: "sec"})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].ID != "sub-9400100000000000000000" || len(rejected) != 1 || rejected[0] != "BAD" {
		t.Fatalf("Subscribe = %+v, rejected %v; want one subscription and BAD refused", subs, rejected)
	}
	if len(filters) != 1 || filters[0] != "9400100000000000000000@https://app.example/webhooks/carriers/usps#sec" {
		t.Fatalf("requests = %v; want the number, listener and secret", filters)
	}
	if err := c.Unsubscribe(context.Background(), subs[0]); err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 1 || deleted[0] != "/subscriptions-tracking/v3/subscriptions/sub-9400100000000000000000" {
		t.Fatalf("deleted = %v; want the subscription", deleted)
	}
}
