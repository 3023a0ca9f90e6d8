package app

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
)

func TestProviderOutagesRetryAndPermanentErrorsFail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		channel      string
		to           string
		script       []int
		wantStatus   string
		wantCalls    int
		wantAccepted int
		wantProvider string
		wantError    string
	}{
		{"sendgrid 500 then accepted", "email", "outage@example.com", []int{500, 202}, storage.NotificationSent, 2, 1, "sg-outage@example.com", ""},
		{"sendgrid 400 is permanent", "email", "rejected@example.com", []int{400}, storage.NotificationFailed, 1, 0, "", "verified Sender Identity"},
		{"twilio 500 then accepted", "sms", "+15557770001", []int{500, 201}, storage.NotificationSent, 2, 1, "SM-15557770001", ""},
		{"twilio 400 is permanent", "sms", "+15557770002", []int{400}, storage.NotificationFailed, 1, 0, "", "21211"},
	}
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		fake := apptest.NewProviders(t)
		for _, tt := range tests {
			fake.Script(tt.to, tt.script...)
		}
		cfg := twilioConfig()
		cfg.SendGridAPIKey, cfg.SendGridBaseURL, cfg.EmailFrom, cfg.TwilioBaseURL = "SG.test", fake.URL, "updates@ordertrack.test", fake.URL
		a, _ := startApp(t, dbURL, cfg)
		ctx := context.Background()
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				fx := seedShopper(t, a, fmt.Sprintf("outage-%d.myshopify.com", i), tt.to, "")
				n := logMessage(t, a, fx.ships[0], "out_for_delivery", tt.channel, storage.NotificationScheduled, tt.to, 0)
				if _, err := a.jobs.Insert(ctx, jobs.SendArgs{NotificationID: n.ID}, nil); err != nil {
					t.Fatal(err)
				}
				var got *storage.Notification
				apptest.WaitUntil(t, "the message to leave scheduled", func() bool {
					got = reload(t, a, n.ID)
					return got.Status != storage.NotificationScheduled
				})
				calls, accepted := fake.Tries(tt.to)
				if got.Status != tt.wantStatus || calls != tt.wantCalls || got.Attempts != tt.wantCalls || accepted != tt.wantAccepted {
					t.Fatalf("status %q (%s) after %d calls, %d accepted (%d attempts logged); want %q after %d, %d accepted",
						got.Status, got.Error, calls, accepted, got.Attempts, tt.wantStatus, tt.wantCalls, tt.wantAccepted)
				}
				// A sent message has its provider id and no error; a failed one
				// shows the provider's reason.
				if got.ProviderID != tt.wantProvider || !strings.Contains(got.Error, tt.wantError) || (got.Error == "") != (tt.wantError == "") {
					t.Fatalf("provider id %q, error %q; want %q and an error containing %q", got.ProviderID, got.Error, tt.wantProvider, tt.wantError)
				}
			})
		}
	})
}
