package shopify

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
)

// sampleOrder is what shopifytest.SampleOrder(1001, testNow) must map to.
func sampleOrder() Order {
	return Order{
		ID: "gid://shopify/Order/1001", LegacyID: 1001, Name: "#1001", Number: 1001,
		CreatedAt: testNow.Add(-48 * time.Hour), UpdatedAt: testNow,
		Email: "ana@example.com", Phone: "+14155550123", Locale: "es", Currency: "USD", Total: "59.90",
		PaymentGateways: []string{"Cash on Delivery (COD)"}, COD: true, FinancialStatus: "pending",
		Customer: Customer{ID: "gid://shopify/Customer/7001", Email: "ana@example.com", Phone: "+14155550123", FirstName: "Ana", LastName: "García"},
		ShippingAddress: Address{
			Name: "Ana García", Address1: "1 Market St", Address2: "Apt 4", City: "San Francisco", Province: "California",
			ProvinceCode: "CA", Zip: "94105", Country: "United States", CountryCode: "US", Phone: "+14155550199",
		},
		LineItems: []LineItem{{ID: "gid://shopify/LineItem/10011", Title: "Linen shirt", VariantTitle: "M / Blue", SKU: "LS-M-BL", Quantity: 2}},
		Fulfillments: []Fulfillment{{
			ID: "gid://shopify/Fulfillment/10012", OrderID: "gid://shopify/Order/1001", Status: "SUCCESS", DisplayStatus: "IN_TRANSIT",
			CreatedAt: testNow.Add(-24 * time.Hour), UpdatedAt: testNow,
			Tracking: []TrackingInfo{{Company: "UPS", Number: "1Z999AA10123456784", URL: "https://www.ups.com/track?tracknum=1Z999AA10123456784"}},
		}},
	}
}

func withoutFulfillmentNames(o Order) Order {
	fs := append([]Fulfillment(nil), o.Fulfillments...)
	for i := range fs {
		fs[i].Name = ""
	}
	o.Fulfillments = fs
	return o
}

func TestOrderMapsTrackingContactAndCOD(t *testing.T) {
	f := newFixture(t)
	f.install(t, testShop)
	f.fake.AddOrder(testShop, shopifytest.SampleOrder(1001, testNow))
	got, err := f.client.Order(context.Background(), testShop, "gid://shopify/Order/1001")
	if err != nil {
		t.Fatalf("Order: %v", err)
	}
	if got.Fulfillments[0].Name != "#1001-F1" {
		t.Errorf("fulfillment name = %q, want #1001-F1", got.Fulfillments[0].Name)
	}
	if want := sampleOrder(); !reflect.DeepEqual(withoutFulfillmentNames(got), want) {
		t.Fatalf("order =\n%+v\nwant\n%+v", got, want)
	}
}

func TestWebhookAndGraphQLGiveTheSameOrder(t *testing.T) {
	f := newFixture(t)
	f.install(t, testShop)
	fixture := shopifytest.SampleOrder(1001, testNow)
	f.fake.AddOrder(testShop, fixture)
	fromAPI, err := f.client.Order(context.Background(), testShop, "1001")
	if err != nil {
		t.Fatalf("Order: %v", err)
	}
	fromHook, err := DecodeOrder(fixture.WebhookJSON())
	if err != nil {
		t.Fatalf("DecodeOrder: %v", err)
	}
	if !reflect.DeepEqual(withoutFulfillmentNames(fromAPI), withoutFulfillmentNames(fromHook)) {
		t.Fatalf("GraphQL order\n%+v\ndiffers from webhook order\n%+v", fromAPI, fromHook)
	}
}

func TestOrderReportsMissingOrder(t *testing.T) {
	f := newFixture(t)
	f.install(t, testShop)
	if _, err := f.client.Order(context.Background(), testShop, "999"); !errors.Is(err, ErrOrderNotFound) {
		t.Fatalf("error = %v, want ErrOrderNotFound", err)
	}
}

func TestEachOrderUpdatedSinceWalksAllPagesInUpdateOrder(t *testing.T) {
	f := newFixture(t)
	f.install(t, testShop)
	since := testNow.Add(-60 * 24 * time.Hour)
	for i := range 26 {
		// Three orders are older than the window; the rest are inside it.
		f.fake.AddOrder(testShop, shopifytest.SampleOrder(int64(5000+i), since.Add(time.Duration(i-3)*time.Hour+time.Minute)))
	}
	var ids []int64
	err := f.client.EachOrderUpdatedSince(context.Background(), testShop, since, func(o Order) error {
		ids = append(ids, o.LegacyID)
		return nil
	})
	if err != nil {
		t.Fatalf("EachOrderUpdatedSince: %v", err)
	}
	var want []int64
	for i := 3; i < 26; i++ {
		want = append(want, int64(5000+i))
	}
	if !reflect.DeepEqual(ids, want) {
		t.Fatalf("orders = %v, want %v", ids, want)
	}
	if n := f.fake.Stats(testShop).GraphQLRequests; n != 3 {
		t.Fatalf("pages fetched = %d, want 3 (23 orders, %d per page)", n, OrdersPageSize)
	}
}

func TestEachOrderUpdatedSinceStopsOnCallbackError(t *testing.T) {
	f := newFixture(t)
	f.install(t, testShop)
	f.fake.AddOrder(testShop, shopifytest.SampleOrder(1, testNow))
	f.fake.AddOrder(testShop, shopifytest.SampleOrder(2, testNow.Add(time.Minute)))
	stop := errors.New("stop")
	calls := 0
	err := f.client.EachOrderUpdatedSince(context.Background(), testShop, testNow.Add(-time.Hour), func(Order) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("error = %v after %d calls, want stop after 1", err, calls)
	}
}

