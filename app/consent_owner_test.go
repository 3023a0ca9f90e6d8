package app

import (
	"context"
	"github.com/ordertrack/ordertrack/app/apptest"
	"net/http"
	"net/url"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// The tracking link alone must not sign a stranger's phone up: an opt-in
// for a number other than the order's own waits for its owner's YES (one
// question, no updates), and a number that said STOP to the shop gets no
// question at all.
func TestOptInForAnotherNumberWaitsForItsOwner(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		ship := e.order(t, 7501, "(415) 555-0199", "US")
		ctx := context.Background()
		stopped := "+14155550177"
		if err := e.a.db.SetContact(ctx, &storage.Contact{ShopID: e.shop.ID, Channel: "sms", Address: stopped, OptedOut: true, Source: "sms_stop"}); err != nil {
			t.Fatal(err)
		}
		optIn := func(number string) {
			form := url.Values{"_csrf": {e.a.shopper.CSRFToken(ship.PublicToken)}, "phone": {number}, "channel": {"sms"}, "locale": {"en"}}
			res, err := apptest.NoRedirect.PostForm(e.base+"/t/"+ship.PublicToken+"/consent", form)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("opt-in %s: status %d; want 303", number, res.StatusCode)
			}
		}
		tests := []struct {
			number, status string
			texts          int
		}{
			{"+14155550199", storage.ConsentConfirmed, 1}, // the order's own number, typed another way: welcome
			{"+14155550123", storage.ConsentPending, 1},   // someone else's: the question only
			{stopped, storage.ConsentPending, 0},          // said STOP: not even the question
		}
		for _, tt := range tests {
			optIn(tt.number)
		}
		apptest.WaitUntil(t, "the opt-in messages", func() bool {
			return storagetest.Count(t, e.a.db, "river_job", "kind = ? AND state = ?", "consent_confirm", "completed") == int64(len(tests))
		})
		for _, tt := range tests {
			cons, err := e.a.db.Consents(ctx, e.shop.ID, tt.number)
			if err != nil || len(cons) != 1 || cons[0].Status != tt.status {
				t.Errorf("%s: consents %+v, %v; want one, %s", tt.number, cons, err, tt.status)
			}
			if got := len(e.sent.TextsTo(tt.number)); got != tt.texts {
				t.Errorf("%s: %d texts; want %d", tt.number, got, tt.texts)
			}
		}
	})
}
