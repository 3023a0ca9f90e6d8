package trackpage

import (
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// The page follows the order's changes: a cancelled parcel says it will not
// come and offers nothing; a cancelled, refunded or emptied order lists no
// parcel at all; what no parcel carries yet is listed as still to ship.
func TestPageShowsTheOrdersChanges(t *testing.T) {
	second := func(v *View) Shipment {
		s := v.Shipments[0]
		s.Number, s.Events, s.ETA, s.Stage = "1Z999AA10000000001", nil, nil, tracking.StagePacked
		return s
	}
	tests := []struct {
		name   string
		change func(v *View)
		want   []string
		bad    []string
	}{
		{"cancelled parcel beside one still coming", func(v *View) {
			s := second(v)
			s.Cancelled, s.Actions = true, []Action{{Kind: ActionReschedule, FormAction: "/t/x/actions"}}
			v.Shipments = append(v.Shipments, s)
		}, []string{"This shipment was cancelled", "It&#39;s moving through the carrier&#39;s network"}, []string{`value="reschedule"`}},
		{"order cancelled", func(v *View) { v.Stopped = "cancelled" },
			[]string{"Your order was cancelled", "Nothing will be delivered"}, []string{"1Z999AA10123456784", "Estimated delivery"}},
		{"order refunded", func(v *View) { v.Stopped = "refunded" }, []string{"Your order was refunded"}, []string{"1Z999AA10123456784"}},
		{"every item removed", func(v *View) { v.Stopped = "items_removed" }, []string{"Nothing is left to deliver in this order"}, []string{"1Z999AA10123456784"}},
		{"two parcels and a line still to ship", func(v *View) {
			v.Shipments[0].Items = []Item{{Title: "Linen shirt", Variant: "M / Blue", Qty: 1}}
			s := second(v)
			s.Items = []Item{{Title: "Wool scarf", Qty: 1}}
			v.Shipments = append(v.Shipments, s)
			v.Unshipped = []Item{{Title: "Leather belt", Qty: 2}}
		}, []string{"Package 1 of 2", "Package 2 of 2", "1Z999AA10000000001", "Wool scarf", "Still to ship", "Leather belt"}, nil},
		{"a return parcel", func(v *View) {
			s := second(v)
			s.Return = true
			v.Shipments = []Shipment{s}
		}, []string{"Your return"}, nil},
		{"a return beside the parcel it sends back", func(v *View) {
			s := second(v)
			s.Return = true
			v.Shipments = append(v.Shipments, s)
		}, []string{"Package 1 of 2", "Your return"}, []string{"Package 2 of 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := inTransit(t)
			tt.change(&v)
			page := render(t, newRenderer(t), v)
			mustContain(t, page, tt.want...)
			mustNotContain(t, page, tt.bad...)
		})
	}
}

// The extension's JSON carries every parcel with its items and state, what
// is still to ship, and why an order stopped.
func TestSummaryCarriesParcelsAndWhatRemains(t *testing.T) {
	v := inTransit(t)
	s := v.Shipments[0]
	s.Number, s.Cancelled, s.Items = "1Z999AA10000000001", true, []Item{{Title: "Wool scarf", Qty: 1}}
	v.Shipments = append(v.Shipments, s)
	v.Unshipped = []Item{{Title: "Leather belt", Qty: 2}}
	got := Summarize(v)
	if len(got.Shipments) != 2 || !got.Shipments[1].Cancelled || got.Shipments[0].Cancelled {
		t.Fatalf("shipments %+v; want two, the second cancelled", got.Shipments)
	}
	if it := got.Shipments[1].Items; len(it) != 1 || it[0].Title != "Wool scarf" {
		t.Fatalf("second parcel items %+v; want the scarf", it)
	}
	if len(got.Unshipped) != 1 || got.Unshipped[0] != (ItemSummary{Title: "Leather belt", Qty: 2}) {
		t.Fatalf("unshipped %+v; want 2 leather belts", got.Unshipped)
	}
	v.Stopped = "cancelled"
	if got := Summarize(v); got.Stopped != "cancelled" || len(got.Shipments) != 0 || got.Headline != "Your order was cancelled" {
		t.Fatalf("stopped order summary: stopped %q, %d shipments, headline %q; want cancelled, none, the order's", got.Stopped, len(got.Shipments), got.Headline)
	}
}

// A parcel going back to the store that never reached the shopper offers
// no "start a return"; once one was delivered, the store's returns help is
// back.
func TestReturnedToSenderOffersNoReturn(t *testing.T) {
	tests := []struct {
		name   string
		stages []tracking.Stage
		offer  bool
	}{
		{"on its way", []tracking.Stage{tracking.StageInTransit}, true},
		{"returning to sender", []tracking.Stage{tracking.StageReturning}, false},
		{"returned to sender", []tracking.Stage{tracking.StageReturned}, false},
		{"one returned, one delivered", []tracking.Stage{tracking.StageReturned, tracking.StageDelivered}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := inTransit(t)
			v.Shop.ReturnsURL = "https://shop.example/returns"
			base := v.Shipments[0]
			v.Shipments = nil
			for _, st := range tt.stages {
				s := base
				s.Stage, s.ETA = st, nil
				v.Shipments = append(v.Shipments, s)
			}
			page := render(t, newRenderer(t), v)
			if got := strings.Contains(page, "https://shop.example/returns"); got != tt.offer {
				t.Errorf("returns link shown %v; want %v", got, tt.offer)
			}
		})
	}
}