func TestCreateFulfillmentEventWritesScanBack(t *testing.T) {
	f := newFixture(t)
	f.install(t, testShop)
	f.fake.AddOrder(testShop, shopifytest.SampleOrder(1001, testNow))
	id, err := f.client.CreateFulfillmentEvent(context.Background(), testShop, FulfillmentEvent{
		FulfillmentID: "gid://shopify/Fulfillment/10012", Status: EventOutForDelivery,
		HappenedAt: testNow, Message: "Out for delivery", City: "San Francisco", Country: "US",
	})
	if err != nil {
		t.Fatalf("CreateFulfillmentEvent: %v", err)
	}
	want := []shopifytest.FulfillmentEvent{{
		ID: id, FulfillmentID: "gid://shopify/Fulfillment/10012", Status: "OUT_FOR_DELIVERY",
		HappenedAt: "2026-11-25T12:00:00Z", Message: "Out for delivery", City: "San Francisco", Country: "US",
	}}
	if got := f.fake.FulfillmentEvents(testShop); id == "" || !reflect.DeepEqual(got, want) {
		t.Fatalf("events = %+v (id %q), want %+v", got, id, want)
	}
}

func TestCreateFulfillmentEventSurfacesShopifyRefusals(t *testing.T) {
	tests := []struct {
		name  string
		ev    FulfillmentEvent
		check func(error) bool
	}{
		{"unknown fulfillment gives userErrors", FulfillmentEvent{FulfillmentID: "gid://shopify/Fulfillment/404", Status: EventDelivered}, func(err error) bool {
			var ue UserErrors
			return errors.As(err, &ue) && len(ue) == 1 && ue[0].Message == "Fulfillment does not exist." &&
				reflect.DeepEqual(ue[0].Field, []string{"fulfillmentEvent", "fulfillmentId"})
		}},
		{"unknown status gives a GraphQL error", FulfillmentEvent{FulfillmentID: "gid://shopify/Fulfillment/10012", Status: "LOST_IN_SPACE"}, func(err error) bool {
			var ge *GraphQLError
			return errors.As(err, &ge) && ge.Code() == "INVALID_VARIABLE"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.install(t, testShop)
			f.fake.AddOrder(testShop, shopifytest.SampleOrder(1001, testNow))
			_, err := f.client.CreateFulfillmentEvent(context.Background(), testShop, tt.ev)
			if !tt.check(err) {
				t.Fatalf("error = %v (%T)", err, err)
			}
			if n := len(f.fake.FulfillmentEvents(testShop)); n != 0 {
				t.Fatalf("%d events recorded, want 0", n)
			}
		})
	}
}

func TestEventStatusForMapsStagesAndProblems(t *testing.T) {
	tests := []struct {
		stage   tracking.Stage
		problem tracking.Problem
		want    EventStatus
		ok      bool
	}{
		{tracking.StageConfirmed, tracking.ProblemNone, EventConfirmed, true},
		{tracking.StagePacked, tracking.ProblemNone, EventLabelPrinted, true},
		{tracking.StageShipped, tracking.ProblemNone, EventCarrierPickedUp, true},
		{tracking.StageInTransit, tracking.ProblemNone, EventInTransit, true},
		{tracking.StageOutForDelivery, tracking.ProblemNone, EventOutForDelivery, true},
		{tracking.StageAvailableForPickup, tracking.ProblemNone, EventReadyForPickup, true},
		{tracking.StageDelivered, tracking.ProblemNone, EventDelivered, true},
		{tracking.StageInTransit, tracking.ProblemDelayed, EventDelayed, true},
		{tracking.StageOutForDelivery, tracking.ProblemFailedAttempt, EventAttemptedDelivery, true},
		{tracking.StageInTransit, tracking.ProblemException, EventFailure, true},
		{tracking.StageDelivered, tracking.ProblemDelayed, EventDelivered, true},
		{tracking.StageInTransit, tracking.ProblemActionRequired, EventInTransit, true},
		{tracking.StageReturning, tracking.ProblemNone, "", false},
		{tracking.StageReturned, tracking.ProblemNone, "", false},
	}
	for _, tt := range tests {
		got, ok := EventStatusFor(tt.stage, tt.problem)
		if got != tt.want || ok != tt.ok {
			t.Errorf("EventStatusFor(%s, %q) = %q, %v; want %q, %v", tt.stage, tt.problem, got, ok, tt.want, tt.ok)
		}
	}
}

func TestIsCODRecognisesCashOnDeliveryGateways(t *testing.T) {
	tests := []struct {
		gateway string
		want    bool
	}{
		{"Cash on Delivery (COD)", true},
		{"cash_on_delivery", true},
		{"COD", true},
		{"Cash On Delivery", true},
		{"shopify_payments", false},
		{"manual", false},
		{"Barcode pay", false},
		{"codapay", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsCOD(tt.gateway); got != tt.want {
			t.Errorf("IsCOD(%q) = %v, want %v", tt.gateway, got, tt.want)
		}
	}
}

func TestLegacyIDAndGIDRoundTrip(t *testing.T) {
	if got := GID("Order", 820982911946154508); got != "gid://shopify/Order/820982911946154508" {
		t.Fatalf("GID = %q", got)
	}
	for in, want := range map[string]int64{"gid://shopify/Order/820982911946154508": 820982911946154508, "gid://shopify/Order/x": 0, "": 0} {
		if got := LegacyID(in); got != want {
			t.Errorf("LegacyID(%q) = %d, want %d", in, got, want)
		}
	}
}
