package app

import (
	"context"
	"github.com/ordertrack/ordertrack/app/apptest"
	"net/http"
	"net/url"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
)

// Each request a shopper sends from the tracking page emails the merchant
// and writes to the store's order; anyone holding the link can post it, so
// a shipment takes 5 requests (then one an hour) and a client 10, and a
// refused post records nothing.
func TestShopperRequestsAreBudgetedPerShipmentAndClient(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		ships := []*storage.Shipment{
			e.order(t, 7401, "(415) 555-0199", "US"), e.order(t, 7402, "(415) 555-0198", "US"), e.order(t, 7403, "(415) 555-0197", "US"),
		}
		post := func(s *storage.Shipment) int {
			form := url.Values{"_csrf": {e.a.shopper.CSRFToken(s.PublicToken)}, "kind": {"contact_support"}, "message": {"Where is it?"}}
			res, err := apptest.NoRedirect.PostForm(e.base+"/t/"+s.PublicToken+"/actions", form)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		steps := []struct {
			name string
			ship int
			want int
		}{
			{"request 1 of shipment 1", 0, http.StatusSeeOther}, {"request 2", 0, http.StatusSeeOther}, {"request 3", 0, http.StatusSeeOther},
			{"request 4", 0, http.StatusSeeOther}, {"request 5", 0, http.StatusSeeOther},
			{"a sixth request for shipment 1", 0, http.StatusTooManyRequests},
			{"shipment 2, the client's 6th", 1, http.StatusSeeOther}, {"7th", 1, http.StatusSeeOther}, {"8th", 1, http.StatusSeeOther},
			{"9th", 2, http.StatusSeeOther}, {"10th", 2, http.StatusSeeOther},
			{"the client's 11th", 2, http.StatusTooManyRequests},
		}
		for _, st := range steps {
			if got := post(ships[st.ship]); got != st.want {
				t.Fatalf("%s: status %d; want %d", st.name, got, st.want)
			}
		}
		for i, want := range []int{5, 3, 2} {
			acts, err := e.a.db.Scope(e.shop.ID).ShipmentActions(context.Background(), ships[i].ID)
			if err != nil || len(acts) != want {
				t.Fatalf("shipment %d: %d requests stored, %v; want %d", i+1, len(acts), err, want)
			}
		}
	})
}
