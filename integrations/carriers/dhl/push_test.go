package dhl

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

func TestVerifyPushWantsOurHeaderAndToken(t *testing.T) {
	tests := []struct {
		name, token, header string
		want                bool
	}{
		{"our token", "tok-123", "tok-123", true},
		{"forged", "tok-123", "tok-124", false},
		{"missing", "tok-123", "", false},
		{"no token configured", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set(PushHeader, tt.header)
			}
			if got := VerifyPush(tt.token, h); got != tt.want {
				t.Fatalf("VerifyPush = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestParsePushReadsEveryShipment(t *testing.T) {
	body, _ := os.ReadFile("testdata/push/two_shipments_derived.json")
	res, err := New(Config{}).ParsePush(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Number != "7837177526" || res[1].Number != "9750874965" || len(res[1].Events) == 0 {
		t.Fatalf("ParsePush = %d results; want both waybills with their events", len(res))
	}
	if _, err := New(Config{}).ParsePush([]byte(`{"shipments":[]}`)); err == nil {
		t.Fatal("ParsePush of no shipment succeeded")
	}
}

func TestSubscribeSendsOurHookAndToken(t *testing.T) {
	var got struct {
		Hook           hook   `json:"hook"`
		Type           string `json:"type"`
		TrackingNumber string `json:"trackingNumber"`
	}
	var deleted string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("DHL-API-Key") != "key" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch r.Method {
		case http.MethodPost:
			raw, _ := io.ReadAll(r.Body)
			json.Unmarshal(raw, &got)
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"id":"6f1c"}`))
		case http.MethodDelete:
			deleted = r.URL.Path
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer srv.Close()
	c := New(Config{BaseURL: srv.URL, APIKey: "key"})
	subs, _, err := c.Subscribe(context.Background(), []string{"7837177526"}, tracking.PushHook{URL: "https://app.example/webhooks/carriers/dhl", Secret: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].ID != "6f1c" || got.TrackingNumber != "7837177526" || got.Type != "TrackingID" {
		t.Fatalf("Subscribe = %+v, request %+v", subs, got)
	}
	if got.Hook.URI != "https://app.example/webhooks/carriers/dhl" || got.Hook.Authentication.Header != PushHeader || got.Hook.Authentication.Token != "tok" {
		t.Fatalf("hook = %+v; want our URL, header and token", got.Hook)
	}
	if err := c.Unsubscribe(context.Background(), subs[0]); err != nil || deleted != "/tracking/push/v1/subscription/6f1c" {
		t.Fatalf("Unsubscribe = %v, deleted %q", err, deleted)
	}
}
