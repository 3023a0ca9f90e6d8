package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
)

// fakeProviders answers SendGrid's v3 mail send and Twilio's Messages API
// on one host. Each recipient gets the scripted HTTP statuses in turn (the
// last one repeats), so one app can face several outages at once.
type fakeProviders struct {
	mu       sync.Mutex
	script   map[string][]int
	calls    map[string]int
	accepted map[string]int
}

func newFakeProviders(t *testing.T, script map[string][]int) (*fakeProviders, *httptest.Server) {
	t.Helper()
	f := &fakeProviders{script: script, calls: map[string]int{}, accepted: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeProviders) serve(w http.ResponseWriter, r *http.Request) {
	var to string
	sendgrid := r.URL.Path == "/v3/mail/send"
	switch {
	case sendgrid:
		var m struct {
			Personalizations []struct {
				To []struct{ Email string } `json:"to"`
			} `json:"personalizations"`
		}
		body, _ := io.ReadAll(r.Body)
		if json.Unmarshal(body, &m) != nil || len(m.Personalizations) == 0 || len(m.Personalizations[0].To) == 0 {
			http.Error(w, `{"errors":[{"message":"bad request"}]}`, http.StatusBadRequest)
			return
		}
		to = m.Personalizations[0].To[0].Email
	case strings.HasPrefix(r.URL.Path, "/2010-04-01/Accounts/"+testTwilioSID+"/Messages.json"):
		r.ParseForm()
		to = r.PostForm.Get("To")
	default:
		http.NotFound(w, r)
		return
	}
	f.mu.Lock()
	steps := f.script[to]
	status := http.StatusInternalServerError
	if n := f.calls[to]; n < len(steps) {
		status = steps[n]
	} else if len(steps) > 0 {
		status = steps[len(steps)-1]
	}
	f.calls[to]++
	if status < 300 {
		f.accepted[to]++
	}
	f.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	switch {
	case sendgrid && status < 300:
		w.Header().Set("X-Message-Id", "sg-"+to)
		w.WriteHeader(status)
	case sendgrid && status == http.StatusBadRequest:
		w.WriteHeader(status)
		io.WriteString(w, `{"errors":[{"message":"The from address does not match a verified Sender Identity.","field":"from","help":null}]}`)
	case sendgrid:
		w.WriteHeader(status)
		io.WriteString(w, `{"errors":[{"message":"Internal server error","field":null,"help":null}]}`)
	case status < 300:
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"sid":"SM-%s","status":"queued","to":%q,"account_sid":%q}`, strings.TrimPrefix(to, "+"), to, testTwilioSID)
	case status == http.StatusBadRequest:
		w.WriteHeader(status)
		io.WriteString(w, `{"code":21211,"message":"The 'To' number is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}`)
	default:
		w.WriteHeader(status)
		io.WriteString(w, `{"code":20500,"message":"Internal Server Error","more_info":"https://www.twilio.com/docs/errors/20500","status":500}`)
	}
}

func (f *fakeProviders) count(to string) (calls, accepted int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[to], f.accepted[to]
}

func TestProviderOutagesRetryAndPermanentErrorsFail(t *testing.T) {
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
	eachDB(t, func(t *testing.T, dbURL string) {
		script := map[string][]int{}
		for _, tt := range tests {
			script[tt.to] = tt.script
		}
		fake, srv := newFakeProviders(t, script)
		cfg := twilioConfig()
		cfg.SendGridAPIKey, cfg.SendGridBaseURL, cfg.EmailFrom, cfg.TwilioBaseURL = "SG.test", srv.URL, "updates@ordertrack.test", srv.URL
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
				waitUntil(t, "the message to leave scheduled", func() bool {
					got = reload(t, a, n.ID)
					return got.Status != storage.NotificationScheduled
				})
				calls, accepted := fake.count(tt.to)
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
