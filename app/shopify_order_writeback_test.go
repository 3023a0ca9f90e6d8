package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
)

// postAction submits the tracking page's action form for s, as the
// shopper's browser does, and expects the post/redirect/get answer.
func postAction(t *testing.T, a *App, base string, s storage.Shipment, form url.Values) {
	t.Helper()
	form.Set(trackpage.CSRFField, a.shopper.CSRFToken(s.PublicToken))
	res, _ := apptest.PostForm(t, base+"/t/"+s.PublicToken+"/actions", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("action %s: status %d; want 303 back to the page", form.Get(trackpage.FieldKind), res.StatusCode)
	}
}

// seedWritebackOrder stores Shopify order id (on the fake too when onShopify)
// with one shipment, and returns the shipment.
func seedWritebackOrder(t *testing.T, a *App, fake *shopifytest.Server, shop *storage.Shop, id int64, onShopify bool) (shopifytest.Order, storage.Shipment) {
	t.Helper()
	o := shopifytest.SampleOrder(id, time.Now())
	o.Note = "Leave at the back door"
	o.Fulfillments[0].Numbers = []string{fmt.Sprintf("1ZORDERWB%09d", id)}
	if onShopify {
		fake.AddOrder(shop.Domain, o)
	}
	seedShopifyOrder(t, a, shop, o)
	return o, shipmentOf(t, a, shop.ID, o.Fulfillments[0].Numbers[0])
}

func writebackJobs(t *testing.T, a *App) []*rivertype.JobRow {
	t.Helper()
	res, err := a.jobs.JobList(context.Background(), river.NewJobListParams().Kinds("shopify_order_writeback").First(100))
	if err != nil {
		t.Fatal(err)
	}
	return res.Jobs
}

func TestShopperRequestIsWrittenBackToTheShopifyOrder(t *testing.T) {
	t.Parallel()
	untouched := shopifytest.MailingAddress{}
	day := soonDay()
	cases := []struct {
		name        string
		form        url.Values
		wantTag     string
		wantNote    string
		wantAddress shopifytest.MailingAddress
		written     bool
	}{
		{
			name:     "reschedule",
			form:     url.Values{"kind": {"reschedule"}, "date": {day.Format(time.DateOnly)}},
			wantTag:  "ordertrack-reschedule",
			wantNote: "Leave at the back door\nordertrack: the shopper asked to reschedule the delivery on the tracking page: " + day.Format("Mon Jan 2"),
		},
		{
			name:     "corrected address",
			form:     url.Values{"kind": {"correct_address"}, "address1": {"500 Howard St"}, "city": {"San Francisco"}, "postal_code": {"94103"}},
			wantTag:  "ordertrack-correct_address",
			wantNote: "Leave at the back door\nordertrack: the shopper sent a corrected delivery address on the tracking page: 500 Howard St, San Francisco, 94103",
			wantAddress: shopifytest.MailingAddress{
				FirstName: "Ana", LastName: "García", Address1: "500 Howard St", City: "San Francisco",
				ProvinceCode: "CA", Zip: "94103", CountryCode: "US", Phone: "+14155550199",
			},
			written: true,
		},
		{
			name:        "address without city or postal code stays a note",
			form:        url.Values{"kind": {"correct_address"}, "address1": {"500 Howard St"}},
			wantTag:     "ordertrack-correct_address",
			wantNote:    "Leave at the back door\nordertrack: the shopper sent a corrected delivery address on the tracking page: 500 Howard St",
			wantAddress: untouched,
		},
		{
			name:     "not received with the shopper's words",
			form:     url.Values{"kind": {"not_received"}, "note": {"Nothing on\nthe porch"}},
			wantTag:  "ordertrack-not_received",
			wantNote: "Leave at the back door\nordertrack: the shopper reported the package as not received on the tracking page \"Nothing on the porch\"",
		},
	}
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		shop := installTestShop(t, a, fake, shopA, time.Hour)
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				o, s := seedWritebackOrder(t, a, fake, shop, int64(9400+i), true)
				postAction(t, a, base, s, tc.form)
				apptest.WaitUntil(t, "the order note on Shopify", func() bool { return fake.OrderNote(shopA, o.ID) == tc.wantNote })
				if tags := fake.OrderTags(shopA, o.ID); !slices.Equal(tags, []string{tc.wantTag}) {
					t.Fatalf("order tags = %q; want [%s]", tags, tc.wantTag)
				}
				apptest.WaitUntil(t, "the write-back job done", func() bool {
					jobs := writebackJobs(t, a)
					return len(jobs) == i+1 && jobs[i].State == rivertype.JobStateCompleted
				})
				if got, ok := fake.ShippingAddress(shopA, o.ID); ok != tc.written || got != tc.wantAddress {
					t.Fatalf("shipping address written %v: %+v; want written %v: %+v", ok, got, tc.written, tc.wantAddress)
				}
			})
		}
	})
}

func TestShopperRequestOfAShopWithoutATokenIsNotWrittenBack(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		shop := &storage.Shop{Platform: storage.Shopify, Domain: shopB, Email: "owner@" + shopB}
		if err := a.db.UpsertShop(context.Background(), shop); err != nil {
			t.Fatal(err)
		}
		_, s := seedWritebackOrder(t, a, fake, shop, 9500, true)
		postAction(t, a, base, s, url.Values{"kind": {"reschedule"}, "date": {soonDay().Format(time.DateOnly)}})
		if n := countJobs(t, a, "notify_merchant_action"); n != 1 {
			t.Fatalf("%d merchant emails queued; want 1 (the request must still reach the merchant)", n)
		}
		if jobs := writebackJobs(t, a); len(jobs) != 0 {
			t.Fatalf("%d write-back jobs for a shop without a token; want 0", len(jobs))
		}
	})
}

func TestWritebackToAnOrderShopifyDoesNotHaveIsCancelledNotRetried(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake := startShopifyApp(t, dbURL, nil)
		shop := installTestShop(t, a, fake, shopA, time.Hour)
		_, s := seedWritebackOrder(t, a, fake, shop, 9600, false)
		postAction(t, a, base, s, url.Values{"kind": {"correct_address"}, "address1": {"500 Howard St"}, "city": {"San Francisco"}})
		var job *rivertype.JobRow
		apptest.WaitUntil(t, "the write-back job cancelled", func() bool {
			jobs := writebackJobs(t, a)
			if len(jobs) != 1 {
				return false
			}
			job = jobs[0]
			return job.State == rivertype.JobStateCancelled
		})
		if job.Attempt != 1 || len(job.Errors) != 1 || !strings.Contains(job.Errors[0].Error, "Order does not exist") {
			t.Fatalf("job after %d attempts with errors %+v; want one attempt cancelled on Shopify's userError", job.Attempt, job.Errors)
		}
		if st := fake.Stats(shopA); st.GraphQLRequests-st.FlowTriggers != 1 {
			t.Fatalf("%d GraphQL requests besides Flow triggers; want the one refused tagsAdd", st.GraphQLRequests-st.FlowTriggers)
		}
	})
}
