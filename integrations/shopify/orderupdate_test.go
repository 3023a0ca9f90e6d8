package shopify

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
)

const (
	knownOrder   = "gid://shopify/Order/1001"
	unknownOrder = "gid://shopify/Order/999999"
)

func TestAddOrderTagsKeepsExistingTagsAndIgnoresRepeats(t *testing.T) {
	f := newFixture(t)
	f.install(t, testShop)
	o := shopifytest.SampleOrder(1001, testNow)
	o.Tags = []string{"vip"}
	f.fake.AddOrder(testShop, o)
	ctx := context.Background()
	for _, tags := range [][]string{{"ordertrack-reschedule"}, {"ordertrack-reschedule", "ordertrack-correct_address"}} {
		if err := f.client.AddOrderTags(ctx, testShop, knownOrder, tags); err != nil {
			t.Fatalf("AddOrderTags(%v): %v", tags, err)
		}
	}
	want := []string{"vip", "ordertrack-reschedule", "ordertrack-correct_address"}
	if got := f.fake.OrderTags(testShop, 1001); !reflect.DeepEqual(got, want) {
		t.Fatalf("tags = %q; want %q", got, want)
	}
}

func TestAppendOrderNoteKeepsTheMerchantsNote(t *testing.T) {
	cases := []struct {
		name  string
		note  string
		lines []string
		want  string
	}{
		{"no note yet", "", []string{"ordertrack: a"}, "ordertrack: a"},
		{"merchant note kept above", "Gift wrap, please", []string{"ordertrack: a"}, "Gift wrap, please\nordertrack: a"},
		{"lines accumulate", "Gift wrap", []string{"ordertrack: a", "ordertrack: b"}, "Gift wrap\nordertrack: a\nordertrack: b"},
		{"a retried line is written once", "Gift wrap", []string{"ordertrack: a", "ordertrack: a"}, "Gift wrap\nordertrack: a"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.install(t, testShop)
			o := shopifytest.SampleOrder(1001, testNow)
			o.Note = tc.note
			f.fake.AddOrder(testShop, o)
			for _, line := range tc.lines {
				if err := f.client.AppendOrderNote(context.Background(), testShop, knownOrder, line); err != nil {
					t.Fatalf("AppendOrderNote(%q): %v", line, err)
				}
			}
			if got := f.fake.OrderNote(testShop, 1001); got != tc.want {
				t.Fatalf("note = %q; want %q", got, tc.want)
			}
		})
	}
}

func TestUpdateShippingAddressReplacesTheAddress(t *testing.T) {
	f := newFixture(t)
	f.install(t, testShop)
	f.fake.AddOrder(testShop, shopifytest.SampleOrder(1001, testNow))
	ctx := context.Background()
	cur, err := f.client.Order(ctx, testShop, knownOrder)
	if err != nil {
		t.Fatal(err)
	}
	addr := MailingAddressFrom(cur.ShippingAddress)
	addr.Address1, addr.Address2, addr.Zip = "500 Howard St", "", "94103"
	if err := f.client.UpdateShippingAddress(ctx, testShop, knownOrder, addr); err != nil {
		t.Fatalf("UpdateShippingAddress: %v", err)
	}
	got, ok := f.fake.ShippingAddress(testShop, 1001)
	want := shopifytest.MailingAddress{
		FirstName: "Ana", LastName: "García", Address1: "500 Howard St", City: "San Francisco",
		ProvinceCode: "CA", Zip: "94103", CountryCode: "US", Phone: "+14155550199",
	}
	if !ok || got != want {
		t.Fatalf("address on Shopify = %+v (written %v); want %+v", got, ok, want)
	}
	after, err := f.client.Order(ctx, testShop, knownOrder)
	if err != nil {
		t.Fatal(err)
	}
	if a := after.ShippingAddress; a.Address1 != "500 Howard St" || a.Address2 != "" || a.Zip != "94103" || a.City != "San Francisco" {
		t.Fatalf("order address after update = %+v; want the new street and zip in the same city", a)
	}
}

func TestOrderWriteBacksToAnUnknownOrderAreRefused(t *testing.T) {
	f := newFixture(t)
	f.install(t, testShop)
	ctx := context.Background()
	cases := []struct {
		name string
		call func() error
	}{
		{"tags", func() error { return f.client.AddOrderTags(ctx, testShop, unknownOrder, []string{"x"}) }},
		{"address", func() error {
			return f.client.UpdateShippingAddress(ctx, testShop, unknownOrder, MailingAddressInput{Address1: "1 Main St"})
		}},
	}
	for _, tc := range cases {
		var ue UserErrors
		if err := tc.call(); !errors.As(err, &ue) || len(ue) == 0 {
			t.Errorf("%s on an unknown order: %v; want UserErrors", tc.name, err)
		}
	}
	if err := f.client.AppendOrderNote(ctx, testShop, unknownOrder, "x"); !errors.Is(err, ErrOrderNotFound) {
		t.Errorf("note on an unknown order: %v; want ErrOrderNotFound", err)
	}
}
