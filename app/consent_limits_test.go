package app

import (
	"context"
	"github.com/ordertrack/ordertrack/app/apptest"
	"net/http"
	"net/url"
	"testing"
)

// Anyone holding a tracking link can post its opt-in form, and every opt-in
// texts the number it names: without budgets one link texts any number, as
// often as it is posted, at the merchant's cost (toll fraud, SMS bombing).
func TestOptInFormIsBudgetedPerOrderNumberAndClient(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		ships := []string{
			e.order(t, 7301, "(415) 555-0199", "US").PublicToken,
			e.order(t, 7302, "(415) 555-0198", "US").PublicToken,
			e.order(t, 7303, "(415) 555-0197", "US").PublicToken,
		}
		steps := []struct {
			name   string
			order  int
			number string
			want   int
		}{
			{"first number of order 1", 0, "+14155550101", http.StatusSeeOther},
			{"second number of order 1", 0, "+14155550102", http.StatusSeeOther},
			{"third number of order 1", 0, "+14155550103", http.StatusSeeOther},
			{"a fourth number for order 1", 0, "+14155550104", http.StatusTooManyRequests},
			{"number 101 again, from order 2", 1, "+14155550101", http.StatusSeeOther},
			{"number 101 a third time, from order 3", 2, "+14155550101", http.StatusTooManyRequests},
			{"fifth opt-in of this client", 2, "+14155550105", http.StatusSeeOther},
			{"sixth opt-in of this client", 2, "+14155550106", http.StatusTooManyRequests},
		}
		for _, st := range steps {
			form := url.Values{"_csrf": {e.a.shopper.CSRFToken(ships[st.order])}, "phone": {st.number}, "channel": {"sms"}, "locale": {"en"}}
			res, err := apptest.NoRedirect.PostForm(e.base+"/t/"+ships[st.order]+"/consent", form)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != st.want {
				t.Fatalf("%s: status %d; want %d", st.name, res.StatusCode, st.want)
			}
		}
		want := map[string]int{"+14155550101": 2, "+14155550102": 1, "+14155550103": 1, "+14155550105": 1}
		total := 0
		for number, n := range want {
			total += n
			cons, err := e.a.db.Consents(context.Background(), e.shop.ID, number)
			if err != nil || len(cons) != n {
				t.Fatalf("consents of %s = %d, %v; want %d", number, len(cons), err, n)
			}
		}
		for _, refused := range []string{"+14155550104", "+14155550106"} {
			if cons, err := e.a.db.Consents(context.Background(), e.shop.ID, refused); err != nil || len(cons) != 0 {
				t.Fatalf("consents of refused %s = %d, %v; want none", refused, len(cons), err)
			}
		}
		apptest.WaitUntil(t, "one welcome text per accepted opt-in", func() bool { return len(e.sent.Texts()) == total })
		for number, n := range want {
			if got := len(e.sent.TextsTo(number)); got != n {
				t.Fatalf("texts to %s = %d; want %d", number, got, n)
			}
		}
	})
}
