package ups

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

func TestParsePushReadsTrackAlertExamples(t *testing.T) {
	tests := []struct {
		file    string
		number  string
		stage   tracking.Stage
		at      time.Time
		promise string
	}{
		{"manifest.json", "1ZABCXYZ0112346789", tracking.StagePacked, time.Date(2024, 4, 22, 4, 12, 30, 0, time.UTC), ""},
		{"on_the_way.json", "1ZABCXYZ0112346789", tracking.StageInTransit, time.Date(2024, 4, 23, 2, 54, 0, 0, time.UTC), "2024-04-23"},
		{"out_for_delivery.json", "1Z204W4R0308071865", tracking.StageOutForDelivery, time.Date(2024, 4, 23, 13, 15, 19, 0, time.UTC), "2024-04-23"},
		{"delivered.json", "1Z204W4R0308071865", tracking.StageDelivered, time.Date(2024, 4, 23, 13, 50, 4, 0, time.UTC), ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body, err := os.ReadFile("testdata/push/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			res, err := New(Config{}).ParsePush(body)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 1 || res[0].Number != tt.number || len(res[0].Events) != 1 {
				t.Fatalf("ParsePush = %+v; want one result for %s with one event", res, tt.number)
			}
			e := res[0].Events[0]
			if e.Stage != tt.stage || !e.Time.Equal(tt.at) {
				t.Fatalf("event = %s at %s; want %s at %s", e.Stage, e.Time, tt.stage, tt.at)
			}
			if got := res[0].Promised.Latest; tt.promise != "" && got.Format(time.DateOnly) != tt.promise {
				t.Fatalf("promised = %+v; want %s", res[0].Promised, tt.promise)
			}
		})
	}
}

func TestParsePushRejectsWhatIsNotAnEvent(t *testing.T) {
	for _, body := range []string{`not json`, `{}`, `{"trackingNumber":"1Z204W4R0308071865"}`} {
		if _, err := New(Config{}).ParsePush([]byte(body)); err == nil {
			t.Errorf("ParsePush(%s) succeeded; want ErrMalformedPush", body)
		}
	}
}

func TestVerifyPushWantsTheEchoedCredential(t *testing.T) {
	tests := []struct {
		name, secret, header string
		want                 bool
	}{
		{"echoed", "s3cret-credential", "s3cret-credential", true},
		{"forged", "s3cret-credential", "guess", false},
		{"missing", "s3cret-credential", "", false},
		{"no credential configured", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set(PushHeader, tt.header)
			}
			if got := VerifyPush(tt.secret, h); got != tt.want {
				t.Fatalf("VerifyPush = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestSubscribeSendsTheDocumentedRequest(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var got struct {
		TrackingNumberList []string `json:"trackingNumberList"`
		Destination        struct {
			URL, CredentialType, Credential string
		} `json:"destination"`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/security/v1/oauth/token":
			w.Write([]byte(`{"access_token":"tok","expires_in":"14399","token_type":"Bearer"}`))
		case "/api/track/v1/subscription/standard/package":
			b, _ := io.ReadAll(r.Body)
			json.Unmarshal(b, &got)
			if r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("transId") == "" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			w.Write([]byte(`{"validTrackingNumbers":["1Z12345678912345560"],"invalidTrackingNumbers":["1Z1234567$8"]}`))
		}
	}))
	defer srv.Close()
	c := New(Config{BaseURL: srv.URL, ClientID: "id", ClientSecret: "secret", Now: func() time.Time { return now }})
	subs, rejected, err := c.Subscribe(context.Background(), []string{"1Z12345678912345560", "1Z1234567$8"}, tracking.PushHook{URL: "https://app.example/webhooks/carriers/ups", Secret: "cred"})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].Number != "1Z12345678912345560" || !subs[0].Expires.Equal(now.Add(SubscriptionLife)) {
		t.Fatalf("subscriptions = %+v; want the valid number for 14 days", subs)
	}
	if len(rejected) != 1 || rejected[0] != "1Z1234567$8" {
		t.Fatalf("rejected = %v; want the invalid number", rejected)
	}
	if got.Destination.URL != "https://app.example/webhooks/carriers/ups" || got.Destination.Credential != "cred" || len(got.TrackingNumberList) != 2 {
		t.Fatalf("request = %+v; want the hook and both numbers", got)
	}
	if _, _, err := c.Subscribe(context.Background(), make([]string, SubscribeBatch+1), tracking.PushHook{}); err == nil {
		t.Fatal("Subscribe with 101 numbers succeeded; want an error")
	}
}
