package tracking

import (
	"slices"
	"testing"
	"time"
)

func TestCheckRescheduleDate(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		date string
		ok   bool
	}{
		{"2026-11-27", true},
		{"2026-11-25", true},  // today
		{"2026-11-24", false}, // yesterday everywhere: 03:00 on the 25th at UTC-12
		{"2026-12-25", true},  // 30 days ahead
		{"2026-12-26", false}, // beyond the horizon
		{"2027-06-01", false},
		{"", false},
		{"tomorrow", false},
		{"2026-02-30", false},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			if err := CheckRescheduleDate(tt.date, now); (err == nil) != tt.ok {
				t.Fatalf("CheckRescheduleDate(%q) = %v; want ok %v", tt.date, err, tt.ok)
			}
		})
	}
}

func TestShopperActions(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC) // the Wednesday before Thanksgiving
	ups := CalendarFor("ups", "")
	days := []time.Time{ts("2026-11-27 15:00"), ts("2026-11-30 15:00"), ts("2026-12-01 15:00")}
	tests := []struct {
		name  string
		stage Stage
		issue Issue
		want  []Offer
	}{
		{"in transit: support only", StageInTransit, IssueNone, []Offer{{Kind: ActionContactSupport}}},
		{"carrier needs the address", StageInTransit, IssueAddress,
			[]Offer{{Kind: ActionConfirmAddress}, {Kind: ActionCorrectAddress}, {Kind: ActionContactSupport}}},
		{"duty due: pay at the carrier, no address buttons", StageInTransit, IssuePaymentDue,
			[]Offer{{Kind: ActionPayCarrier}, {Kind: ActionContactSupport}}},
		{"missed delivery: the next three working days", StageOutForDelivery, IssueFailedAttempt,
			[]Offer{{Kind: ActionReschedule, Dates: days}, {Kind: ActionCorrectAddress}, {Kind: ActionContactSupport}}},
		{"held at customs: the store", StageInTransit, IssueCustoms, []Offer{{Kind: ActionContactSupport}}},
		{"damaged: the store", StageInTransit, IssueDamaged, []Offer{{Kind: ActionContactSupport}}},
		{"refused: the store", StageInTransit, IssueRefused, []Offer{{Kind: ActionContactSupport}}},
		{"COD: the store", StageOutForDelivery, IssueCOD, []Offer{{Kind: ActionContactSupport}}},
		{"pickup: nothing to post", StageAvailableForPickup, IssuePickup, []Offer{{Kind: ActionContactSupport}}},
		{"delivered: not received", StageDelivered, IssueNone, []Offer{{Kind: ActionNotReceived}, {Kind: ActionContactSupport}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ShopperActions(tt.stage, tt.issue, ups, now)
			if !slices.EqualFunc(got, tt.want, func(a, b Offer) bool { return a.Kind == b.Kind && slices.Equal(a.Dates, b.Dates) }) {
				t.Errorf("ShopperActions(%s, %q) = %v; want %v", tt.stage, tt.issue, got, tt.want)
			}
		})
	}
}

func TestActionKindValid(t *testing.T) {
	for _, k := range ActionKinds {
		if !k.Valid() {
			t.Errorf("%s is not valid", k)
		}
	}
	for _, k := range []ActionKind{"", "refund", "Reschedule"} {
		if k.Valid() {
			t.Errorf("%q is valid; want only the listed kinds", k)
		}
	}
}
