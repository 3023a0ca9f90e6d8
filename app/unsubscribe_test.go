package app

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
)

// optedOut lists the channels the fixture's shopper has opted out of.
func optedOut(t *testing.T, a *App, fx shopperFixture) []string {
	t.Helper()
	cs, err := a.db.Contacts(context.Background(), fx.shop.ID, fx.order.Email, fx.order.Phone)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		if c.OptedOut {
			out = append(out, c.Channel)
		}
	}
	slices.Sort(out)
	return out
}

// TestUnsubscribeLinkAsksBeforeOptingOut opens and posts the link of every
// message: opening it (as mail scanners do) changes nothing, the form stops
// the chosen channel or all of them, and a mail client's RFC 8058 one-click
// POST, which carries no form token, stops the channel in the URL.
func TestUnsubscribeLinkAsksBeforeOptingOut(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		method   string
		query    string
		body     string
		wantCode int
		wantPage string
		wantOut  []string
	}{
		{"opening the link", http.MethodGet, "?channel=email", "", http.StatusOK, `<input type="radio" name="channel" value="email" checked>`, nil},
		{"opening an SMS link", http.MethodGet, "?channel=sms", "", http.StatusOK, `<input type="radio" name="channel" value="sms" checked>`, nil},
		{"form: text messages", http.MethodPost, "", "channel=sms", http.StatusOK, "You&#39;re unsubscribed", []string{"sms"}},
		{"form: everything", http.MethodPost, "?channel=email", "channel=all", http.StatusOK, "You&#39;re unsubscribed", []string{"email", "sms", "voice", "whatsapp"}},
		{"one-click from a mail client", http.MethodPost, "?channel=email", "List-Unsubscribe=One-Click", http.StatusOK, "You&#39;re unsubscribed", []string{"email"}},
		{"unknown channel", http.MethodPost, "", "channel=fax", http.StatusBadRequest, "unknown channel", nil},
	}
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				fx := seedShopper(t, a, fmt.Sprintf("unsub-%d.myshopify.com", i), shopperPhone, "")
				res, page := apptest.Do(t, apptest.Request(t, tt.method, base+"/t/"+fx.ships[0].PublicToken+"/unsubscribe"+tt.query, strings.NewReader(tt.body),
					http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"text/html"}}))
				if res.StatusCode != tt.wantCode || !strings.Contains(page, tt.wantPage) {
					t.Errorf("status %d, want %d with %q:\n%.3000s", res.StatusCode, tt.wantCode, tt.wantPage, page)
				}
				if got := optedOut(t, a, fx); !slices.Equal(got, tt.wantOut) {
					t.Errorf("opted out of %v, want %v", got, tt.wantOut)
				}
			})
		}
	})
}

// TestEveryEmailCarriesOneClickUnsubscribe sends a shopper's email through
// a fake SendGrid and follows its List-Unsubscribe header the way Gmail
// does (RFC 8058).
func TestEveryEmailCarriesOneClickUnsubscribe(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		sg := apptest.NewProviders(t)
		a, base := startApp(t, dbURL, Config{SendGridAPIKey: "SG.test", SendGridBaseURL: sg.URL, EmailFrom: "updates@ordertrack.test"})
		fx := seedShopper(t, a, "oneclick.myshopify.com", shopperPhone, "")
		n := logMessage(t, a, fx.ships[0], "out_for_delivery", "email", storage.NotificationScheduled, fx.order.Email, 0)
		if _, err := a.jobs.Insert(context.Background(), jobs.SendArgs{NotificationID: n.ID}, nil); err != nil {
			t.Fatal(err)
		}
		apptest.WaitUntil(t, "the email to be sent", func() bool { return reload(t, a, n.ID).Status == storage.NotificationSent })
		mails := sg.Mails()
		headers := mails[len(mails)-1].Headers
		link := base + "/t/" + fx.ships[0].PublicToken + "/unsubscribe?channel=email"
		if headers["List-Unsubscribe"] != "<"+link+">" || headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" {
			t.Fatalf("email headers = %v; want List-Unsubscribe <%s> and List-Unsubscribe-Post: List-Unsubscribe=One-Click", headers, link)
		}
		res, err := http.Post(strings.Trim(headers["List-Unsubscribe"], "<>"), "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := optedOut(t, a, fx); res.StatusCode != http.StatusOK || !slices.Equal(got, []string{"email"}) {
			t.Errorf("one-click POST: status %d, opted out of %v; want 200 and email", res.StatusCode, got)
		}
	})
}
