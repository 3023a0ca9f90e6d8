package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/helpdesk"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
)

func TestHelpdeskEndpointAnswersOnlyTheKeysShop(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		ctx := context.Background()
		keys, ids := map[string]string{}, map[string]int64{}
		for i, domain := range []string{shopA, shopB} {
			shop := &storage.Shop{Platform: storage.Shopify, Domain: domain}
			if err := a.db.UpsertShop(ctx, shop); err != nil {
				t.Fatal(err)
			}
			for j := range 2 - i { // shop A: two orders of Ana's, shop B: one
				o := shopifytest.SampleOrder(int64(9900+10*i+j), time.Now().Add(time.Duration(j)*time.Hour))
				o.Number = 1001 + j
				o.Fulfillments[0].Numbers = []string{fmt.Sprintf("1ZDESK%02d%02d", i, j)}
				seedShopifyOrder(t, a, shop, o)
			}
			key, err := a.db.RotateHelpdeskKey(ctx, shop.ID)
			if err != nil {
				t.Fatal(err)
			}
			keys[domain], ids[domain] = key, shop.ID
		}
		current, err := a.db.RotateHelpdeskKey(ctx, ids[shopB])
		if err != nil {
			t.Fatal(err)
		}
		keys["rotated"], keys[shopB] = keys[shopB], current // the old key stops working

		cases := []struct {
			name    string
			auth    string
			query   url.Values
			status  int
			numbers []string // parcels, newest order first
		}{
			{"by email", "Bearer " + keys[shopA], url.Values{"email": {"ana@example.com"}}, 200, []string{"1ZDESK0001", "1ZDESK0000"}},
			{"email in other case", "Bearer " + keys[shopA], url.Values{"email": {"Ana@Example.COM"}}, 200, []string{"1ZDESK0001", "1ZDESK0000"}},
			{"by phone, spelled otherwise", "Bearer " + keys[shopA], url.Values{"phone": {"(415) 555-0123"}}, 200, []string{"1ZDESK0001", "1ZDESK0000"}},
			{"the other shop's key", "Bearer " + keys[shopB], url.Values{"email": {"ana@example.com"}}, 200, []string{"1ZDESK0100"}},
			{"unknown customer", "Bearer " + keys[shopA], url.Values{"email": {"bob@example.com"}}, 200, nil},
			{"rotated key", "Bearer " + keys["rotated"], url.Values{"email": {"ana@example.com"}}, 401, nil},
			{"no key", "", url.Values{"email": {"ana@example.com"}}, 401, nil},
			{"no email or phone", "Bearer " + keys[shopA], url.Values{}, 400, nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, body := apptest.Fetch(t, base+"/api/helpdesk/customer?"+tc.query.Encode(), http.Header{"Authorization": {tc.auth}})
				if res.StatusCode != tc.status {
					t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
				}
				if tc.status != 200 {
					return
				}
				var ans helpdesk.Answer
				if err := json.Unmarshal([]byte(body), &ans); err != nil {
					t.Fatal(err)
				}
				var numbers []string
				for _, o := range ans.Orders {
					for _, p := range o.Parcels {
						numbers = append(numbers, p.TrackingNumber)
						if p.TrackingURL == "" || p.Stage == "" {
							t.Errorf("parcel %s without tracking URL or stage: %+v", p.TrackingNumber, p)
						}
					}
				}
				if fmt.Sprint(numbers) != fmt.Sprint(tc.numbers) {
					t.Fatalf("parcels %v, want %v", numbers, tc.numbers)
				}
			})
		}
	})
}
