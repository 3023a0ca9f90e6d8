package fedex

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"os"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

func TestVerifyPushChecksTheFdxSignature(t *testing.T) {
	body, _ := os.ReadFile("testdata/push/track_results_derived.json")
	sign := func(token string) string {
		m := hmac.New(sha256.New, []byte(token))
		m.Write(body)
		return base64.StdEncoding.EncodeToString(m.Sum(nil))
	}
	tests := []struct {
		name, token, header string
		want                bool
	}{
		{"signed with the project's token", "project-token", sign("project-token"), true},
		{"signed with another", "project-token", sign("guess"), false},
		{"not base64", "project-token", "%%%", false},
		{"missing", "project-token", "", false},
		{"no token configured", "", sign(""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set(PushHeader, tt.header)
			}
			if got := VerifyPush(tt.token, h, body); got != tt.want {
				t.Fatalf("VerifyPush = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestParsePushReadsTrackResults(t *testing.T) {
	body, _ := os.ReadFile("testdata/push/track_results_derived.json")
	res, err := New(Config{}).ParsePush(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Number != "776094337676" || tracking.Derive(res[0].Events, tracking.State{}).Stage != tracking.StageDelivered {
		t.Fatalf("ParsePush = %+v; want 776094337676 delivered", res)
	}
	if _, err := New(Config{}).ParsePush([]byte(`{"output":{}}`)); err == nil {
		t.Fatal("ParsePush with no result succeeded")
	}
}
